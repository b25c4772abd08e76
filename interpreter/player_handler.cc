#include "interpreter/player_handler.h"

#include <time.h>

#include <chrono>
#include <ctime>
#include <utility>

#include "engine/ehlo.h"
#include "parser/raw_string.h"

namespace smtpspec::interp {
namespace {

using agents::Connection;
using agents::TimePoint;
using Clock = std::chrono::steady_clock;

// Serve mode: a first line longer than this is no EHLO naming a script
// (RFC 5321 4.5.3.1.4: 512 octets a command line); the default script
// judges it.
constexpr std::size_t kFirstLineLimit = 4096;

}  // namespace

std::string Rfc3339Now() {
  const std::time_t t =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::unique_ptr<agents::Loop>> MakeLoop(agents::LoopOptions options) {
  options.output_limit =
      2 * static_cast<std::size_t>(parser::kMaxRawBytes) + (1 << 20);
  return agents::Loop::Create(options);
}

Status MakeServerTls(const DriverOptions& options,
                     std::optional<agents::tls::Context>* out) {
  if (options.tls_certificate.empty()) return OkStatus();
  agents::tls::ServerOptions server;
  server.certificate_file = options.tls_certificate;
  server.key_file = options.tls_key;
  Result<agents::tls::Context> context =
      agents::tls::Context::ForServer(server);
  if (!context.ok()) return context.error();
  out->emplace(std::move(context).value());
  return OkStatus();
}

PlayerOptions BasePlayerOptions(const DriverOptions& options,
                                const std::string& file) {
  PlayerOptions out;
  out.mode = options.mode;
  out.vars = options.vars;
  out.step_timeout = options.step_timeout;
  out.unknown_local_part = options.unknown_local_part;
  out.reference = options.reference;
  out.file = file;
  out.started_at = Rfc3339Now();
  out.target.tls = options.tls;
  return out;
}

Result<std::string> Prelude::Feed(std::string_view bytes,
                                  const std::string& domain) {
  if (phase_ == Phase::kGreeting) greeting_.append(bytes);
  reader_.Feed(bytes);
  while (true) {
    wire::Event<wire::Received<Reply>> event = reader_.Next();
    if (std::holds_alternative<wire::NeedData>(event)) return std::string();
    if (auto* problem = std::get_if<wire::Problem>(&event)) {
      return Error{0, "STARTTLS preparation: " + problem->reason};
    }
    const Reply& reply = std::get<wire::Received<Reply>>(event).value;
    switch (phase_) {
      case Phase::kGreeting:
        if (reply.code != 220) {
          return Error{0, "STARTTLS preparation: the greeting was " +
                              std::to_string(reply.code)};
        }
        phase_ = Phase::kEhlo;
        return "EHLO " + domain + "\r\n";
      case Phase::kEhlo: {
        // Read as a client reads it (engine/ehlo.h kLenient), the keyword
        // whole and in any case (RFC 5321 4.1.1.1).
        const bool starttls = AdvertisesKeyword(reply, "STARTTLS");
        if (reply.code != 250 || !starttls) {
          return Error{0, "the target does not advertise STARTTLS"};
        }
        phase_ = Phase::kStartTls;
        return std::string("STARTTLS\r\n");
      }
      case Phase::kStartTls:
        if (reply.code != 220) {
          return Error{0,
                       "STARTTLS was answered " + std::to_string(reply.code)};
        }
        phase_ = Phase::kHandshake;
        return std::string();
      default:
        return Error{0, "the server spoke during the TLS handshake"};
    }
  }
}

void PlayerHandler::OnOpen(Connection& c, TimePoint now) {
  job_.connected = true;
  if (!prelude_) {
    if (job_.lobby) job_.lobby->connected = now;
    job_.player->Connected(now);
  }
  Pump(c);
}

void PlayerHandler::OnBytes(Connection& c, std::string_view bytes,
                            TimePoint now) {
  if (prelude_ && prelude_->phase() != Prelude::Phase::kDone) {
    Result<std::string> next = prelude_->Feed(bytes, host_.ClientDomain());
    if (!next.ok()) {
      job_.player->ConnectFailed(next.error().reason, now);
      Pump(c);
      return;
    }
    if (!next->empty()) c.Send(*next);
    if (prelude_->phase() == Prelude::Phase::kHandshake && !tls_started_) {
      StartTls(c);
    }
    return;
  }
  if (job_.lobby && job_.lobby->open) {
    job_.lobby->held.append(bytes);
    const std::string& held = job_.lobby->held;
    if (held.find('\n') == std::string::npos &&
        held.size() <= kFirstLineLimit) {
      return;  // the first line is not complete yet
    }
    LeaveLobby(/*line_ended=*/true, now);
    Pump(c);
    return;
  }
  job_.player->Received(bytes, now);
  Pump(c);
}

void PlayerHandler::LeaveLobby(bool line_ended, TimePoint now) {
  job_.lobby->open = false;
  std::string held = std::exchange(job_.lobby->held, {});
  if (held.empty()) return;
  if (line_ended) {
    host_.FirstLine(job_, std::move(held), now);
  } else {
    job_.player->Received(held, now);
  }
}

void PlayerHandler::OnTlsReady(Connection& c, TimePoint now) {
  if (prelude_ && prelude_->phase() == Prelude::Phase::kHandshake) {
    prelude_->HandshakeDone();
    job_.player->Connected(now);
    job_.player->Received(prelude_->greeting(), now);
  } else {
    job_.player->TlsEstablished(now);
  }
  Pump(c);
}

void PlayerHandler::OnPeerClosed(Connection& c, TimePoint now) {
  // A client that closes before it ends its first line named nothing: the
  // default script judges what it sent.
  if (job_.lobby && job_.lobby->open) LeaveLobby(/*line_ended=*/false, now);
  job_.player->PeerClosed(now);
  Pump(c);
}

void PlayerHandler::OnDeadline(Connection& c, TimePoint now) {
  if (job_.lobby && job_.lobby->open) job_.lobby->ticks.push_back(now);
  job_.player->Tick(now);
  Pump(c);
}

void PlayerHandler::OnShutdown(Connection& c, TimePoint now) {
  host_.ShuttingDown(job_, now);
  Pump(c);
  c.Close();
}

void PlayerHandler::OnClosed(const Status& status) {
  const TimePoint now = Clock::now();
  if (!job_.player->done()) {
    if (!status.ok() && (tls_started_ || !job_.connected)) {
      if (tls_started_) {
        job_.player->TlsFailed(status.error().reason, now);
      } else {
        job_.player->ConnectFailed(status.error().reason, now);
      }
    } else {
      job_.player->ConnectionGone(now);
    }
  }
  host_.Deliver(job_);
}

bool PlayerHandler::StartTls(Connection& c) {
  tls_started_ = true;
  Result<std::unique_ptr<agents::tls::Session>> session =
      host_.mode() == Mode::kServer
          ? (host_.client_tls() == nullptr
                 ? Result<std::unique_ptr<agents::tls::Session>>(
                       Error{0, "no TLS client context"})
                 : agents::tls::Session::Client(*host_.client_tls(),
                                                host_.ServerName()))
          : (host_.server_tls() == nullptr
                 ? Result<std::unique_ptr<agents::tls::Session>>(
                       Error{0,
                             "a client under test asked for TLS, but no "
                             "certificate was given (--tls-cert, --tls-key)"})
                 : agents::tls::Session::Server(*host_.server_tls()));
  if (!session.ok()) {
    job_.player->TlsFailed(session.error().reason, Clock::now());
    return false;
  }
  Status status = c.StartTls(std::move(session).value());
  if (!status.ok()) {
    job_.player->TlsFailed(status.error().reason, Clock::now());
    return false;
  }
  return true;
}

void PlayerHandler::Pump(Connection& c) {
  std::string out = job_.player->TakeOutput();
  if (job_.lobby && job_.lobby->open) job_.lobby->sent += out;
  if (!out.empty()) c.Send(out);
  if (job_.player->wants_tls() && !tls_started_ && !job_.player->done()) {
    StartTls(c);
    out = job_.player->TakeOutput();
    if (!out.empty()) c.Send(out);
  }
  if (job_.player->done() || job_.player->wants_close()) c.Close();
  // The result is final once the Player is done: hand it over and free the
  // job's slot now, while the socket finishes its orderly close (which may
  // linger for the peer's FIN) in the background.
  if (job_.player->done()) host_.Deliver(job_);
}

}  // namespace smtpspec::interp
