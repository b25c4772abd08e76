// A stable, explicit text form of a parsed Scenario, one fact a line, for
// golden tests and for debugging: unlike Render it shows the structure
// (segments, alternatives, line kinds), not the syntax.
#ifndef SMTPSPEC_PARSER_DUMP_H_
#define SMTPSPEC_PARSER_DUMP_H_

#include <string>

#include "parser/scenario.h"

namespace smtpspec::parser {

std::string DebugDump(const Scenario& scenario);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_DUMP_H_
