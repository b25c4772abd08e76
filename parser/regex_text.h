// /regex/ patterns in C: and S: lines: finding their end, compiling them
// with bounds, and writing them back.
#ifndef SMTPSPEC_PARSER_REGEX_TEXT_H_
#define SMTPSPEC_PARSER_REGEX_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "parser/diagnostic.h"
#include "parser/glob_text.h"
#include "parser/pattern.h"

namespace smtpspec::transcript {

// Regexes longer than this are refused: patterns in transcripts are short,
// and the bound keeps compiled automata small.
inline constexpr std::size_t kMaxRegexBytes = 512;

// Parses `/source/flags` at the start of `text` (text[0] == '/'), which
// may be followed by a "# ..." comment (stored in `*comment`) and nothing
// else. Named groups `(?<name>...)` become captures. Reports errors
// (unterminated, unknown flag, bad or unbounded regex, trailing text) to
// `sink` and returns nullopt.
std::optional<Regex> ParseRegexLiteral(std::string_view text, TextAt at,
                                       DiagnosticSink& sink,
                                       std::string* comment);

// Compiles `source` (named groups allowed) or explains in one sentence why
// it cannot. Used by ParseRegexLiteral, and by tests and generators that
// build Regex values directly.
std::optional<Regex> CompileRegex(std::string source, bool icase,
                                  std::string* why);

// `/source/` plus flags.
std::string RenderRegex(const Regex& regex);

}  // namespace smtpspec::transcript

#endif  // SMTPSPEC_PARSER_REGEX_TEXT_H_
