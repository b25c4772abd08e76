// The Player with a server under test: the harness is the client. It
// sends the C: side of the scenario, keeps what the server should have
// read, and matches the replies against the S: steps.
#include <utility>

#include "engine/data/dot_stuffer.h"
#include "engine/ehlo.h"
#include "engine/model/text.h"
#include "engine/wire/render.h"
#include "engine/wire/verb.h"
#include "interpreter/player.h"
#include "interpreter/supplier.h"
#include "parser/match.h"
#include "parser/render.h"

namespace smtpspec::interp {
namespace {

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

}  // namespace

bool Player::SendCommand(const parser::CommandPattern& pattern, Time now) {
  std::optional<std::string> line = CommandLine(pattern);
  if (!line) return false;
  Send(*line + "\r\n", now);
  return true;
}

bool Player::SendRaw(const parser::RawSend& raw,
                     const parser::Step& step, Time now) {
  if (raw.from == parser::Party::kServer) {
    FailAt(step, "an S! step sends as the server, but the server is under test",
           now);
    return false;
  }
  Result<std::string> bytes = parser::ExpandRaw(raw.bytes, vars_);
  if (!bytes.ok()) {
    FailAt(step, bytes.error().reason, now);
    return false;
  }
  Send(*bytes, now);
  return true;
}

bool Player::SendPipeline(const parser::Pipeline& pipeline, Time now) {
  // RFC 2920: the whole group goes out in one write.
  std::string group;
  for (const parser::PipelinedCommand& command : pipeline.commands) {
    std::optional<std::string> line = CommandLine(command.pattern);
    if (!line) return false;
    group += *line + "\r\n";
  }
  Send(std::move(group), now);
  return true;
}

bool Player::SendBody(const parser::Body& body,
                      const parser::Step& step, Time now) {
  std::string content;
  for (const std::string& line : body.lines) content += line + "\r\n";
  Result<std::string> wire = data::Stuff(content);
  if (!wire.ok()) {
    FailAt(step, wire.error().reason, now);
    return false;
  }
  Send(*wire, now);
  return true;
}

bool Player::SendBdat(const parser::Bdat& bdat, Time now) {
  std::string chunk;
  if (bdat.data) {
    Result<std::string> bytes = parser::ExpandRaw(*bdat.data, vars_);
    if (!bytes.ok()) {
      Fail(bytes.error().reason, now);
      return false;
    }
    chunk = *bytes;
  } else {
    // Made-up content of the announced size, in text lines.
    static constexpr std::string_view kFill = "smtpspec BDAT chunk\r\n";
    chunk.reserve(bdat.size);
    while (chunk.size() < bdat.size) chunk += kFill;
    chunk.resize(bdat.size);
  }
  Send("BDAT " + std::to_string(bdat.size) + (bdat.last ? " LAST" : "") +
           "\r\n" + chunk,
       now);
  return true;
}

bool Player::ExpectServerClose(const parser::Step& step) {
  if (!replies_.empty()) {
    const Arrived& arrived = replies_.front();
    Mismatch(step, "the server closes the connection",
             arrived.reply ? ReplyText(*arrived.reply) : "(a malformed reply)",
             "the server replied instead of closing the connection", &arrived);
    return false;
  }
  return peer_closed_;
}

std::optional<std::string> Player::CommandLine(
    const parser::CommandPattern& pattern) {
  if (parser::IsConcrete(pattern)) {
    Result<std::string> line = parser::ExpandCommand(pattern, vars_);
    if (line.ok()) return *line;
    FailAt(scenario_.steps[pc_], line.error().reason, start_);
    return std::nullopt;
  }
  // The harness's own side written as a pattern: the reference client's
  // line for the command must fit it.
  for (const std::string& candidate : ReferenceCommands(vars_)) {
    if (parser::MatchCommand(pattern, candidate, vars_).matched) {
      return candidate;
    }
  }
  FailAt(scenario_.steps[pc_],
         "the reference client has no command that fits '" +
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
          if (!AdvertisesKeyword(reply, keyword)) {
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

bool Player::ExpectReply(const parser::ReplyPattern& pattern,
                         const parser::Step& step) {
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
  parser::MatchResult match = parser::MatchReply(pattern, reply, vars_);
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
  for (parser::Binding& capture : match.captures) {
    vars_.Set(capture.name, std::move(capture.value));
  }
  return true;
}

}  // namespace smtpspec::interp
