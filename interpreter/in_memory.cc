#include "interpreter/in_memory.h"

#include <algorithm>
#include <utility>

#include "gtest/gtest.h"
#include "parser/parser.h"

namespace smtpspec::interp::testing {
namespace {

// Complete reply lines (ending in "ddd " ... CRLF) in `partial`: a reply is
// finished by a line whose fourth byte is not '-'.
std::size_t FinishedReplies(std::string& partial) {
  std::size_t replies = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = partial.find("\r\n", start);
    if (end == std::string::npos) break;
    if (end - start < 4 || partial[start + 3] != '-') ++replies;
    start = end + 2;
  }
  partial.erase(0, start);
  return replies;
}

}  // namespace

ServerPeer::ServerPeer(server::Config config, server::Handler& handler)
    : session_(std::move(config), handler, server::ConnectionInfo{}, Time{}) {}

void ServerPeer::Feed(std::string_view bytes, Time now) {
  session_.Feed(bytes, now);
}

std::string ServerPeer::TakeOutput(Time now) {
  session_.TakeEvents();
  return session_.TakeOutput();
}

ScriptedServer::ScriptedServer(std::string greeting,
                               std::vector<std::string> replies,
                               std::size_t close_after)
    : out_(std::move(greeting)),
      replies_(replies.begin(), replies.end()),
      close_after_(close_after) {}

void ScriptedServer::Feed(std::string_view bytes, Time now) {
  if (closed_) return;
  partial_.append(bytes);
  std::size_t end;
  while ((end = partial_.find('\n')) != std::string::npos) {
    partial_.erase(0, end + 1);
    ++lines_;
    if (lines_ > close_after_) {
      closed_ = true;
      return;
    }
    if (replies_.empty()) continue;  // stall
    out_ += replies_.front();
    replies_.pop_front();
  }
}

std::string ScriptedServer::TakeOutput(Time now) {
  return std::exchange(out_, {});
}

ClientPeer::ClientPeer(client::Config config,
                       std::vector<client::Message> messages)
    : connection_(std::move(config), std::move(messages), Time{}) {}

void ClientPeer::Feed(std::string_view bytes, Time now) {
  connection_.Feed(bytes, now);
  Events();
}

std::string ClientPeer::TakeOutput(Time now) {
  Events();
  return connection_.TakeOutput(now);
}

void ClientPeer::Events() {
  for (const client::Event& e : connection_.TakeEvents()) {
    if (e.kind == client::Event::Kind::kClose) closed_ = true;
  }
}

ScriptedClient::ScriptedClient(std::vector<std::string> sends)
    : sends_(sends.begin(), sends.end()) {}

void ScriptedClient::Feed(std::string_view bytes, Time now) {
  partial_.append(bytes);
  for (std::size_t n = FinishedReplies(partial_); n > 0; --n) {
    if (sends_.empty()) {
      closed_ = true;
      return;
    }
    out_ += sends_.front();
    sends_.pop_front();
  }
}

std::string ScriptedClient::TakeOutput(Time now) {
  return std::exchange(out_, {});
}

ScenarioResult Play(std::string_view text, Peer& peer, PlayerOptions options,
                    std::size_t chunk) {
  parser::ParseResult parsed = parser::Parse(text, "test.smtp");
  for (const auto& d : parsed.diagnostics) ADD_FAILURE() << d.message;
  if (!parsed.scenario) return {};
  return Play(*parsed.scenario, peer, std::move(options), chunk);
}

ScenarioResult Play(const parser::Scenario& scenario, Peer& peer,
                    PlayerOptions options, std::size_t chunk) {
  Time now{};
  Player player(scenario, std::move(options), now);
  if (!player.done()) player.Connected(now);
  auto deliver = [&](const std::string& bytes, auto&& feed) {
    for (std::size_t i = 0; i < bytes.size(); i += chunk) {
      feed(std::string_view(bytes).substr(i, chunk));
    }
  };
  bool peer_closed_seen = false;
  for (int round = 0; round < 100000 && !player.done(); ++round) {
    bool moved = false;
    std::string to_peer = player.TakeOutput();
    if (!to_peer.empty()) {
      moved = true;
      deliver(to_peer, [&](std::string_view b) { peer.Feed(b, now); });
    }
    if (player.wants_tls()) {
      player.TlsEstablished(now);
      peer.TlsEstablished(now);
      moved = true;
    }
    if (player.wants_close()) break;
    std::string to_player = peer.TakeOutput(now);
    if (!to_player.empty()) {
      moved = true;
      deliver(to_player, [&](std::string_view b) { player.Received(b, now); });
    }
    if (peer.closed() && !peer_closed_seen && peer.TakeOutput(now).empty()) {
      peer_closed_seen = true;
      player.PeerClosed(now);
      moved = true;
    }
    if (moved) continue;
    // Nothing moves: let virtual time jump to the next deadline.
    std::optional<Time> next = player.deadline();
    std::optional<Time> peer_next = peer.Deadline();
    if (peer_next && (!next || *peer_next < *next)) next = peer_next;
    if (!next) break;
    now = std::max(now, *next);
    peer.Tick(now);
    player.Tick(now);
  }
  EXPECT_TRUE(player.done()) << "the player did not finish";
  return player.result();
}

}  // namespace smtpspec::interp::testing
