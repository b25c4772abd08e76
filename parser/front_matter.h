// The YAML front matter of a transcript: the lines between the opening and
// closing '---' (docs/transcript-format.md, "Front matter").
#ifndef SMTPSPEC_PARSER_FRONT_MATTER_H_
#define SMTPSPEC_PARSER_FRONT_MATTER_H_

#include <string>
#include <string_view>

#include "parser/diagnostic.h"
#include "parser/scenario.h"

namespace smtpspec::parser {

// Reads `yaml`, whose first line is line `first_line` of the file. Every
// problem (bad YAML, unknown or repeated keys, wrong types or values) goes
// to `sink` with its file position; yaml-cpp's exceptions stop here.
Metadata ParseFrontMatter(std::string_view yaml, int first_line,
                          DiagnosticSink& sink);

// The canonical front matter including both '---' lines, or "" when
// `meta` is empty. Keys come in a fixed order; lists and maps in flow style.
std::string RenderFrontMatter(const Metadata& meta);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_FRONT_MATTER_H_
