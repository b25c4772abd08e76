// The adapter between the event loop and the engine: one SessionHandler
// per accepted connection wraps one smtpspec::server::Session. Bytes from
// the socket go into the session, its output goes back out, its events
// become loop actions (STARTTLS, close), its deadline becomes the loop's
// timer (RFC 5321 4.5.3.2.7), and a shutdown becomes 421 (RFC 5321 3.8).
// Faults (faults.h) and the transcript log sit around the session here.
#ifndef SMTPSPEC_AGENTS_SERVER_SESSION_HANDLER_H_
#define SMTPSPEC_AGENTS_SERVER_SESSION_HANDLER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/connection.h"
#include "agents/server/faults.h"
#include "agents/server/transcript_sink.h"
#include "agents/tls_context.h"
#include "engine/server/backend.h"
#include "engine/server/config.h"
#include "engine/server/session.h"

namespace smtpspec::agents::server {

// What every session of one server shares; owned by the Server, read-only
// while the loop runs.
struct SessionContext {
  smtpspec::server::Config engine;
  smtpspec::server::Backend* backend = nullptr;
  const tls::Context* starttls = nullptr;  // null: STARTTLS not offered
  std::vector<Fault> faults;
  TranscriptSink* transcripts = nullptr;  // null: no transcripts
};

class SessionHandler : public Handler {
 public:
  // `implicit_tls`: the connection came to an RFC 8314 implicit-TLS port.
  SessionHandler(const SessionContext& context, const Address& peer,
                 const Address& local, bool implicit_tls);
  ~SessionHandler() override;

  void OnOpen(Connection& connection, TimePoint now) override;
  void OnBytes(Connection& connection, std::string_view bytes,
               TimePoint now) override;
  void OnTlsReady(Connection& connection, TimePoint now) override;
  void OnPeerClosed(Connection& connection, TimePoint now) override;
  std::optional<TimePoint> NextDeadline() const override;
  void OnDeadline(Connection& connection, TimePoint now) override;
  void OnShutdown(Connection& connection, TimePoint now) override;
  void OnClosed(const Status& status) override;

 private:
  // Sends the session's output and acts on its events.
  void Flush(Connection& connection, std::string output);

  const SessionContext& context_;
  smtpspec::server::ConnectionInfo info_;
  std::unique_ptr<smtpspec::server::Session> session_;
  FaultLayer faults_;
  std::unique_ptr<SessionTranscript> transcript_;
  bool starting_tls_ = false;  // we asked for STARTTLS's handshake
};

}  // namespace smtpspec::agents::server

#endif  // SMTPSPEC_AGENTS_SERVER_SESSION_HANDLER_H_
