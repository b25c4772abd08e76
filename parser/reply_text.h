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

namespace smtpspec::transcript {

// One S: line, read on its own.
struct ReplyLineText {
  CodePattern code;
  bool final = true;  // "250 ..." rather than "250-..."
  // One kLine or one kAnyLines; a final "..." gives {kAnyLines, kLine}.
  std::vector<ReplyLine> lines;
  std::vector<std::string> has_keywords;
  std::vector<std::string> lacks_keywords;
};

// Parses what follows "S: ". Errors go to `sink`; nullopt if there were any.
std::optional<ReplyLineText> ParseReplyLine(std::string_view text, TextAt at,
                                            DiagnosticSink& sink,
                                            std::vector<VarUse>& uses);

// "250|251", "2xx".
std::string RenderCode(const CodePattern& code);

// The S: lines of a reply pattern, each with its comment, no newline.
std::vector<std::string> RenderReplyLines(const ReplyPattern& reply);

// "5.1.1", "5.x.x".
std::string RenderEnhanced(const EnhancedPattern& enhanced);

}  // namespace smtpspec::transcript

#endif  // SMTPSPEC_PARSER_REPLY_TEXT_H_
