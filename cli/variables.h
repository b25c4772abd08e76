// `smtpspec_cli variables [--json]`: the defaults of the target variables
// (parser/target_variables.h), as the Player gives them. A client under
// test's command template is filled in with them (cli/client_command.h);
// the command prints them for people and for the documentation's test
// (runner/variables_test.py).
#ifndef SMTPSPEC_CLI_VARIABLES_H_
#define SMTPSPEC_CLI_VARIABLES_H_

#include <ostream>
#include <string>
#include <vector>

namespace smtpspec::cli {

// A target variable's default: text in which ${NAME} is the value of a
// variable listed before it.
struct VariableDefault {
  std::string name;
  std::string value;
};

// In the order of parser::kTargetVariables, without ${unknown_mailbox}:
// its local part is random per run, so no one can fill it in beforehand.
std::vector<VariableDefault> TargetDefaults();

// Prints TargetDefaults(), one `NAME VALUE` line each, or with --json one
// array of {"name", "default"} objects. Exit codes: 0, 2 usage error.
int RunVariables(const std::vector<std::string>& args, std::ostream& out,
                 std::ostream& err);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_VARIABLES_H_
