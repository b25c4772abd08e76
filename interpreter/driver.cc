#include "interpreter/driver.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>

#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "agents/connection.h"
#include "agents/loop.h"
#include "agents/tls_context.h"
#include "agents/tls_session.h"
#include "engine/ehlo.h"
#include "engine/wire/reply_reader.h"
#include "interpreter/player.h"
#include "parser/raw_string.h"

extern char** environ;

namespace smtpspec::interp {
namespace {

using agents::Connection;
using agents::TimePoint;
using Clock = std::chrono::steady_clock;

std::string Rfc3339Now() {
  const std::time_t t =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Substitute(std::string text, std::string_view key,
                       const std::string& value) {
  for (std::size_t at = text.find(key); at != std::string::npos;
       at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

// One scenario on its way through the run.
struct JobState {
  std::unique_ptr<Player> player;
  bool delivered = false;
  bool connected = false;  // a connection was handed to the player
  pid_t child = -1;        // client mode: the client under test
  std::optional<TimePoint> child_kill_at;
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
  Result<std::string> Feed(std::string_view bytes, const std::string& domain) {
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

  void HandshakeDone() { phase_ = Phase::kDone; }

 private:
  Phase phase_ = Phase::kGreeting;
  std::string greeting_;
  wire::ReplyReader reader_;
};

class Runner;

// The loop's Handler for one scenario's connection.
class PlayerHandler : public agents::Handler {
 public:
  PlayerHandler(Runner& runner, JobState& job, bool prelude)
      : runner_(runner), job_(job) {
    if (prelude) prelude_.emplace();
  }
  void OnOpen(Connection& c, TimePoint now) override;
  void OnBytes(Connection& c, std::string_view bytes, TimePoint now) override;
  void OnTlsReady(Connection& c, TimePoint now) override;
  void OnPeerClosed(Connection& c, TimePoint now) override;
  std::optional<TimePoint> NextDeadline() const override {
    return job_.player->deadline();
  }
  void OnDeadline(Connection& c, TimePoint now) override;
  void OnShutdown(Connection& c, TimePoint now) override;
  void OnClosed(const Status& status) override;

 private:
  void Pump(Connection& c);
  bool StartTls(Connection& c);

  Runner& runner_;
  JobState& job_;
  std::optional<Prelude> prelude_;
  bool tls_started_ = false;
};

class Runner {
 public:
  Runner(const std::vector<Job>& jobs, const DriverOptions& options,
         const std::function<void(const ScenarioResult&)>& on_result)
      : jobs_(jobs), options_(options), on_result_(on_result) {}

  // The loop goes first: destroying it closes connections whose handlers
  // still point at the jobs (OnClosed), so those must outlive it.
  ~Runner() { loop_.reset(); }

  Status Start() {
    // The loop's output limit guards a server from peers that do not read.
    // The harness's output is the scenario's own: one step may send a raw
    // string or a BDAT chunk of up to 64 MiB (parser/raw_string.h) in one
    // write, which must not abort the connection.
    agents::LoopOptions loop_options;
    loop_options.output_limit =
        2 * static_cast<std::size_t>(parser::kMaxRawBytes) + (1 << 20);
    Result<std::unique_ptr<agents::Loop>> loop =
        agents::Loop::Create(loop_options);
    if (!loop.ok()) return loop.error();
    loop_ = std::move(loop).value();
    if (options_.mode == Mode::kServer) {
      agents::tls::ClientOptions tls;
      tls.verify = options_.insecure          ? agents::tls::Verify::kOff
                   : options_.ca_file.empty() ? agents::tls::Verify::kSystem
                                              : agents::tls::Verify::kCaFile;
      tls.ca_file = options_.ca_file;
      Result<agents::tls::Context> context =
          agents::tls::Context::ForClient(tls);
      if (!context.ok()) return context.error();
      client_tls_.emplace(std::move(context).value());
    } else {
      if (!options_.tls_certificate.empty()) {
        agents::tls::ServerOptions server;
        server.certificate_file = options_.tls_certificate;
        server.key_file = options_.tls_key;
        Result<agents::tls::Context> context =
            agents::tls::Context::ForServer(server);
        if (!context.ok()) return context.error();
        server_tls_.emplace(std::move(context).value());
      }
      Result<agents::Address> bound = loop_->Listen(
          options_.listen,
          [this](const agents::Address&,
                 const agents::Address&) -> std::unique_ptr<agents::Handler> {
            if (waiting_ == nullptr) return nullptr;  // not ours: drop it
            JobState* job = std::exchange(waiting_, nullptr);
            job->connected = true;
            return std::make_unique<PlayerHandler>(*this, *job, false);
          });
      if (!bound.ok()) return bound.error();
      listening_ = *bound;
    }
    return OkStatus();
  }

  Status Run() {
    const std::size_t parallel = options_.mode == Mode::kClient
                                     ? 1
                                     : std::max<std::size_t>(1, options_.jobs);
    while (true) {
      while (running_ < parallel && next_ < jobs_.size()) StartNext();
      ReapChildren();
      if (running_ == 0 && next_ >= jobs_.size() && children_.empty()) break;
      TimePoint now = Clock::now();
      std::chrono::milliseconds wait(100);
      if (waiting_ != nullptr) {
        // Client mode: the client has not connected yet; the Player's own
        // deadline says how long to wait.
        std::optional<TimePoint> d = waiting_->player->deadline();
        if (d && *d <= now) {
          JobState* job = std::exchange(waiting_, nullptr);
          job->player->Tick(now);
          Deliver(*job);
          continue;
        }
      }
      Status status = loop_->RunOnce(wait);
      if (!status.ok()) return status;
    }
    return OkStatus();
  }

  void Deliver(JobState& job) {
    if (job.delivered) return;
    job.delivered = true;
    --running_;
    on_result_(job.player->result());
    if (job.child > 0) {
      // Give the client a moment to exit on its own after QUIT.
      job.child_kill_at = Clock::now() + std::chrono::seconds(2);
      children_.push_back(&job);
    }
  }

  agents::tls::Context* client_tls() {
    return client_tls_ ? &*client_tls_ : nullptr;
  }
  agents::tls::Context* server_tls() {
    return server_tls_ ? &*server_tls_ : nullptr;
  }
  const DriverOptions& options() const { return options_; }

 private:
  void StartNext() {
    const Job& job = jobs_[next_++];
    auto state = std::make_unique<JobState>();
    JobState& s = *state;
    states_.push_back(std::move(state));
    ++running_;
    PlayerOptions options;
    options.mode = options_.mode;
    options.vars = options_.vars;
    options.step_timeout = options_.step_timeout;
    options.unknown_local_part = options_.unknown_local_part;
    options.reference = options_.reference;
    options.file = job.file;
    options.started_at = Rfc3339Now();
    options.target.tls = options_.tls;
    if (options_.mode == Mode::kServer) {
      options.target.address = agents::FormatAddress(options_.target);
      options.target.name = options_.target_name.empty()
                                ? options.target.address
                                : options_.target_name;
    } else {
      options.target.tls = TargetTls::kNone;
      options.target.address = agents::FormatAddress(listening_);
      options.target.command = ClientCommand(job);
      options.target.name = options_.target_name.empty()
                                ? options.target.command
                                : options_.target_name;
    }
    s.player = std::make_unique<Player>(*job.scenario, std::move(options),
                                        Clock::now());
    if (s.player->done()) {  // skipped before any connection
      Deliver(s);
      return;
    }
    if (options_.mode == Mode::kServer) {
      agents::ConnectOptions connect;
      connect.timeout = options_.step_timeout;
      connect.server_name = ServerName();
      if (options_.tls == TargetTls::kImplicit) {
        connect.implicit_tls = *client_tls_;
      }
      Status status =
          loop_->Connect(options_.target,
                         std::make_unique<PlayerHandler>(
                             *this, s, options_.tls == TargetTls::kStartTls),
                         connect);
      if (!status.ok()) {
        s.player->ConnectFailed(status.error().reason, Clock::now());
        Deliver(s);
      }
      return;
    }
    waiting_ = &s;
    Spawn(s, job);
  }

 public:
  // The EHLO argument for the STARTTLS preparation: --var client_domain.
  std::string ClientDomain() const {
    for (const parser::Binding& b : options_.vars) {
      if (b.name == "client_domain") return b.value;
    }
    return kDefaultClientDomain;
  }

  std::string ServerName() const {
    return options_.server_name.empty() ? options_.target.host
                                        : options_.server_name;
  }

 private:
  std::string ClientCommand(const Job& job) const {
    std::string host = listening_.host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    const std::string& command = job.client_command.empty()
                                     ? options_.client_command
                                     : job.client_command;
    return Substitute(Substitute(command, "{host}", host), "{port}",
                      std::to_string(listening_.port));
  }

  void Spawn(JobState& s, const Job& job) {
    const std::string command = ClientCommand(job);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // The client's own output is not the harness's: keep stdout (JSON
    // lines) clean.
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so a shell's children go with it.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = -1;
    const int error = posix_spawn(&pid, "/bin/sh", &actions, &attr,
                                  const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (error != 0) {
      waiting_ = nullptr;
      s.player->ConnectFailed("could not start the client command: " +
                                  std::string(std::strerror(error)),
                              Clock::now());
      Deliver(s);
      return;
    }
    s.child = pid;
  }

  void ReapChildren() {
    const TimePoint now = Clock::now();
    for (auto it = children_.begin(); it != children_.end();) {
      JobState& job = **it;
      int status = 0;
      if (waitpid(job.child, &status, WNOHANG) == job.child) {
        it = children_.erase(it);
        continue;
      }
      if (job.child_kill_at && now >= *job.child_kill_at) {
        // SIGTERM first; SIGKILL if it is still there a second later.
        const bool again = !killed_.insert(job.child).second;
        kill(-job.child, again ? SIGKILL : SIGTERM);
        job.child_kill_at = now + std::chrono::seconds(1);
      }
      ++it;
    }
  }

  const std::vector<Job>& jobs_;
  const DriverOptions& options_;
  const std::function<void(const ScenarioResult&)>& on_result_;
  std::unique_ptr<agents::Loop> loop_;
  std::optional<agents::tls::Context> client_tls_;
  std::optional<agents::tls::Context> server_tls_;
  agents::Address listening_;
  std::vector<std::unique_ptr<JobState>> states_;
  std::size_t next_ = 0;
  std::size_t running_ = 0;
  JobState* waiting_ = nullptr;  // client mode: awaiting its connection
  std::deque<JobState*> children_;
  std::set<pid_t> killed_;
};

void PlayerHandler::OnOpen(Connection& c, TimePoint now) {
  job_.connected = true;
  if (!prelude_) job_.player->Connected(now);
  Pump(c);
}

void PlayerHandler::OnBytes(Connection& c, std::string_view bytes,
                            TimePoint now) {
  if (prelude_ && prelude_->phase() != Prelude::Phase::kDone) {
    Result<std::string> next = prelude_->Feed(bytes, runner_.ClientDomain());
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
  job_.player->Received(bytes, now);
  Pump(c);
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
  job_.player->PeerClosed(now);
  Pump(c);
}

void PlayerHandler::OnDeadline(Connection& c, TimePoint now) {
  job_.player->Tick(now);
  Pump(c);
}

void PlayerHandler::OnShutdown(Connection& c, TimePoint now) {
  job_.player->ConnectionGone(now);
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
  runner_.Deliver(job_);
}

bool PlayerHandler::StartTls(Connection& c) {
  tls_started_ = true;
  Result<std::unique_ptr<agents::tls::Session>> session =
      runner_.options().mode == Mode::kServer
          ? (runner_.client_tls() == nullptr
                 ? Result<std::unique_ptr<agents::tls::Session>>(
                       Error{0, "no TLS client context"})
                 : agents::tls::Session::Client(*runner_.client_tls(),
                                                runner_.ServerName()))
          : (runner_.server_tls() == nullptr
                 ? Result<std::unique_ptr<agents::tls::Session>>(
                       Error{0,
                             "a client under test asked for TLS, but no "
                             "certificate was given (--tls-cert, --tls-key)"})
                 : agents::tls::Session::Server(*runner_.server_tls()));
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
  if (job_.player->done()) runner_.Deliver(job_);
}

}  // namespace

Status RunJobs(const std::vector<Job>& jobs, const DriverOptions& options,
               const std::function<void(const ScenarioResult&)>& on_result) {
  Runner runner(jobs, options, on_result);
  Status started = runner.Start();
  if (!started.ok()) return started;
  return runner.Run();
}

}  // namespace smtpspec::interp
