// The reference SMTP server: the engine's server::Session on the agents'
// epoll loop, one SessionHandler per connection, a MailBackend over the
// configured sink, STARTTLS (RFC 3207) and implicit-TLS listeners
// (RFC 8314), per-session transcripts, and graceful shutdown (SIGTERM:
// 421 to every open session, RFC 5321 3.8, with writes finished).
//
// Run() blocks on the calling thread. From another thread only
// loop().Interrupt() may be called (it shuts the server down).
#ifndef SMTPSPEC_AGENTS_SERVER_SERVER_H_
#define SMTPSPEC_AGENTS_SERVER_SERVER_H_

#include <memory>
#include <optional>
#include <vector>

#include "agents/address.h"
#include "agents/config.h"
#include "agents/loop.h"
#include "agents/server/backend.h"
#include "agents/server/faults.h"
#include "agents/server/session_handler.h"
#include "agents/server/transcript_sink.h"
#include "agents/sink.h"
#include "agents/tls_context.h"
#include "engine/result.h"
#include "engine/server/config.h"

namespace smtpspec::agents::server {

// The engine's view of the configuration: names, extensions, limits,
// timers. (The engine offers no DSN or EXPN; those keys are accepted and
// have no effect.)
smtpspec::server::Config EngineConfig(const config::Server& config);

class Server {
 public:
  // Opens the sink, loads TLS, and binds every listener (so a busy port is
  // reported here, and port 0 is resolved). `loop_options` is for tests;
  // its max_connections is replaced by limits.connections.
  static Result<std::unique_ptr<Server>> Create(const config::Server& config,
                                                std::vector<Fault> faults = {},
                                                LoopOptions loop_options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The addresses bound, ports resolved, in configuration order.
  const std::vector<Address>& listening() const { return listening_; }
  const std::vector<Address>& implicit_tls() const { return implicit_tls_; }

  Loop& loop() { return *loop_; }
  // Serves until shut down (loop().Shutdown(), Interrupt(), or a signal
  // routed by loop().WatchSignals()).
  Status Run() { return loop_->Run(); }

 private:
  Server() = default;
  Status Listen(const config::Server& config);

  std::unique_ptr<sink::Sink> sink_;
  std::unique_ptr<MailBackend> backend_;
  std::unique_ptr<TranscriptSink> transcripts_;
  std::optional<tls::Context> tls_;
  SessionContext context_;
  std::unique_ptr<Loop> loop_;
  std::vector<Address> listening_;
  std::vector<Address> implicit_tls_;
};

}  // namespace smtpspec::agents::server

#endif  // SMTPSPEC_AGENTS_SERVER_SERVER_H_
