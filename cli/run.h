// `smtpspec_cli run`: runs scenario files against one target and streams
// one JSON line per result (docs/results-schema.md) on stdout.
#ifndef SMTPSPEC_CLI_RUN_H_
#define SMTPSPEC_CLI_RUN_H_

#include <string>
#include <vector>

namespace smtpspec::cli {

// Exit codes: 0 nothing failed, 1 a result or an incidental finding fails
// the run as cli/verdicts.json says (FAILED, ERROR, a MUST incidental
// finding; NON-STRICT and SHOULD ones too with --strict), 2 a usage or
// configuration error.
int Run(const std::vector<std::string>& args);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_RUN_H_
