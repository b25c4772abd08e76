// Writing a Scenario back as canonical transcript text: what `fmt` writes.
// For every scenario the parser can produce, Parse(Render(s)) == s.
#ifndef SMTPSPEC_PARSER_RENDER_H_
#define SMTPSPEC_PARSER_RENDER_H_

#include <string>

#include "parser/scenario.h"

namespace smtpspec::parser {

// The canonical text: front matter keys in a fixed order, one space after
// markers, one space before comments, pipelined commands indented by two,
// no runs of blank lines, LF line ends, and a newline at the end.
std::string Render(const Scenario& scenario);

// One step's lines, each ending in "\n" (lead comments included).
std::string RenderStep(const Step& step);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_RENDER_H_
