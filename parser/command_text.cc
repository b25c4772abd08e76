#include "parser/command_text.h"

#include <utility>

#include "parser/regex_text.h"

namespace smtpspec::parser {
std::optional<CommandPattern> ParseCommandText(std::string_view text, TextAt at,
                                               DiagnosticSink& sink,
                                               std::vector<VarUse>& uses,
                                               RegexCache& regexes,
                                               std::string* comment) {
  if (!text.empty() && text[0] == '/') {
    std::optional<Regex> regex =
        ParseRegexLiteral(text, at, sink, regexes, comment);
    if (!regex) return std::nullopt;
    return CommandPattern{std::move(*regex)};
  }
  std::size_t c = FindComment(text);
  if (c != std::string_view::npos)
    *comment = std::string(TrimRight(text.substr(c)));
  std::string_view glob_text = TrimTrailing(text.substr(0, c));
  if (glob_text.empty()) {
    sink.Add(at.line, at.column,
             "empty command; write what the client sends after 'C: ', like "
             "'C: NOOP'");
    return std::nullopt;
  }
  std::optional<Glob> glob = ParseGlob(glob_text, at, sink, uses);
  if (!glob) return std::nullopt;
  return CommandPattern{std::move(*glob)};
}

std::string RenderCommandText(const CommandPattern& command) {
  if (const Regex* r = std::get_if<Regex>(&command.text)) {
    return RenderRegex(*r);
  }
  return RenderGlob(std::get<Glob>(command.text), false);
}

}  // namespace smtpspec::parser
