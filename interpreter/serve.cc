#include "interpreter/serve.h"

#include <signal.h>

#include <cctype>
#include <memory>
#include <optional>
#include <utility>

#include "agents/loop.h"
#include "interpreter/player_handler.h"

namespace smtpspec::interp {
namespace {

using agents::TimePoint;
using Clock = std::chrono::steady_clock;

// Reply texts stay well inside the 512 octets of a reply line (RFC 5321
// 4.5.3.1.5).
constexpr std::size_t kNameChars = 64;
constexpr std::size_t kListChars = 300;

// A PlayerHandler that owns its job: a served connection's state lives as
// long as the connection, however many there are over the server's life.
struct OwnedJob {
  std::unique_ptr<JobState> state;
};

class ServedHandler : private OwnedJob, public PlayerHandler {
 public:
  ServedHandler(Host& host, std::unique_ptr<JobState> state)
      : OwnedJob{std::move(state)}, PlayerHandler(host, *this->state, false) {}
};

class Server : public Host {
 public:
  Server(const std::vector<Job>& scripts, const ScriptBook& book,
         const DriverOptions& options, std::size_t count,
         const std::function<void(const ScenarioResult&)>& on_result)
      : scripts_(scripts),
        book_(book),
        options_(options),
        count_(count),
        on_result_(on_result) {
    for (const parser::Binding& b : options_.vars) {
      if (b.name == "client_domain") client_domain_given_ = true;
    }
  }

  // The loop goes first: its connections' handlers call back into this.
  ~Server() { loop_.reset(); }

  Result<Serving> Start() {
    Result<std::unique_ptr<agents::Loop>> loop = MakeLoop();
    if (!loop.ok()) return loop.error();
    loop_ = std::move(loop).value();
    Status tls = MakeServerTls(options_, &server_tls_);
    if (!tls.ok()) return tls.error();
    // Ctrl-C and SIGTERM stop serving, cleanly (Serve's comment).
    Status signals = loop_->WatchSignals({SIGINT, SIGTERM});
    if (!signals.ok()) return signals.error();
    agents::ListenOptions listen;
    listen.refusal = "421 4.7.0 smtpspec: too many connections at once\r\n";
    Result<agents::Address> bound = loop_->Listen(
        options_.listen,
        [this](const agents::Address&, const agents::Address&) {
          return Accept();
        },
        std::move(listen));
    if (!bound.ok()) return bound.error();
    listening_ = *bound;
    Serving serving{listening_, {}};
    CheckGreetings(&serving.notes);
    return serving;
  }

  Status Run() {
    while (true) {
      if (running_ == 0 &&
          (loop_->shutting_down() || (count_ > 0 && accepted_ >= count_))) {
        return OkStatus();
      }
      Status status = loop_->RunOnce(std::chrono::milliseconds(100));
      if (!status.ok()) return status;
    }
  }

  void Deliver(JobState& job) override {
    if (job.delivered) return;
    job.delivered = true;
    --running_;
    on_result_(job.player->result());
  }
  Mode mode() const override { return Mode::kClient; }
  agents::tls::Context* client_tls() override { return nullptr; }
  agents::tls::Context* server_tls() override {
    return server_tls_ ? &*server_tls_ : nullptr;
  }

