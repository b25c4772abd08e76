// The smtpspec command-line binary: one subcommand per file (lint.h,
// fmt.h; `run` comes with the interpreter), chosen here.
#ifndef SMTPSPEC_CLI_DISPATCH_H_
#define SMTPSPEC_CLI_DISPATCH_H_

#include <ostream>
#include <string>
#include <vector>

namespace smtpspec::cli {

// `args` excludes the program name. Returns the exit status: 0 success,
// 1 problems found, 2 usage error (one line on `err`).
int Dispatch(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_DISPATCH_H_
