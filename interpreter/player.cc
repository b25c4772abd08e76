// The Player's life: set-up, the transport events the driver feeds it,
// the step loop and the wind-down, and the transcript of the wire. What a
// step does is in player_step.cc; the two modes' own work in
// player_server.cc and player_client.cc; findings and the verdict in
// player_verdict.cc.
#include "interpreter/player.h"

#include <algorithm>
#include <utility>

#include "interpreter/supplier.h"
#include "parser/render.h"
#include "parser/target_variables.h"

namespace smtpspec::interp {
namespace {

// The transcript keeps at most this many bytes; a flood is summarised so
// that a hostile peer cannot grow a result without bound.
constexpr std::size_t kTranscriptBytes = 256 * 1024;

// After the last step, how long to wait for the peer to close or to reveal
// extra replies (a smuggled command answered after the end of data arrives
// within a round trip or two).
constexpr std::chrono::milliseconds kWindDownGrace{100};

using rules::Id;

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

std::string Seconds(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

}  // namespace

Player::Player(const parser::Scenario& scenario, PlayerOptions options,
               Time now)
    : scenario_(scenario),
      options_(std::move(options)),
      vars_(scenario.meta.vars),
      start_(now),
      // The harness's own chunks need framing only, not keeping.
      sent_(/*lenient=*/false, /*max_chunk=*/0),
      client_in_(/*lenient=*/true) {
  for (const parser::Binding& b : options_.vars) vars_.Set(b.name, b.value);
  // Target-specific values every scenario may use (docs/transcript-format.md
  // "Target variables"); a scenario or --var overrides them.
  if (vars_.Find("client_domain") == nullptr) {
    vars_.Set("client_domain", kDefaultClientDomain);
  }
  if (vars_.Find("domain") == nullptr) {
    vars_.Set("domain", options_.reference.hostname);
  }
  // ${mailbox} and ${sender}: the defaults the CLI also prints for the
  // runner (`smtpspec_cli variables`), from their one table.
  for (const parser::AddressDefault& d : parser::kAddressDefaults) {
    if (vars_.Find(d.name) == nullptr) {
      vars_.Set(d.name,
                std::string(d.local_part) + "@" + *vars_.Find(d.domain_of));
    }
  }
  if (vars_.Find("unknown_mailbox") == nullptr) {
    vars_.Set("unknown_mailbox",
              options_.unknown_local_part + "@" + *vars_.Find("domain"));
  }
  server_model_ = model::ServerModel(
      model::ServerModel::Options{.served_domains = {*vars_.Find("domain")}});

  const parser::Metadata& meta = scenario.meta;
  result_.scenario =
      ScenarioInfo{meta.id,
                   meta.title,
                   options_.file,
                   1,
                   meta.rfc,
                   meta.rules,
                   meta.level.value_or(parser::Level::kMust),
                   meta.tags,
                   meta.tests.value_or(parser::UnderTest::kServer)};
  marked_ =
      std::any_of(scenario.steps.begin(), scenario.steps.end(),
                  [](const parser::Step& step) { return step.check; });
  result_.target = options_.target;
  result_.mode = options_.mode;
  result_.started_at = options_.started_at;
  for (const parser::Step& step : scenario.steps) {
    result_.steps.push_back(StepRecord{step.position.line,
                                       Trimmed(parser::RenderStep(step)),
                                       StepStatus::kNotReached});
  }

  const parser::UnderTest tests = result_.scenario.tests;
  if (options_.mode == Mode::kServer &&
      tests == parser::UnderTest::kClient) {
    Skip("the scenario tests clients (tests: client)", now);
    return;
  }
  if (options_.mode == Mode::kClient &&
      tests == parser::UnderTest::kServer) {
    Skip("the scenario tests servers (tests: server)", now);
    return;
  }
  if (options_.mode == Mode::kClient) {
    supplier_ = std::make_unique<Supplier>(options_.reference, now);
  }
  // Waiting for the connection counts as the first step's wait.
  wait_until_ =
      now + (scenario.steps.empty() ? options_.step_timeout
                                    : StepTimeout(scenario.steps.front()));
}

Player::~Player() = default;

std::chrono::milliseconds Player::StepTimeout(
    const parser::Step& step) const {
  if (step.timeout) return *step.timeout;
  if (scenario_.meta.timeout) return *scenario_.meta.timeout;
  return options_.step_timeout;
}

std::optional<Time> Player::deadline() const {
  if (done_) return std::nullopt;
  std::optional<Time> d = wait_until_;
  if (sleep_until_ && (!d || *sleep_until_ < *d)) d = sleep_until_;
  return d;
}

std::string Player::TakeOutput() { return std::exchange(output_, {}); }

void Player::Connected(Time now) {
  if (done_) return;
  connected_ = true;
  wait_until_.reset();
  if (supplier_ != nullptr) {
    // The client connected: the reference greets it (or the first S: step
    // says otherwise).
  }
  Run(now);
}

void Player::ConnectFailed(std::string reason, Time now) {
  if (done_) return;
  Fail(std::move(reason), now);
}

void Player::Received(std::string_view bytes, Time now) {
  if (done_) return;
  Wire(options_.mode == Mode::kServer ? 'S' : 'C', bytes, now);
  if (options_.mode == Mode::kServer) {
    replies_in_.Feed(bytes);
    ReadReplies(now);
  } else {
    supplier_->FeedClient(bytes, now);
    client_in_.Feed(bytes);
    ReadClient(now);
  }
  Run(now);
}

void Player::PeerClosed(Time now) {
  if (done_ || peer_closed_) return;
  peer_closed_ = true;
  if (options_.mode == Mode::kServer) {
    if (replies_in_.buffered() > 0) {
      AddRuleFinding(FindingKind::kWire, Id("rfc5321/4.2-reply-syntax"),
                     "the server closed the connection in the middle of a "
                     "reply line (no CRLF)");
    }
    if (!wants_close_) AddModelFindings(server_model_.OnClose());
  } else if (!wants_close_) {
    AddModelFindings(client_model_.OnClose());
  }
  Run(now);
}

void Player::ConnectionGone(Time now) {
  if (done_) return;
  if (!connected_) {
    Fail("the connection closed before it was established", now);
    return;
  }
  PeerClosed(now);
  Finish(now);
}

void Player::Abandon(std::string reason, std::string_view unread,
                     std::string last_words, Time now) {
  if (done_) return;
  Wire(options_.mode == Mode::kServer ? 'S' : 'C', unread, now);
  Wire(options_.mode == Mode::kServer ? 'C' : 'S', last_words, now);
  output_ += last_words;
  Fail(std::move(reason), now);
}

void Player::TlsEstablished(Time now) {
  if (done_) return;
  in_tls_handshake_ = false;
  wants_tls_ = false;
  if (options_.mode == Mode::kServer) {
    server_model_.OnTlsStarted();
    replies_in_ = wire::ReplyReader();
    sent_ = StreamView(/*lenient=*/false, /*max_chunk=*/0);
    pending_.clear();
  } else {
    client_model_.OnTlsStarted();
    supplier_->TlsEstablished(now);
    if (client_in_.buffered() > 0) {
      // RFC 3207 4: "After receiving a 220 response to a STARTTLS command,
      // the client MUST start the TLS negotiation before giving any other
      // SMTP commands" (CVE-2011-0411 is the server side of it).
      AddRuleFinding(FindingKind::kWire, Id("rfc3207/4-client-tls-first"),
                     "the client sent commands after STARTTLS without "
                     "waiting for the TLS handshake");
    }
    client_in_ = StreamView(/*lenient=*/true);
  }
  Run(now);
}

void Player::TlsFailed(std::string reason, Time now) {
  if (done_) return;
  Fail("TLS handshake failed: " + reason, now);
}

void Player::Tick(Time now) {
  if (done_) return;
  if (sleep_until_ && now >= *sleep_until_) {
    sleep_until_.reset();
    Run(now);
    if (done_) return;
  }
  if (!wait_until_ || now < *wait_until_) return;
  wait_until_.reset();
  if (!connected_) {
    Fail(options_.mode == Mode::kServer
             ? "could not connect to the server"
             : "the client under test did not connect within " +
                   Seconds(options_.step_timeout),
         now);
    return;
  }
  if (pc_ >= scenario_.steps.size() || stopped_) {
    Finish(now);  // the wind-down grace period is over
    return;
  }
  const parser::Step& step = scenario_.steps[pc_];
  if (step.optional) {
    result_.steps[pc_].status = StepStatus::kSkipped;
    ++pc_;
    Run(now);
    return;
  }
  const std::string waited = options_.mode == Mode::kServer
                                 ? "no reply from the server"
                                 : "nothing from the client";
  if (pc_ > 0) {
    // The peer took part and then stopped: that is its behaviour, judged
    // like any other step that did not go as written. Only a peer that
    // never got as far as the first step is the harness's ERROR.
    Mismatch(step, result_.steps[pc_].text, "",
             waited + " within " + Seconds(StepTimeout(step)) +
                 " (the step's timeout)");
    Finish(now);
    return;
  }
  Fail(waited + " within " + Seconds(StepTimeout(step)) + " at line " +
           std::to_string(step.position.line) + " (" + result_.steps[pc_].text +
           ")",
       now);
}

void Player::Run(Time now) {
  while (!done_ && !stopped_ && !wants_close_ && connected_ &&
         pc_ < scenario_.steps.size()) {
    if (sleep_until_ || in_tls_handshake_ || skipped_) return;
    const parser::Step& step = scenario_.steps[pc_];
    if (!wait_until_) wait_until_ = now + StepTimeout(step);
    if (!PlayStep(step, now)) {
      if (stopped_ || done_) break;
      return;  // waiting for the peer
    }
    if (done_) return;
    if (result_.steps[pc_].status == StepStatus::kNotReached) {
      result_.steps[pc_].status = StepStatus::kOk;
    }
    ++pc_;
    wait_until_.reset();
  }
  if (done_ || !connected_) return;
  WindDown(now);
}

void Player::WindDown(Time now) {
  if (done_ || sleep_until_ || in_tls_handshake_) return;
  if (stopped_ || wants_close_ || peer_closed_) {
    Finish(now);
    return;
  }
  // All steps are done and the peer is still there: give it a moment to
  // close (after 221 it should, RFC 5321 4.1.1.10) or to reveal extra
  // replies (a smuggled command answered after the end of data).
  if (!winding_) {
    winding_ = true;
    wait_until_ = now + std::min(options_.step_timeout, kWindDownGrace);
  }
}

void Player::Wire(char dir, std::string_view bytes, Time now) {
  if (bytes.empty()) return;
  const double t_ms =
      std::chrono::duration<double, std::milli>(now - start_).count();
  const int step = pc_ < scenario_.steps.size() ? static_cast<int>(pc_) : -1;
  if (transcript_bytes_ >= kTranscriptBytes) {
    dropped_bytes_ += bytes.size();
    return;
  }
  const std::size_t keep =
      std::min(bytes.size(), kTranscriptBytes - transcript_bytes_);
  transcript_bytes_ += keep;
  dropped_bytes_ += bytes.size() - keep;
  if (!result_.transcript.empty() && result_.transcript.back().dir == dir &&
      result_.transcript.back().step == step &&
      t_ms - result_.transcript.back().t_ms < 1.0) {
    result_.transcript.back().data.append(bytes.substr(0, keep));
    return;
  }
  result_.transcript.push_back(
      WireEvent{t_ms, dir, std::string(bytes.substr(0, keep)), step});
}

}  // namespace smtpspec::interp
