// `smtpspec_cli serve`: a scripted SMTP server for clients that connect of
// their own accord (interpreter/serve.h). It parses and selects the files
// as `run` does (cli/run_flags.h), keeping the scenarios that test a
// client, and prints on stdout, as JSON lines (docs/results-schema.md):
// with --metadata each script's record and the selection record; then,
// once it listens, the serving record (where, each script's EHLO name,
// notes); then one result per connection as it ends. It serves until
// --count N connections were judged, or SIGINT / SIGTERM.
#ifndef SMTPSPEC_CLI_SERVE_H_
#define SMTPSPEC_CLI_SERVE_H_

#include <string>
#include <vector>

namespace smtpspec::cli {

// Exit codes as `run`'s (cli/run.h): 0 nothing failed, 1 a result failed,
// 2 a usage or configuration error.
int Serve(const std::vector<std::string>& args);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_SERVE_H_
