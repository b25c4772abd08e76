// Resolving `!include` steps. The parser never touches files; this step
// asks a Loader for them, so tests and fuzzers can serve files from memory
// and the command-line tools from disk.
#ifndef SMTPSPEC_PARSER_INCLUDE_H_
#define SMTPSPEC_PARSER_INCLUDE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/result.h"
#include "parser/parser.h"
#include "parser/scenario.h"

namespace smtpspec::parser {

// Supplies the text of included files.
class Loader {
 public:
  virtual ~Loader() = default;
  // The contents of `path` (as built by JoinIncludePath), or a one-sentence
  // reason it cannot be read ("no such file").
  virtual Result<std::string> Load(const std::string& path) = 0;
};

// Bounds on what includes may expand to, across the whole load of one
// scenario: how deep they nest, how many steps they add to those of the file
// that includes them, and how many bytes of text they read. Each included
// file is bounded alone by its reader; these bound the sum, which repetition
// would otherwise multiply (30 includes of a 10 MB file).
inline constexpr int kMaxIncludeDepth = 16;
inline constexpr std::size_t kMaxResolvedSteps = 1000000;
inline constexpr std::size_t kMaxIncludedBytes = 64u << 20;

// `include` relative to the directory of `from_file`, with "." and ".."
// folded away ("a/b.smtp" + "../c.smtp" is "c.smtp"). Absolute paths stay.
std::string JoinIncludePath(std::string_view from_file,
                            std::string_view include);

// Replaces every !include in `scenario` (read from `file`), recursively,
// by the steps of the file it names. Included steps keep their own file in
// Step::position. An included file's `vars` and `requires` are added to the
// scenario's (the including file wins on a clash); its other metadata is
// ignored. Missing files, parse errors in them, cycles and runaway
// expansion are diagnostics at the include line. Pass the scenario with
// std::move when it is not needed afterwards: its steps then move instead
// of being copied, and a scenario without includes is returned as it is,
// with no second array of steps.
ParseResult ResolveIncludes(Scenario scenario, const std::string& file,
                            Loader& loader);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_INCLUDE_H_
