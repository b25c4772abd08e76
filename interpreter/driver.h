// Runs Players over real sockets: many scenarios against one target on one
// event loop (agents/loop.h), at most `jobs` at a time, each result handed
// over as soon as its scenario ends.
//
// With a server under test each scenario gets its own connection to the
// target (plain, implicit TLS, or STARTTLS done by the harness before the
// scenario starts). With a client under test the harness listens on
// loopback and starts the client command once per scenario; those run one
// at a time, so that each connection belongs to the client just started.
// Serving scripts to clients that connect of their own accord is serve.h.
#ifndef SMTPSPEC_INTERPRETER_DRIVER_H_
#define SMTPSPEC_INTERPRETER_DRIVER_H_

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "agents/address.h"
#include "engine/result.h"
#include "engine/server/config.h"
#include "interpreter/result.h"
#include "parser/scenario.h"
#include "parser/variables.h"

namespace smtpspec::interp {

struct DriverOptions {
  Mode mode = Mode::kServer;
  // Server under test.
  agents::Address target;
  std::string target_name;  // for reports; default: the address
  TargetTls tls = TargetTls::kNone;
  std::string ca_file;      // verify the server against these CAs
  bool insecure = false;    // do not verify the server's certificate
  std::string server_name;  // SNI and name check; default: the host
  // Client under test: a shell command with {host} and {port}, unless the
  // job has its own (Job::client_command).
  std::string client_command;
  agents::Address listen{"127.0.0.1", 0};
  std::string tls_certificate;  // for `!starttls` with a client under test
  std::string tls_key;
  // Both.
  std::vector<parser::Binding> vars;
  std::chrono::milliseconds step_timeout{10000};
  // The random part of ${unknown_mailbox} (PlayerOptions); the caller
  // draws it, since the interpreter keeps no source of randomness.
  std::string unknown_local_part;
  std::size_t jobs = 4;
  server::Config reference;
};

struct Job {
  const parser::Scenario* scenario = nullptr;
  std::string file;
  // Client mode: this scenario's command, when the caller filled in a
  // template per scenario (cli/client_command.h); {host} and {port} are
  // still to be filled in here.
  std::string client_command;
};

// Runs `jobs`, calling `on_result` once per job as it finishes. Returns an
// error only when the run cannot start at all (bad TLS files, no socket);
// everything that goes wrong with one scenario is in its result.
Status RunJobs(const std::vector<Job>& jobs, const DriverOptions& options,
               const std::function<void(const ScenarioResult&)>& on_result);

}  // namespace smtpspec::interp

#endif  // SMTPSPEC_INTERPRETER_DRIVER_H_
