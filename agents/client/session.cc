#include "agents/client/session.h"

#include <memory>
#include <utility>

#include "agents/connection.h"
#include "agents/loop.h"
#include "engine/client/connection.h"

namespace smtpspec::agents::client {
namespace {

namespace engine = smtpspec::client;

constexpr std::size_t kOutputChunk = 64 * 1024;
constexpr std::size_t kOutputHighWater = 256 * 1024;
constexpr std::chrono::milliseconds kOutputPoll{2};

// Drives one engine::Connection over one loop connection. Writes the result
// into a Report owned by Session::Send, which outlives the loop.
class Driver : public Handler {
 public:
  Driver(const Options& options, const tls::Context* tls,
         std::vector<engine::Message> messages, Report& report)
      : options_(options),
        tls_(tls),
        messages_(std::move(messages)),
        report_(report) {}

  void OnOpen(Connection& connection, TimePoint now) override {
    session_.emplace(options_.session, std::move(messages_), now);
    Pump(connection, now);
  }

  void OnBytes(Connection& connection, std::string_view bytes,
               TimePoint now) override {
    if (!session_) return;
    session_->Feed(bytes, now);
    Pump(connection, now);
  }

  void OnTlsReady(Connection& connection, TimePoint now) override {
    if (connection.tls() != nullptr) report_.tls = connection.tls()->info();
    if (!starting_tls_ || !session_) return;  // implicit TLS: nothing to do
    starting_tls_ = false;
    session_->TlsEstablished(now);
    Pump(connection, now);
  }

  void OnPeerClosed(Connection& connection, TimePoint now) override {
    if (session_ && !session_->done()) session_->ConnectionClosed(now);
    if (session_) Pump(connection, now);
    connection.Close();
  }

  std::optional<TimePoint> NextDeadline() const override {
    if (!session_ || session_->done()) return std::nullopt;
    std::optional<TimePoint> deadline = session_->deadline();
    if (session_->pending_output() > 0 && (!deadline || poll_at_ < *deadline)) {
      return poll_at_;
    }
    return deadline;
  }

  void OnDeadline(Connection& connection, TimePoint now) override {
    if (!session_) return;
    session_->Tick(now);  // RFC 5321 4.5.3.2 timeouts
    Pump(connection, now);
  }

  void OnClosed(const Status& status) override {
    if (!status.ok()) report_.error = status.error().reason;
    TimePoint now = Clock::now();
    if (session_) {
      if (!session_->done()) {
        bool tls_failed = starting_tls_ ||
                          (options_.implicit_tls && !report_.tls.has_value());
        if (tls_failed && !status.ok()) {
          session_->TlsFailed(status.error().reason, now);
        } else {
          session_->ConnectionClosed(now);
        }
      }
      report_.outcome = session_->outcome();
    } else {
      // Never connected: no SMTP happened at all.
      report_.outcome.ending = engine::Ending::kConnectionLost;
      report_.outcome.error =
          Error{0, status.ok() ? "connection closed" : status.error().reason};
    }
  }

 private:
  void Pump(Connection& connection, TimePoint now) {
    // Bounded buffering: the loop aborts a connection whose queued output
    // passes its limit, and a 10 MB body must not get near it.
    while (session_->pending_output() > 0 &&
           connection.queued() < kOutputHighWater && !connection.closing()) {
      connection.Send(session_->TakeOutput(now, kOutputChunk));
    }
    // The rest of a large body waits for the socket to drain; the loop
    // has no "writable" callback, so look again shortly.
    poll_at_ = now + kOutputPoll;
    for (const engine::Event& event : session_->TakeEvents()) {
      if (event.kind == engine::Event::Kind::kClose) {
        connection.Close();
      } else if (event.kind == engine::Event::Kind::kStartTls) {
        StartTls(connection, now);
      }
    }
  }

  void StartTls(Connection& connection, TimePoint now) {
    if (tls_ == nullptr) {
      session_->TlsFailed("no TLS configuration", now);
      connection.Close();
      return;
    }
    Result<std::unique_ptr<tls::Session>> tls =
        tls::Session::Client(*tls_, ServerName(options_));
    if (!tls.ok()) {
      session_->TlsFailed(tls.error().reason, now);
      connection.Close();
      return;
    }
    Status started = connection.StartTls(std::move(*tls));
    if (!started.ok()) {
      session_->TlsFailed(started.error().reason, now);
      connection.Close();
      return;
    }
    starting_tls_ = true;
  }

 public:
  static std::string ServerName(const Options& options) {
    return options.server_name.empty() ? options.server.host
                                       : options.server_name;
  }

 private:
  const Options& options_;
  const tls::Context* tls_;
  std::vector<engine::Message> messages_;
  Report& report_;
  std::optional<engine::Connection> session_;
  bool starting_tls_ = false;
  TimePoint poll_at_{};  // when to send more of a body held back
};

}  // namespace

bool AllAccepted(const Report& report) {
  for (const engine::Transaction& t : report.outcome.transactions) {
    if (t.disposition != engine::Disposition::kAccepted) return false;
  }
  return !report.outcome.transactions.empty();
}

std::string Summary(const Report& report) {
  std::size_t accepted = 0;
  for (const engine::Transaction& t : report.outcome.transactions) {
    if (t.disposition == engine::Disposition::kAccepted) ++accepted;
  }
  std::string out = "delivered " + std::to_string(accepted) + " of " +
                    std::to_string(report.outcome.transactions.size()) +
                    " message(s)";
  if (report.tls) out += " over " + report.tls->version;
  if (!report.error.empty()) {
    out += "; connection: " + report.error;
  } else if (report.outcome.error) {
    out += "; " + report.outcome.error->reason;
  }
  return out;
}

Result<Session> Session::Create(Options options) {
  std::optional<tls::Context> context;
  if (options.implicit_tls || options.session.tls != engine::TlsPolicy::kOff) {
    Result<tls::Context> made = tls::Context::ForClient(options.tls);
    if (!made.ok()) return made.error();
    context = std::move(*made);
  }
  return Session(std::move(options), std::move(context));
}

Result<Report> Session::Send(std::vector<engine::Message> messages) {
  if (used_) return Error{0, "this session has already sent; make another"};
  used_ = true;
  Result<std::unique_ptr<Loop>> loop = Loop::Create();
  if (!loop.ok()) return loop.error();
  Report report;
  ConnectOptions connect;
  connect.timeout = options_.connect_timeout;
  if (options_.implicit_tls) {
    connect.implicit_tls = *tls_;
    connect.server_name = Driver::ServerName(options_);
  }
  Status started = (*loop)->Connect(
      options_.server,
      std::make_unique<Driver>(options_, tls_ ? &*tls_ : nullptr,
                               std::move(messages), report),
      connect);
  if (!started.ok()) return started.error();
  Status ran = (*loop)->Run();
  if (!ran.ok()) return ran.error();
  return report;
}

}  // namespace smtpspec::agents::client
