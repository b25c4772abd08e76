// Serve mode: the harness is a scripted SMTP server for whatever client
// connects (`smtpspec serve --script`). It listens, plays one script (a
// client scenario, tests: client or both) per connection as RunJobs plays
// one to a client it started, and hands over each connection's result as
// the connection ends. Which script a connection plays is the client's
// choice, by its EHLO name (script_book.h); the first script greets.
//
// Many connections may be open at once; each is judged on its own. It
// serves until `count` connections have been judged, or until SIGINT or
// SIGTERM: then every connection still open is answered 421 (RFC 5321
// 3.8) and ends in an ERROR result that says so.
#ifndef SMTPSPEC_INTERPRETER_SERVE_H_
#define SMTPSPEC_INTERPRETER_SERVE_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "agents/address.h"
#include "engine/result.h"
#include "interpreter/driver.h"
#include "interpreter/result.h"
#include "interpreter/script_book.h"

namespace smtpspec::interp {

// What the server is about to serve, once it listens.
struct Serving {
  agents::Address address;  // the port bound, when --listen said 0
  // One sentence each: the scripts that cannot be chosen, and why.
  std::vector<std::string> notes;
};

// Serves `scripts` (named as `book` says, in the same order) with
// `options`: listen, the TLS certificate, vars, step_timeout,
// target_name (default: the listening address), reference; `count` 0 serves
// until a signal. Returns an error only when serving cannot start (bad TLS
// files, the address in use); what goes wrong on one connection is in its
// result.
Status Serve(const std::vector<Job>& scripts, const ScriptBook& book,
             const DriverOptions& options, std::size_t count,
             const std::function<void(const Serving&)>& on_listening,
             const std::function<void(const ScenarioResult&)>& on_result);

}  // namespace smtpspec::interp

#endif  // SMTPSPEC_INTERPRETER_SERVE_H_
