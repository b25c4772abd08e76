// The driver's side of one scenario's connection, shared by its two ways
// of running (driver.h): RunJobs, which connects to a server under test or
// waits for the client it started, and Serve, which plays to whatever
// client connects. The handler carries the Player's bytes over the event
// loop (agents/loop.h) and asks its Host for what differs between them.
// The driver's own business: not a public header.
#ifndef SMTPSPEC_INTERPRETER_PLAYER_HANDLER_H_
#define SMTPSPEC_INTERPRETER_PLAYER_HANDLER_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/connection.h"
#include "agents/loop.h"
#include "agents/tls_context.h"
#include "engine/wire/reply_reader.h"
#include "interpreter/driver.h"
#include "interpreter/player.h"

namespace smtpspec::interp {

// Now, as RFC 3339 UTC: a result's started_at.
std::string Rfc3339Now();

// The driver's event loop. Its output limit guards a server from peers
// that do not read; the harness's output is the scenario's own: one step
// may send a raw string or a BDAT chunk of up to 64 MiB
// (parser/raw_string.h) in one write, which must not abort the connection.
Result<std::unique_ptr<agents::Loop>> MakeLoop(
    agents::LoopOptions options = {});

// The harness as a TLS server, for `!starttls` with a client under test:
// a context from --tls-cert and --tls-key, none without them.
Status MakeServerTls(const DriverOptions& options,
                     std::optional<agents::tls::Context>* out);

// What every Player of a run is given; the target is the caller's.
PlayerOptions BasePlayerOptions(const DriverOptions& options,
                                const std::string& file);

// Serve mode: the connection before its client has named a script
// (script_book.h). The default script's Player greets; the client's bytes
// are held back until its first line is complete, and what the Player was
// told meanwhile is kept, so that the script the client names can be
// played the same way from the start and checked to have greeted alike.
struct Lobby {
  bool open = true;
  std::string held;        // the client's bytes, not yet given to a Player
  std::string sent;        // what the harness sent
  agents::TimePoint made;  // the Player's construction
  std::optional<agents::TimePoint> connected;  // Player::Connected
  std::vector<agents::TimePoint> ticks;        // Player::Tick
};

// One scenario on its way through the run.
struct JobState {
  std::unique_ptr<Player> player;
  bool delivered = false;
  bool connected = false;  // a connection was handed to the player
  pid_t child = -1;        // client mode: the client under test
  std::optional<agents::TimePoint> child_kill_at;
  std::optional<Lobby> lobby;
};

// What the handler asks of the run it belongs to.
class Host {
 public:
  virtual ~Host() = default;
  // The job's result is final: hand it over (the host makes sure, once).
  virtual void Deliver(JobState& job) = 0;
  virtual Mode mode() const = 0;
  // TLS contexts: the harness as a client (server under test) or as a
  // server (client under test); nullptr when there is none.
  virtual agents::tls::Context* client_tls() = 0;
  virtual agents::tls::Context* server_tls() = 0;
  // Server under test: the name to verify, and the EHLO argument of the
  // STARTTLS preparation.
  virtual std::string ServerName() const { return ""; }
  virtual std::string ClientDomain() const { return kDefaultClientDomain; }
  // Serve mode: the client's bytes up to and including its first line
  // ending (or more than a line's worth without one). The host decides
  // which Player plays on, replacing job.player if need be, and gives it
  // `bytes`.
  virtual void FirstLine(JobState& job, std::string bytes,
                         agents::TimePoint now) {
    job.player->Received(bytes, now);
  }
  // The event loop is shutting down (SIGTERM, SIGINT).
  virtual void ShuttingDown(JobState& job, agents::TimePoint now) {
    job.player->ConnectionGone(now);
  }
};

// Before a scenario runs against a STARTTLS target, the harness reads the
// greeting, says EHLO and STARTTLS, and does the handshake (RFC 3207 4).
// The Player then sees the greeting and continues inside TLS.
class Prelude {
 public:
  enum class Phase { kGreeting, kEhlo, kStartTls, kHandshake, kDone };

  Phase phase() const { return phase_; }
  const std::string& greeting() const { return greeting_; }

  // Feeds server bytes; returns the command to send next ("" for none), or
  // an error that ends the scenario.
  Result<std::string> Feed(std::string_view bytes, const std::string& domain);
  void HandshakeDone() { phase_ = Phase::kDone; }

 private:
  Phase phase_ = Phase::kGreeting;
  std::string greeting_;
  wire::ReplyReader reader_;
};

// The loop's Handler for one scenario's connection.
class PlayerHandler : public agents::Handler {
 public:
  PlayerHandler(Host& host, JobState& job, bool prelude)
      : host_(host), job_(job) {
    if (prelude) prelude_.emplace();
  }
  void OnOpen(agents::Connection& c, agents::TimePoint now) override;
  void OnBytes(agents::Connection& c, std::string_view bytes,
               agents::TimePoint now) override;
  void OnTlsReady(agents::Connection& c, agents::TimePoint now) override;
  void OnPeerClosed(agents::Connection& c, agents::TimePoint now) override;
  std::optional<agents::TimePoint> NextDeadline() const override {
    return job_.player->deadline();
  }
  void OnDeadline(agents::Connection& c, agents::TimePoint now) override;
  void OnShutdown(agents::Connection& c, agents::TimePoint now) override;
  void OnClosed(const Status& status) override;

 private:
  void Pump(agents::Connection& c);
  bool StartTls(agents::Connection& c);
  // Serve mode: ends the lobby. The held bytes go to the host when they
  // hold a line (or too much for one), else straight to the default
  // script's Player: a client that closes mid-line named nothing.
  void LeaveLobby(bool line_ended, agents::TimePoint now);

  Host& host_;
  JobState& job_;
  std::optional<Prelude> prelude_;
  bool tls_started_ = false;
};

}  // namespace smtpspec::interp

#endif  // SMTPSPEC_INTERPRETER_PLAYER_HANDLER_H_
