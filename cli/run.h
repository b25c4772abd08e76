// `smtpspec_cli run`: runs the selected scenarios of the files given
// (cli/selection.h) against one target and streams one JSON line per
// result (docs/results-schema.md) on stdout. A client under test's command
// template is filled in for each scenario (cli/client_command.h). Every
// file is parsed once: with --metadata the record of each scenario it will
// run comes first, then the selection record, before any result; with
// --hold it then waits for a line on stdin (the runner's go). A file
// without an id is an include fragment, never run.
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
