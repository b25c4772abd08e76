// The text of S: lines: reply code patterns, enhanced status codes, reply
// text, "..." for any lines, and EHLO keyword checks. A multi-line reply
// pattern is several S: lines; the parser (parser.h) joins them.
#ifndef SMTPSPEC_PARSER_REPLY_TEXT_H_
#define SMTPSPEC_PARSER_REPLY_TEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.h"
#include "parser/glob_text.h"
#include "parser/pattern.h"
#include "parser/regex_text.h"

namespace smtpspec::parser {

// What one S: line says about the reply it belongs to.
struct ReplyLineText {
  CodePattern code;
  bool final = true;  // "250 ..." rather than "250-..."
};

// Parses what follows "S: ". Appends the line to `reply.lines` (one kLine
// or one kAnyLines; a final "..." gives {kAnyLines, kLine}) and its EHLO
// keyword checks to `reply`, whose code it leaves alone: the lines of a
// multi-line reply go straight where they belong. Errors go to `sink`;
// nullopt if there were any, and `reply` may then hold part of the line.
std::optional<ReplyLineText> ParseReplyLine(std::string_view text, TextAt at,
                                            DiagnosticSink& sink,
                                            std::vector<VarUse>& uses,
                                            RegexCache& regexes,
                                            ReplyPattern& reply);

// "250|251", "2xx": the pattern as written.
const std::string& RenderCode(const CodePattern& code);

// The index of `alternative` ("250", "2xx") in `code`, or npos.
std::size_t CodeAlternativeIndex(const CodePattern& code,
                                 std::string_view alternative);

// The S: lines of a reply pattern, each with its comment, no newline.
std::vector<std::string> RenderReplyLines(const ReplyPattern& reply);

// "5.1.1", "5.x.x".
std::string RenderEnhanced(const EnhancedPattern& enhanced);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_REPLY_TEXT_H_