  void FirstLine(JobState& job, std::string bytes, TimePoint now) override {
    if (job.player->done()) return;
    std::string_view line(bytes);
    line = line.substr(0, line.find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const ScriptBook::Choice choice = book_.Choose(line);
    using Kind = ScriptBook::Choice::Kind;
    if (choice.kind == Kind::kNotNamed ||
        (choice.script == 0 && client_domain_given_)) {
      job.player->Received(bytes, now);
      return;
    }
    const std::string name = Printable(choice.name, kNameChars);
    if (choice.kind == Kind::kUnknown) {
      Refuse(job, bytes,
             choice.name.empty()
                 ? "the client's " + Verb(line) +
                       " gave no name, and with several scripts its name "
                       "chooses one (" +
                       book_.ListNames(kListChars) + ")"
                 : "the client's " + Verb(line) + " name '" + name +
                       "' names no script served (" +
                       book_.ListNames(kListChars) + ")",
             "no script is named \"" + name + "\"; the names are " +
                 book_.ListNames(kListChars),
             now);
      return;
    }
    const std::size_t k = choice.script;
    std::unique_ptr<Player> chosen =
        Replay(k, client_domain_given_ ? "" : choice.name, job);
    if (chosen == nullptr) {
      if (k == 0) {  // the same script; only ${client_domain} differed
        job.player->Received(bytes, now);
        return;
      }
      Refuse(job, bytes,
             "the client's " + Verb(line) + " named script " +
                 scripts_[k].scenario->meta.id +
                 ", but its greeting is not "
                 "the one sent, that of the first script (" +
                 scripts_[0].scenario->meta.id + "); serve it alone or first",
             "script " + book_.name(k) +
                 " greets otherwise; serve it alone or first",
             now);
      return;
    }
    job.player = std::move(chosen);
    job.player->Received(bytes, now);
  }

  void ShuttingDown(JobState& job, TimePoint now) override {
    const std::string unread = job.lobby && job.lobby->open
                                   ? std::exchange(job.lobby->held, {})
                                   : std::string();
    job.player->Abandon(
        "smtpspec serve was stopped (SIGINT or SIGTERM) while this "
        "connection was in progress",
        unread, "421 4.3.2 smtpspec: the scripted server is shutting down\r\n",
        now);
  }

 private:
  std::unique_ptr<agents::Handler> Accept() {
    if (count_ > 0 && accepted_ >= count_) return nullptr;  // done: drop it
    ++accepted_;
    ++running_;
    const TimePoint now = Clock::now();
    auto state = std::make_unique<JobState>();
    state->player = MakePlayer(0, "", now, Rfc3339Now());
    state->lobby.emplace();
    state->lobby->made = now;
    return std::make_unique<ServedHandler>(*this, std::move(state));
  }

  // Script k's Player; `name` (unless empty) is its ${client_domain}.
  std::unique_ptr<Player> MakePlayer(std::size_t k, const std::string& name,
                                     TimePoint made,
                                     std::string started_at) const {
    PlayerOptions options = BasePlayerOptions(options_, scripts_[k].file);
    options.mode = Mode::kClient;
    options.started_at = std::move(started_at);
    options.target.tls = TargetTls::kNone;
    options.target.address = agents::FormatAddress(listening_);
    options.target.name = options_.target_name.empty() ? options.target.address
                                                       : options_.target_name;
    // Later bindings win (Player): the client's name over the scenario's.
    if (!name.empty()) options.vars.push_back({"client_domain", name});
    return std::make_unique<Player>(*scripts_[k].scenario, std::move(options),
                                    made);
  }

  // Script k played from the start of `job`'s connection as its first
  // Player was (script_book.h): nullptr when it would not have sent the
  // same bytes.
  std::unique_ptr<Player> Replay(std::size_t k, const std::string& name,
                                 JobState& job) const {
    const Lobby& lobby = *job.lobby;
    std::unique_ptr<Player> player =
        MakePlayer(k, name, lobby.made, job.player->result().started_at);
    if (lobby.connected) player->Connected(*lobby.connected);
    for (TimePoint tick : lobby.ticks) player->Tick(tick);
    if (player->done() || player->TakeOutput() != lobby.sent) return nullptr;
    return player;
  }

  // Ends the connection with a 421 (RFC 5321 3.8: a server may close with
  // 421 in answer to any command) and an ERROR result of the default
  // script, whose greeting the client got.
  void Refuse(JobState& job, std::string_view bytes, std::string reason,
              const std::string& text, TimePoint now) {
    job.player->Abandon(std::move(reason) + "; it was answered 421", bytes,
                        "421 4.3.0 smtpspec: " + text + "\r\n", now);
  }

  static std::string Verb(std::string_view line) {
    std::string verb(line.substr(0, 4));
    for (char& c : verb) c = static_cast<char>(std::toupper(c));
    return verb;
  }

  // Scripts whose greeting is not the first script's cannot be chosen by
  // name: the client hears the greeting before it names one.
  void CheckGreetings(std::vector<std::string>* notes) {
    const TimePoint now = Clock::now();
    auto greeting = [&](std::size_t k) {
      std::unique_ptr<Player> player = MakePlayer(k, "", now, "");
      player->Connected(now);
      return player->TakeOutput();
    };
    const std::string first = greeting(0);
    for (std::size_t k = 1; k < scripts_.size(); ++k) {
      if (greeting(k) == first) continue;
      notes->push_back("script " + scripts_[k].scenario->meta.id + " (" +
                       scripts_[k].file +
                       ") greets otherwise than the first script, " +
                       scripts_[0].scenario->meta.id +
                       ": a client that names it is answered 421; serve it "
                       "alone or first");
    }
  }

  const std::vector<Job>& scripts_;
  const ScriptBook& book_;
  const DriverOptions& options_;
  const std::size_t count_;
  const std::function<void(const ScenarioResult&)>& on_result_;
  bool client_domain_given_ = false;
  std::unique_ptr<agents::Loop> loop_;
  std::optional<agents::tls::Context> server_tls_;
  agents::Address listening_;
  std::size_t accepted_ = 0;
  std::size_t running_ = 0;
};

}  // namespace

Status Serve(const std::vector<Job>& scripts, const ScriptBook& book,
             const DriverOptions& options, std::size_t count,
             const std::function<void(const Serving&)>& on_listening,
             const std::function<void(const ScenarioResult&)>& on_result) {
  Server server(scripts, book, options, count, on_result);
  Result<Serving> serving = server.Start();
  if (!serving.ok()) return serving.error();
  on_listening(*serving);
  return server.Run();
}

}  // namespace smtpspec::interp
