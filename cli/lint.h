// `lint FILE|DIR...`: parse every transcript and resolve its includes;
// print every problem as file:line:col: message, or, when there is none,
// one line: "lint: 181 files, no problems".
#ifndef SMTPSPEC_CLI_LINT_H_
#define SMTPSPEC_CLI_LINT_H_

#include <ostream>
#include <string>
#include <vector>

namespace smtpspec::cli {

// Exit status: 0 when every file is valid, 1 when any has problems (all
// listed on `out`), 2 on a usage error (one line on `err`).
int RunLint(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_LINT_H_
