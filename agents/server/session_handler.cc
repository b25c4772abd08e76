#include "agents/server/session_handler.h"

#include <utility>

#include "agents/tls_session.h"
#include "engine/ext/registry.h"

namespace smtpspec::agents::server {

namespace engine = smtpspec::server;

SessionHandler::SessionHandler(const SessionContext& context,
                               const Address& peer, const Address& local,
                               bool implicit_tls)
    : context_(context), faults_(context.faults) {
  info_.remote_address = FormatAddress(peer);
  info_.local_address = FormatAddress(local);
  info_.tls = implicit_tls;
}

SessionHandler::~SessionHandler() = default;

void SessionHandler::OnOpen(Connection& connection, TimePoint now) {
  engine::Config config = context_.engine;
  // RFC 3207 4.2 / RFC 8314: no STARTTLS inside TLS.
  if (context_.starttls != nullptr && !info_.tls) {
    ext::Enable(config.extensions, "starttls");
  }
  session_ = std::make_unique<engine::Session>(std::move(config),
                                               *context_.backend, info_, now);
  if (context_.transcripts != nullptr) {
    transcript_ = std::make_unique<SessionTranscript>(
        *context_.transcripts, "session " + std::to_string(connection.id()) +
                                   " from " + info_.remote_address +
                                   (info_.tls ? " (implicit TLS)" : ""));
  }
  std::string out;
  faults_.Pass(*session_, out);
  Flush(connection, std::move(out));
}

void SessionHandler::OnBytes(Connection& connection, std::string_view bytes,
                             TimePoint now) {
  if (session_ == nullptr || session_->closed()) return;
  if (transcript_) transcript_->Client(bytes);
  std::string out;
  faults_.Feed(*session_, bytes, now, out);
  Flush(connection, std::move(out));
}

void SessionHandler::OnTlsReady(Connection& connection, TimePoint now) {
  // Implicit TLS (RFC 8314) also ends here; the session knew from the start.
  if (!starting_tls_ || session_ == nullptr) return;
  starting_tls_ = false;
  if (transcript_) transcript_->StartTls();
  session_->TlsEstablished(now);
  std::string out;
  faults_.Pass(*session_, out);
  Flush(connection, std::move(out));
}

void SessionHandler::OnPeerClosed(Connection& connection, TimePoint now) {
  if (session_ != nullptr && !session_->closed()) session_->ConnectionLost();
  connection.Close();
}

std::optional<TimePoint> SessionHandler::NextDeadline() const {
  if (session_ == nullptr) return std::nullopt;
  return session_->Deadline();
}

void SessionHandler::OnDeadline(Connection& connection, TimePoint now) {
  if (session_ == nullptr) return;
  session_->Tick(now);  // 421, RFC 5321 4.5.3.2.7
  std::string out;
  faults_.Pass(*session_, out);
  Flush(connection, std::move(out));
}

void SessionHandler::OnShutdown(Connection& connection, TimePoint now) {
  if (session_ == nullptr || session_->closed()) {
    connection.Close();
    return;
  }
  session_->Shutdown(now);  // 421, RFC 5321 3.8
  std::string out;
  faults_.Pass(*session_, out);
  Flush(connection, std::move(out));
  connection.Close();
}

void SessionHandler::OnClosed(const Status& status) {
  if (session_ != nullptr && !session_->closed()) session_->ConnectionLost();
  if (transcript_ && !status.ok()) {
    transcript_->Note("closed: " + status.error().reason);
  }
  transcript_.reset();
}

void SessionHandler::Flush(Connection& connection, std::string output) {
  if (!output.empty()) {
    if (transcript_) transcript_->Server(output);
    connection.Send(output);
  }
  if (faults_.close_now()) {
    // early-close: gone without 421 (RFC 5321 3.8 says a server must not).
    session_->ConnectionLost();
    connection.Close();
    return;
  }
  for (const engine::Event& event : session_->TakeEvents()) {
    if (event.kind == engine::event::Kind::kStartTls &&
        context_.starttls != nullptr) {
      Result<std::unique_ptr<tls::Session>> tls =
          tls::Session::Server(*context_.starttls);
      if (!tls.ok() || !connection.StartTls(std::move(*tls)).ok()) {
        connection.Abort("cannot start TLS");
        return;
      }
      starting_tls_ = true;
    } else if (event.kind == engine::event::Kind::kClose) {
      connection.Close();
    }
  }
}

}  // namespace smtpspec::agents::server
