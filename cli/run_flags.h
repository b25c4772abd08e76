// What `smtpspec_cli run` and `smtpspec_cli serve` share: the flags both
// take, and the steps both go through before anything runs (every file
// parsed, with all its problems, before any scenario plays), and what
// makes either exit 1.
#ifndef SMTPSPEC_CLI_RUN_FLAGS_H_
#define SMTPSPEC_CLI_RUN_FLAGS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/selection.h"
#include "engine/result.h"
#include "interpreter/driver.h"
#include "interpreter/result.h"
#include "parser/scenario.h"

namespace smtpspec::cli {

struct RunFlags {
  // --listen, --tls-cert, --tls-key, --var, --timeout, --target-name; and
  // ${unknown_mailbox}'s local part, fresh each run (PlayerOptions).
  interp::DriverOptions options;
  Selection selection;
  bool strict = false;
  bool metadata = false;
  std::vector<std::string> files;  // the FILE|DIR arguments
};

// Flags with nothing read yet, but a fresh ${unknown_mailbox}.
RunFlags NewRunFlags();

// If args[*i] is one of the shared flags (those above, or a selection
// flag), reads it and its value into `flags` (advancing *i past the value)
// and returns OkStatus() or the one-line reason the value is bad; nullopt
// when args[*i] is some other flag. An argument that is no flag (does not
// start with '-') is a file: it goes into flags->files.
std::optional<Status> ReadRunFlag(const std::vector<std::string>& args,
                                  std::size_t* i, RunFlags* flags);

// The files the arguments name, every one parsed; nullopt (every problem
// printed on stderr as file:line:col) when one cannot be. `files` becomes
// the list of transcripts, in the order of `scenarios`.
std::optional<std::vector<parser::Scenario>> ParseAll(
    std::vector<std::string>* files, std::string* usage_error);

// Whether a result makes the run exit 1, as cli/verdicts.json says: its
// verdict, or an incidental finding of a level that fails (a divergence
// of the target all the same, though it does not decide the verdict).
bool FailsRun(const interp::ScenarioResult& result, bool strict);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_RUN_FLAGS_H_
