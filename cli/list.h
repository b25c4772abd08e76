// `smtpspec_cli list`: each scenario file's metadata as one JSON line, for
// the runner's selection (--tags, --rfc, --id, --level) and `explain`.
#ifndef SMTPSPEC_CLI_LIST_H_
#define SMTPSPEC_CLI_LIST_H_

#include <string>
#include <vector>

namespace smtpspec::cli {

// Exit codes: 0 every file parsed, 2 usage error or a file did not parse
// (its diagnostics go to stderr and it gets no line).
int List(const std::vector<std::string>& args);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_LIST_H_
