// Reading a transcript: text in, a Scenario or every problem out.
//
// The entry point is a plain function over bytes, with no file system and
// no global state, so it can be fuzzed and run concurrently. `!include`
// steps are kept as steps; include.h resolves them through a Loader.
#ifndef SMTPSPEC_PARSER_PARSER_H_
#define SMTPSPEC_PARSER_PARSER_H_

#include <optional>
#include <string_view>
#include <vector>

#include "parser/diagnostic.h"
#include "parser/scenario.h"

namespace smtpspec::parser {

// Either the scenario (and no diagnostics) or every problem found, in file
// order (and no scenario).
struct ParseResult {
  std::optional<Scenario> scenario;
  std::vector<Diagnostic> diagnostics;
};

// Parses `text`; `file` names it in diagnostics. Accepts LF and CRLF line
// ends and a leading UTF-8 byte order mark. Work and memory are linear in
// the size of `text` (raw strings stay compressed, diagnostics are capped).
ParseResult Parse(std::string_view text, std::string_view file);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_PARSER_H_
