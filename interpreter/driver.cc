#include "interpreter/driver.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "agents/loop.h"
#include "agents/tls_context.h"
#include "interpreter/player.h"
#include "interpreter/player_handler.h"

extern char** environ;

namespace smtpspec::interp {
namespace {

using agents::TimePoint;
using Clock = std::chrono::steady_clock;

std::string Substitute(std::string text, std::string_view key,
                       const std::string& value) {
  for (std::size_t at = text.find(key); at != std::string::npos;
       at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

class Runner : public Host {
 public:
  Runner(const std::vector<Job>& jobs, const DriverOptions& options,
         const std::function<void(const ScenarioResult&)>& on_result)
      : jobs_(jobs), options_(options), on_result_(on_result) {}

  // The loop goes first: destroying it closes connections whose handlers
  // still point at the jobs (OnClosed), so those must outlive it.
  ~Runner() { loop_.reset(); }

  Status Start() {
    Result<std::unique_ptr<agents::Loop>> loop = MakeLoop();
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
      Status tls = MakeServerTls(options_, &server_tls_);
      if (!tls.ok()) return tls;
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

  void Deliver(JobState& job) override {
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

  Mode mode() const override { return options_.mode; }
  agents::tls::Context* client_tls() override {
    return client_tls_ ? &*client_tls_ : nullptr;
  }
  agents::tls::Context* server_tls() override {
    return server_tls_ ? &*server_tls_ : nullptr;
  }

 private:
  void StartNext() {
    const Job& job = jobs_[next_++];
    auto state = std::make_unique<JobState>();
    JobState& s = *state;
    states_.push_back(std::move(state));
    ++running_;
    PlayerOptions options = BasePlayerOptions(options_, job.file);
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
  std::string ClientDomain() const override {
    for (const parser::Binding& b : options_.vars) {
      if (b.name == "client_domain") return b.value;
    }
    return kDefaultClientDomain;
  }

  std::string ServerName() const override {
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

}  // namespace

Status RunJobs(const std::vector<Job>& jobs, const DriverOptions& options,
               const std::function<void(const ScenarioResult&)>& on_result) {
  Runner runner(jobs, options, on_result);
  Status started = runner.Start();
  if (!started.ok()) return started;
  return runner.Run();
}

}  // namespace smtpspec::interp
