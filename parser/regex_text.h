// /regex/ patterns in C: and S: lines: finding their end, compiling them
// with bounds, and writing them back.
#ifndef SMTPSPEC_PARSER_REGEX_TEXT_H_
#define SMTPSPEC_PARSER_REGEX_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "parser/diagnostic.h"
#include "parser/glob_text.h"
#include "parser/pattern.h"

namespace smtpspec::parser {

// Regexes longer than this are refused: patterns in transcripts are short,
// and the bound keeps compiled automata small.
inline constexpr std::size_t kMaxRegexBytes = 512;

// Compiles `source` (named groups allowed) or explains in one sentence why
// it cannot. Used by ParseRegexLiteral, and by tests and generators that
// build Regex values directly.
std::optional<Regex> CompileRegex(std::string source, bool icase,
                                  std::string* why);

// The regexes of one parse, each compiled once. A transcript repeats its
// few patterns many times, and compiling a std::regex costs far more than
// reading the line it is on; copies share the compiled form (pattern.h).
class RegexCache {
 public:
  // As CompileRegex, but the same source and flags compile only once.
  std::optional<Regex> Compile(std::string_view source, bool icase,
                               std::string* why);

 private:
  struct Entry {
    std::optional<Regex> regex;
    std::string why;  // when regex is nullopt
  };
  std::unordered_map<std::string, Entry> entries_[2];  // by icase
};

// Parses `/source/flags` at the start of `text` (text[0] == '/'), which
// may be followed by a "# ..." comment (stored in `*comment`) and nothing
// else. Named groups `(?<name>...)` become captures. Reports errors
// (unterminated, unknown flag, bad or unbounded regex, trailing text) to
// `sink` and returns nullopt. Compiles through `regexes`.
std::optional<Regex> ParseRegexLiteral(std::string_view text, TextAt at,
                                       DiagnosticSink& sink,
                                       RegexCache& regexes,
                                       std::string* comment);

// `/source/` plus flags.
std::string RenderRegex(const Regex& regex);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_REGEX_TEXT_H_
