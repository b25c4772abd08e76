// The text of C: lines: a glob (`MAIL FROM:<${sender}>`, `EHLO *`) or a
// /regex/, and its trailing comment.
#ifndef SMTPSPEC_PARSER_COMMAND_TEXT_H_
#define SMTPSPEC_PARSER_COMMAND_TEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.h"
#include "parser/glob_text.h"
#include "parser/pattern.h"
#include "parser/regex_text.h"

namespace smtpspec::parser {

// Parses what follows "C: ", storing a trailing "# ..." in `*comment`.
// Errors go to `sink`; nullopt if there were any.
std::optional<CommandPattern> ParseCommandText(std::string_view text, TextAt at,
                                               DiagnosticSink& sink,
                                               std::vector<VarUse>& uses,
                                               RegexCache& regexes,
                                               std::string* comment);

// The text after "C: ".
std::string RenderCommandText(const CommandPattern& command);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_COMMAND_TEXT_H_
