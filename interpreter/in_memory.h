// Test support: runs a Player against an in-memory peer, bytes shuttled
// in chunks of a chosen size, time virtual, TLS a pass-through.
#ifndef SMTPSPEC_INTERPRETER_IN_MEMORY_H_
#define SMTPSPEC_INTERPRETER_IN_MEMORY_H_

#include <cstddef>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/client/connection.h"
#include "engine/server/session.h"
#include "interpreter/player.h"
#include "interpreter/result.h"

namespace smtpspec::interp::testing {

// The other end of the conversation.
class Peer {
 public:
  virtual ~Peer() = default;
  virtual void Feed(std::string_view bytes, Time now) = 0;
  virtual std::string TakeOutput(Time now) = 0;
  virtual bool closed() const = 0;
  virtual void TlsEstablished(Time now) {}
  virtual std::optional<Time> Deadline() const { return std::nullopt; }
  virtual void Tick(Time now) {}
};

// The engine's reference server (what `smtpspec run` tests by default).
class ServerPeer : public Peer {
 public:
  ServerPeer(server::Config config, server::Handler& handler);
  void Feed(std::string_view bytes, Time now) override;
  std::string TakeOutput(Time now) override;
  bool closed() const override { return session_.closed(); }
  void TlsEstablished(Time now) override { session_.TlsEstablished(now); }
  std::optional<Time> Deadline() const override { return session_.Deadline(); }
  void Tick(Time now) override { session_.Tick(now); }

 private:
  server::Session session_;
};

// A scripted server: a greeting, then the next canned reply for each line
// it receives. Replies are raw bytes, so they may be malformed on purpose.
// Past the script it stalls; `close_after` lines it closes.
class ScriptedServer : public Peer {
 public:
  ScriptedServer(
      std::string greeting, std::vector<std::string> replies,
      std::size_t close_after = std::numeric_limits<std::size_t>::max());
  void Feed(std::string_view bytes, Time now) override;
  std::string TakeOutput(Time now) override;
  bool closed() const override { return closed_; }

 private:
  std::string out_;
  std::deque<std::string> replies_;
  std::string partial_;
  std::size_t lines_ = 0;
  std::size_t close_after_;
  bool closed_ = false;
};

// The engine's reference client sending `messages`.
class ClientPeer : public Peer {
 public:
  ClientPeer(client::Config config, std::vector<client::Message> messages);
  void Feed(std::string_view bytes, Time now) override;
  std::string TakeOutput(Time now) override;
  bool closed() const override { return closed_; }
  void TlsEstablished(Time now) override { connection_.TlsEstablished(now); }

 private:
  void Events();
  client::Connection connection_;
  bool closed_ = false;
};

// A scripted client: after each reply it receives, it sends the next
// canned bytes; after the script it closes.
class ScriptedClient : public Peer {
 public:
  explicit ScriptedClient(std::vector<std::string> sends);
  void Feed(std::string_view bytes, Time now) override;
  std::string TakeOutput(Time now) override;
  bool closed() const override { return closed_; }

 private:
  std::deque<std::string> sends_;
  std::string out_;
  std::string partial_;
  bool closed_ = false;
};

// Parses `text` (failing the test on a parse error) and plays it against
// `peer` in `options.mode`, delivering bytes `chunk` at a time.
// Plays `scenario` against `peer` in `options.mode`, delivering bytes
// `chunk` at a time, with virtual time.
ScenarioResult Play(
    const parser::Scenario& scenario, Peer& peer,
    PlayerOptions options = {},
    std::size_t chunk = std::numeric_limits<std::size_t>::max());

ScenarioResult Play(
    std::string_view text, Peer& peer, PlayerOptions options = {},
    std::size_t chunk = std::numeric_limits<std::size_t>::max());

}  // namespace smtpspec::interp::testing

#endif  // SMTPSPEC_INTERPRETER_IN_MEMORY_H_
