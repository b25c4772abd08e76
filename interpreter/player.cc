#include "interpreter/player.h"

#include <algorithm>
#include <utility>

#include "engine/dot_stuffer.h"
#include "engine/model/text.h"
#include "engine/render.h"
#include "engine/verb.h"
#include "interpreter/result_json.h"
#include "interpreter/supplier.h"
#include "parser/match.h"
#include "parser/render.h"

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

// The rule each wire fault in the server's replies breaks.
std::string_view ReplyFaultRule(wire::Fault fault) {
  switch (fault) {
    case wire::Fault::kLineTooLong:
      return Id("rfc5321/4.5.3.1.5-reply-line");
    case wire::Fault::kBareLf:
    case wire::Fault::kBareCr:
      return Id("rfc5321/2.3.8-crlf-only");
    case wire::Fault::kMixedReplyCodes:
      return Id("rfc5321/4.2.1-same-code");
    case wire::Fault::kBadReplyCode:
      return Id("rfc5321/4.3.2-three-digits");
    default:
      return Id("rfc5321/4.2-reply-syntax");
  }
}

// A reply as one line of text per reply line, for "observed".
std::string ReplyText(const Reply& reply) {
  Result<std::string> wire = wire::RenderReply(reply);
  if (!wire.ok()) return std::to_string(reply.code);
  std::string text = *wire;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\r\n") == 0) {
      if (i + 2 < text.size()) out += '\n';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

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

// A command (or end of data) the server under test has been sent and has
// not answered yet, as the server should have read it.
struct Player::Pending {
  enum class Kind { kCommand, kDataEnd, kMalformed };
  Kind kind = Kind::kCommand;
  Command command;
  std::size_t octets = 0;
};

Player::Player(const transcript::Scenario& scenario, PlayerOptions options,
               Time now)
    : scenario_(scenario),
      options_(std::move(options)),
      vars_(scenario.meta.vars),
      start_(now),
      // The harness's own chunks need framing only, not keeping.
      sent_(/*lenient=*/false, /*max_chunk=*/0),
      client_in_(/*lenient=*/true) {
  for (const transcript::Binding& b : options_.vars) vars_.Set(b.name, b.value);
  // Target-specific values every scenario may use (docs/transcript-format.md
  // "Target variables"); a scenario or --var overrides them.
  if (vars_.Find("client_domain") == nullptr) {
    vars_.Set("client_domain", kDefaultClientDomain);
  }
  if (vars_.Find("domain") == nullptr) {
    vars_.Set("domain", options_.reference.hostname);
  }
  if (vars_.Find("mailbox") == nullptr) {
    vars_.Set("mailbox", "postmaster@" + *vars_.Find("domain"));
  }
  if (vars_.Find("unknown_mailbox") == nullptr) {
    vars_.Set("unknown_mailbox",
              options_.unknown_local_part + "@" + *vars_.Find("domain"));
  }
  if (vars_.Find("sender") == nullptr) {
    vars_.Set("sender", "smtpspec@" + *vars_.Find("client_domain"));
  }
  server_model_ = model::ServerModel(
      model::ServerModel::Options{.served_domains = {*vars_.Find("domain")}});

  const transcript::Metadata& meta = scenario.meta;
  result_.scenario = ScenarioInfo{meta.id,
                                  meta.title,
                                  options_.file,
                                  1,
                                  meta.rfc,
                                  meta.rules,
                                  std::string(LevelName(meta.level)),
                                  meta.tags,
                                  std::string(TestsName(meta.tests))};
  marked_ =
      std::any_of(scenario.steps.begin(), scenario.steps.end(),
                  [](const transcript::Step& step) { return step.check; });
  result_.target = options_.target;
  result_.mode = options_.mode;
  result_.started_at = options_.started_at;
  for (const transcript::Step& step : scenario.steps) {
    result_.steps.push_back(StepRecord{step.position.line,
                                       Trimmed(transcript::RenderStep(step)),
                                       StepStatus::kNotReached});
  }

  const auto tests = meta.tests.value_or(transcript::UnderTest::kServer);
  if (options_.mode == Mode::kServer &&
      tests == transcript::UnderTest::kClient) {
    Skip("the scenario tests clients (tests: client)", now);
    return;
  }
  if (options_.mode == Mode::kClient &&
      tests == transcript::UnderTest::kServer) {
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
    const transcript::Step& step) const {
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
  const transcript::Step& step = scenario_.steps[pc_];
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
    const transcript::Step& step = scenario_.steps[pc_];
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

bool Player::PlayStep(const transcript::Step& step, Time now) {
  return options_.mode == Mode::kServer ? ServerModeStep(step, now)
                                        : ClientModeStep(step, now);
}

// ---------------------------------------------------------------------------
// Server under test: the harness is the client.

bool Player::ServerModeStep(const transcript::Step& step, Time now) {
  const transcript::Action& action = step.action;
  if (auto* c = std::get_if<transcript::ClientCommand>(&action)) {
    std::optional<std::string> line = CommandLine(c->pattern);
    if (!line) return false;
    Send(*line + "\r\n", now);
    return true;
  }
  if (auto* s = std::get_if<transcript::ServerReply>(&action)) {
    return ExpectReply(s->pattern, step);
  }
  if (auto* raw = std::get_if<transcript::RawSend>(&action)) {
    if (raw->from == transcript::Party::kServer) {
      Fail("line " + std::to_string(step.position.line) +
               ": an S! step sends as the server, but the server is under "
               "test",
           now);
      return false;
    }
    Result<std::string> bytes = transcript::ExpandRaw(raw->bytes, vars_);
    if (!bytes.ok()) {
      Fail("line " + std::to_string(step.position.line) + ": " +
               bytes.error().reason,
           now);
      return false;
    }
    Send(*bytes, now);
    return true;
  }
  if (auto* p = std::get_if<transcript::Pipeline>(&action)) {
    // RFC 2920: the whole group goes out in one write.
    std::string group;
    for (const transcript::PipelinedCommand& command : p->commands) {
      std::optional<std::string> line = CommandLine(command.pattern);
      if (!line) return false;
      group += *line + "\r\n";
    }
    Send(std::move(group), now);
    return true;
  }
  if (auto* body = std::get_if<transcript::Body>(&action)) {
    std::string content;
    for (const std::string& line : body->lines) content += line + "\r\n";
    Result<std::string> wire = data::Stuff(content);
    if (!wire.ok()) {
      Fail("line " + std::to_string(step.position.line) + ": " +
               wire.error().reason,
           now);
      return false;
    }
    Send(*wire, now);
    return true;
  }
  if (auto* bdat = std::get_if<transcript::Bdat>(&action)) {
    std::string chunk;
    if (bdat->data) {
      Result<std::string> bytes = transcript::ExpandRaw(*bdat->data, vars_);
      if (!bytes.ok()) {
        Fail(bytes.error().reason, now);
        return false;
      }
      chunk = *bytes;
    } else {
      // Made-up content of the announced size, in text lines.
      static constexpr std::string_view kFill = "smtpspec BDAT chunk\r\n";
      chunk.reserve(bdat->size);
      while (chunk.size() < bdat->size) chunk += kFill;
      chunk.resize(bdat->size);
    }
    Send("BDAT " + std::to_string(bdat->size) + (bdat->last ? " LAST" : "") +
             "\r\n" + chunk,
         now);
    return true;
  }
  if (std::holds_alternative<transcript::StartTls>(action)) {
    wants_tls_ = true;
    in_tls_handshake_ = true;
    return true;
  }
  if (auto* sleep = std::get_if<transcript::Sleep>(&action)) {
    sleep_until_ = now + sleep->duration;
    return true;
  }
  if (std::holds_alternative<transcript::ExpectClose>(action)) {
    if (!replies_.empty()) {
      const Arrived& arrived = replies_.front();
      Mismatch(
          step, "the server closes the connection",
          arrived.reply ? ReplyText(*arrived.reply) : "(a malformed reply)",
          "the server replied instead of closing the connection", &arrived);
      return false;
    }
    return peer_closed_;
  }
  if (std::holds_alternative<transcript::Close>(action)) {
    wants_close_ = true;
    return true;
  }
  Fail("line " + std::to_string(step.position.line) +
           ": !include was not resolved before running",
       now);
  return false;
}

std::optional<std::string> Player::CommandLine(
    const transcript::CommandPattern& pattern) {
  if (transcript::IsConcrete(pattern)) {
    Result<std::string> line = transcript::ExpandCommand(pattern, vars_);
    if (line.ok()) return *line;
    Fail("line " + std::to_string(scenario_.steps[pc_].position.line) + ": " +
             line.error().reason,
         start_);
    return std::nullopt;
  }
  // The harness's own side written as a pattern: the reference client's
  // line for the command must fit it.
  for (const std::string& candidate : ReferenceCommands(vars_)) {
    if (transcript::MatchCommand(pattern, candidate, vars_).matched) {
      return candidate;
    }
  }
  Fail("line " + std::to_string(scenario_.steps[pc_].position.line) +
           ": the reference client has no command that fits '" +
           result_.steps[pc_].text + "'; write the command out in full",
       start_);
  return std::nullopt;
}

void Player::Send(std::string bytes, Time now) {
  Wire('C', bytes, now);
  sent_.Feed(bytes);
  while (std::optional<StreamItem> item = sent_.Next()) {
    Pending pending;
    switch (item->kind) {
      case StreamItem::Kind::kCommand:
        pending.command = std::move(item->command);
        pending.octets = item->octets;
        break;
      case StreamItem::Kind::kDataEnd:
        pending.kind = Pending::Kind::kDataEnd;
        break;
      case StreamItem::Kind::kProblem:
        pending.kind = Pending::Kind::kMalformed;
        pending.octets = item->problem.line.size();
        break;
      case StreamItem::Kind::kBdatChunk:
        continue;  // answered with the BDAT command's reply
    }
    pending_.push_back(std::move(pending));
  }
  output_ += bytes;
}

void Player::ReadReplies(Time now) {
  while (true) {
    wire::Event<wire::Received<Reply>> event = replies_in_.Next();
    if (std::holds_alternative<wire::NeedData>(event)) return;
    if (auto* problem = std::get_if<wire::Problem>(&event)) {
      // A malformed reply: say so, whatever the command was (a bare LF
      // echoed in the text is the server's malformed reply, not a command
      // it took).
      AddRuleFinding(FindingKind::kWire, ReplyFaultRule(problem->fault),
                     "malformed reply: " + problem->reason, "", problem->line);
      if (!pending_.empty()) pending_.pop_front();
      const bool greeting = !greeted_;
      greeted_ = true;
      replies_.push_back(Arrived{
          std::nullopt, greeting,
          IsOwn(result_.findings.back()) ? "" : result_.findings.back().rule});
      continue;
    }
    auto& received = std::get<wire::Received<Reply>>(event);
    std::string incidental;
    for (const wire::Problem& notice : received.notices) {
      AddRuleFinding(FindingKind::kWire, ReplyFaultRule(notice.fault),
                     "malformed reply: " + notice.reason, "", notice.line);
      if (incidental.empty() && !IsOwn(result_.findings.back())) {
        incidental = result_.findings.back().rule;
      }
    }
    const bool greeting = !greeted_;
    std::string judged = JudgeReply(received.value, now);
    if (incidental.empty()) incidental = std::move(judged);
    replies_.push_back(
        Arrived{std::move(received.value), greeting, std::move(incidental)});
  }
}

std::string Player::JudgeReply(const Reply& reply, Time now) {
  const std::size_t before = result_.findings.size();
  auto incidental = [&]() -> std::string {
    for (std::size_t i = before; i < result_.findings.size(); ++i) {
      if (!IsOwn(result_.findings[i])) return result_.findings[i].rule;
    }
    return "";
  };
  if (!greeted_) {
    greeted_ = true;
    AddModelFindings(server_model_.OnGreeting(reply));
    return incidental();
  }
  if (pending_.empty()) {
    AddRuleFinding(FindingKind::kWire, Id("rfc5321/4.2-one-reply"),
                   "the server sent a reply when no command was waiting for "
                   "one (every command gets exactly one reply)",
                   "", ReplyText(reply));
    return incidental();
  }
  Pending pending = std::move(pending_.front());
  pending_.pop_front();
  switch (pending.kind) {
    case Pending::Kind::kCommand: {
      last_answered_ = pending.command.verb;
      AddModelFindings(
          server_model_.OnExchange(pending.command, reply, pending.octets));
      const Verb verb = pending.command.verb;
      if (verb == Verb::kData && reply.code == 354) sent_.BeginData();
      // `requires` is about what the target offers a client that has just
      // connected: the first EHLO. After STARTTLS the keywords change
      // (STARTTLS itself goes away, RFC 3207 4.2).
      if (verb == Verb::kEhlo && reply.code == 250 && !requires_checked_) {
        requires_checked_ = true;
        for (const std::string& keyword : scenario_.meta.requires_keywords) {
          if (!model::HasKeyword(reply, keyword)) {
            Skip("the target does not advertise " + keyword, now);
            return "";
          }
        }
      }
      break;
    }
    case Pending::Kind::kDataEnd:
      last_answered_ = Verb::kData;
      AddModelFindings(server_model_.OnDataEnd(reply));
      break;
    case Pending::Kind::kMalformed:
      last_answered_ = Verb::kUnknown;
      break;
  }
  return incidental();
}

bool Player::ExpectReply(const transcript::ReplyPattern& pattern,
                         const transcript::Step& step) {
  if (replies_.empty()) {
    if (peer_closed_) {
      Mismatch(step, result_.steps[pc_].text, "(connection closed)",
               "the server closed the connection instead of replying");
    }
    return false;
  }
  if (!replies_.front().reply) {
    const Arrived arrived = std::move(replies_.front());
    replies_.pop_front();
    Mismatch(step, result_.steps[pc_].text, "(a malformed reply)",
             "the reply was malformed", &arrived);
    return false;
  }
  const Arrived arrived = replies_.front();
  const Reply& reply = *arrived.reply;
  transcript::MatchResult match = transcript::MatchReply(pattern, reply, vars_);
  if (!match.matched) {
    if (step.optional) {
      result_.steps[pc_].status = StepStatus::kSkipped;
      return true;  // the reply is for a later step
    }
    replies_.pop_front();
    if ((reply.code == 502 || reply.code == 504) &&
        last_answered_ != Verb::kUnknown &&
        !wire::InMinimumImplementation(last_answered_)) {
      unimplemented_ = true;
    }
    Mismatch(step, result_.steps[pc_].text, ReplyText(reply), match.reason,
             &arrived);
    return false;
  }
  replies_.pop_front();
  for (transcript::Binding& capture : match.captures) {
    vars_.Set(capture.name, std::move(capture.value));
  }
  return true;
}

// ---------------------------------------------------------------------------
// Shared.

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
