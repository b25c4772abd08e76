// Matching observed SMTP lines against transcript patterns, and turning
// patterns on the harness's own side into concrete lines. Used by the
// interpreter (to check the peer) and by the reference agents (to check
// that the line they supply fits the transcript).
#ifndef SMTPSPEC_PARSER_MATCH_H_
#define SMTPSPEC_PARSER_MATCH_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/reply.h"
#include "engine/result.h"
#include "parser/pattern.h"
#include "parser/variables.h"

namespace smtpspec::parser {

// Regexes are only run on lines up to this long; anything longer is
// already broken (RFC 5321 4.5.3.1.4 and 4.5.3.1.5: 512 octets).
inline constexpr std::size_t kMaxRegexSubject = 1000;

// The outcome of one match.
struct MatchResult {
  bool matched = false;
  std::string reason;             // why not, when !matched
  std::vector<Binding> captures;  // named regex groups, when matched
};

// Does the command line `line` (without CRLF) match? The verb and the
// FROM:/TO: keyword compare case-insensitively in globs (RFC 5321 2.4).
MatchResult MatchCommand(const CommandPattern& pattern, std::string_view line,
                         const Variables& vars);

// Does the reply match: code, enhanced status codes, every line's text,
// "..." runs and EHLO keywords?
MatchResult MatchReply(const ReplyPattern& pattern, const Reply& reply,
                       const Variables& vars);

// True when the pattern stands for exactly one line, so the harness can
// send it itself; otherwise the reference agent must supply the line.
bool IsConcrete(const CommandPattern& pattern);
bool IsConcrete(const ReplyPattern& pattern);

// The concrete line or reply; an error if the pattern is not concrete or a
// variable has no value.
Result<std::string> ExpandCommand(const CommandPattern& pattern,
                                  const Variables& vars);
Result<Reply> ExpandReply(const ReplyPattern& pattern, const Variables& vars);

// The bytes a raw string stands for; an error if a variable has no value.
Result<std::string> ExpandRaw(const RawBytes& raw, const Variables& vars);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_MATCH_H_
