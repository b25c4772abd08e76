// The Player with a client under test: the harness is the server. It
// sends the S: side of the scenario (a pattern step gets the reference
// server's reply) and matches what the client sends against the C: steps.
#include <utility>
#include <variant>

#include "engine/wire/render.h"
#include "interpreter/player.h"
#include "interpreter/supplier.h"
#include "parser/match.h"

namespace smtpspec::interp {
namespace {

std::string Describe(const StreamItem& item) {
  switch (item.kind) {
    case StreamItem::Kind::kCommand:
      return item.line;
    case StreamItem::Kind::kDataEnd:
      return "(message data)";
    case StreamItem::Kind::kBdatChunk:
      return "(a BDAT chunk)";
    case StreamItem::Kind::kProblem:
      return item.problem.line;
  }
  return "";
}

// The first line where `a` and `b` differ, for a body mismatch.
std::string FirstDifference(const std::string& expected,
                            const std::string& observed) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < std::min(expected.size(), observed.size()); ++i) {
    if (expected[i] != observed[i]) {
      return "the message content differs from line " + std::to_string(line);
    }
    if (expected[i] == '\n') ++line;
  }
  return "the message content is " + std::to_string(observed.size()) +
         " octets, not the expected " + std::to_string(expected.size());
}

}  // namespace

bool Player::ExpectPipeline(const parser::Pipeline& pipeline,
                            const parser::Step& step) {
  while (sub_ < pipeline.commands.size()) {
    if (!ExpectCommand(pipeline.commands[sub_].pattern, step)) return false;
    ++sub_;
  }
  sub_ = 0;
  return true;
}

bool Player::SendRawReplies(const parser::RawSend& raw,
                            const parser::Step& step, Time now) {
  if (raw.from == parser::Party::kClient) {
    FailAt(step,
           "a C! step cannot be checked against a client; write what "
           "the client must send as C: lines",
           now);
    return false;
  }
  Result<std::string> bytes = parser::ExpandRaw(raw.bytes, vars_);
  if (!bytes.ok()) {
    Fail(bytes.error().reason, now);
    return false;
  }
  Wire('S', *bytes, now);
  output_ += *bytes;
  // What the client reads in these bytes, it reads as replies: the model
  // follows them as it follows replies sent whole, and each stands in for
  // the reference's reply to the same command.
  raw_replies_.Feed(*bytes);
  while (true) {
    wire::Event<wire::Received<Reply>> event = raw_replies_.Next();
    if (std::holds_alternative<wire::NeedData>(event)) break;
    if (auto* r = std::get_if<wire::Received<Reply>>(&event)) {
      supplier_->NextReply();
      NoteReplySent(r->value, now);
    }
  }
  return true;
}

bool Player::SupplyReply(const parser::ReplyPattern& pattern,
                         const parser::Step& step, Time now) {
  // After a 354, the reply that follows answers the end of data, and after
  // a BDAT command its chunk (RFC 3030 2: the reply comes once all its
  // octets are in): wait for them. Without a !body or !bdat step any
  // content is accepted.
  if (client_in_.in_data() || client_in_.in_chunk()) return false;
  // An optional reply answers the optional command before it: when the
  // client did not send that command, there is nothing to answer, and the
  // reply would answer the client's next command instead (`!optional C:
  // RSET` / `!optional S: 250 ...` before `C: QUIT` must not answer QUIT
  // with 250; RFC 5321 4.2: each reply answers one command).
  if (step.optional && pc_ > 0 &&
      result_.steps[pc_ - 1].status == StepStatus::kSkipped &&
      std::holds_alternative<parser::ClientCommand>(
          scenario_.steps[pc_ - 1].action)) {
    result_.steps[pc_].status = StepStatus::kSkipped;
    return true;
  }
  if (!client_items_.empty() &&
      (client_items_.front().kind == StreamItem::Kind::kDataEnd ||
       client_items_.front().kind == StreamItem::Kind::kBdatChunk)) {
    client_items_.pop_front();
  }
  // Every reply the harness sends answers what the reference answered, so
  // the reference's reply is taken either way to stay in step.
  std::optional<Reply> reference = supplier_->NextReply();
  if (parser::IsConcrete(pattern)) {
    Result<Reply> reply = parser::ExpandReply(pattern, vars_);
    if (!reply.ok()) {
      FailAt(step, reply.error().reason, now);
      return false;
    }
    SendReply(*reply, now);
    return true;
  }
  if (!reference && step.optional) {
    result_.steps[pc_].status = StepStatus::kSkipped;
    return true;
  }
  if (!reference) {
    FailAt(step,
           "the reference server has no reply to supply for '" +
               result_.steps[pc_].text + "'; write the reply out in full",
           now);
    return false;
  }
  if (!parser::MatchReply(pattern, *reference, vars_).matched) {
    // The scenario, not the client, is at fault (issue: self-check).
    FailAt(step,
           "the reference server's reply '" + std::to_string(reference->code) +
               (reference->lines.empty() ? "" : " " + reference->lines.back()) +
               "' does not fit '" + result_.steps[pc_].text +
               "'; write the reply out in full",
           now);
    return false;
  }
  SendReply(*reference, now);
  return true;
}

void Player::SendReply(const Reply& reply, Time now) {
  Result<std::string> bytes = wire::RenderReply(reply);
  if (!bytes.ok()) {
    Fail("cannot send reply: " + bytes.error().reason, now);
    return;
  }
  Wire('S', *bytes, now);
  output_ += *bytes;
  NoteReplySent(reply, now);
}

void Player::NoteReplySent(const Reply& reply, Time now) {
  if (!greeting_sent_) {
    greeting_sent_ = true;
    client_model_.OnGreeting(reply);
  } else if (data_end_seen_) {
    data_end_seen_ = false;
    client_model_.OnDataEnd(reply);
  } else {
    client_model_.OnReply(reply);
  }
  if (reply.code == 354 && last_client_verb_ == Verb::kData) {
    client_in_.BeginData();
    ReadClient(now);
  }
}

void Player::ReadClient(Time now) {
  while (std::optional<StreamItem> item = client_in_.Next()) {
    switch (item->kind) {
      case StreamItem::Kind::kCommand:
        for (const wire::Problem& notice : item->notices) {
          AddRuleFinding(FindingKind::kWire,
                         rules::Id("rfc5321/2.3.8-client-no-bare"),
                         notice.reason, "", notice.line);
        }
        AddModelFindings(client_model_.OnCommand(item->command, item->octets));
        last_client_verb_ = item->command.verb;
        break;
      case StreamItem::Kind::kProblem:
        AddRuleFinding(FindingKind::kWire,
                       item->problem.fault == wire::Fault::kLineTooLong
                           ? rules::Id("rfc5321/4.5.3.1.4-command-line")
                           : rules::Id("rfc5321/2.3.8-client-no-bare"),
                       item->problem.reason, "", item->problem.line);
        break;
      case StreamItem::Kind::kDataEnd:
        // RFC 5321 2.3.8: a client MUST NOT send bare CR or LF; the
        // smuggling look-alikes are the dangerous case of it.
        for (const data::Notice& notice : item->data_notices) {
          AddRuleFinding(FindingKind::kWire,
                         notice.kind == data::notice::Kind::kLongLine
                             ? rules::Id("rfc5321/4.5.3.1.6-text-line")
                             : rules::Id("rfc5321/2.3.8-client-no-bare"),
                         data::notice::Describe(notice.kind));
        }
        data_end_seen_ = true;
        break;
      case StreamItem::Kind::kBdatChunk:
        break;
    }
    client_items_.push_back(std::move(*item));
  }
}

std::optional<std::string> Player::GivenInput(
    const parser::CommandPattern& pattern, const StreamItem& item) const {
  // Only a MAIL or RCPT step written with a target variable's address can
  // say what the client was given.
  const std::string& text = result_.steps[pc_].text;
  if (text.find("${sender}") == std::string::npos &&
      text.find("${mailbox}") == std::string::npos) {
    return std::nullopt;
  }
  if (item.command.verb != Verb::kMail && item.command.verb != Verb::kRcpt) {
    return std::nullopt;
  }
  Result<std::string> expected = parser::ExpandCommand(pattern, vars_);
  if (!expected.ok()) return std::nullopt;
  // Same command, other address: compare up to the path's '<'.
  const std::size_t open = expected->find('<');
  const std::size_t sent_open = item.line.find('<');
  if (open == std::string::npos || sent_open == std::string::npos) {
    return std::nullopt;
  }
  auto upper = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(c));
    return s;
  };
  if (upper(expected->substr(0, open)) !=
      upper(item.line.substr(0, sent_open))) {
    return std::nullopt;
  }
  return *expected;
}

bool Player::ExpectCommand(const parser::CommandPattern& pattern,
                           const parser::Step& step) {
  if (client_items_.empty()) {
    if (peer_closed_) {
      Mismatch(step, result_.steps[pc_].text, "(connection closed)",
               "the client closed the connection");
    }
    return false;
  }
  const StreamItem& item = client_items_.front();
  parser::MatchResult match;
  if (item.kind == StreamItem::Kind::kCommand) {
    match = parser::MatchCommand(pattern, item.line, vars_);
  } else {
    match.reason = "the client did not send a command here";
  }
  if (!match.matched) {
    if (step.optional) {
      result_.steps[pc_].status = StepStatus::kSkipped;
      return true;
    }
    std::string observed = Describe(item);
    if (item.kind == StreamItem::Kind::kCommand) {
      if (std::optional<std::string> given = GivenInput(pattern, item)) {
        // Not the client's fault but its set-up: it was handed other
        // addresses than the scenario's (RFC 5321 4.2.1 has nothing to do
        // with it). Say what it was given and what it sent.
        const std::string sent = item.line;
        client_items_.pop_front();
        FailAt(step,
               "the client under test was expected to send '" + *given +
                   "' (from the target variables) but sent '" + sent +
                   "'; give it the scenario's ${sender} and ${mailbox} "
                   "({sender}, {mailbox} in --client) or set them with --var",
               start_);
        return false;
      }
    }
    client_items_.pop_front();
    Mismatch(step, result_.steps[pc_].text, std::move(observed), match.reason);
    return false;
  }
  client_items_.pop_front();
  for (parser::Binding& capture : match.captures) {
    vars_.Set(capture.name, std::move(capture.value));
  }
  return true;
}

bool Player::ExpectBody(const parser::Body& body,
                        const parser::Step& step) {
  if (client_items_.empty()) {
    if (peer_closed_) {
      Mismatch(step, "the message data", "(connection closed)",
               "the client closed the connection during DATA");
    }
    return false;
  }
  StreamItem item = std::move(client_items_.front());
  client_items_.pop_front();
  if (item.kind != StreamItem::Kind::kDataEnd) {
    Mismatch(step, "the message data", Describe(item),
             "the client sent a command where message data was due");
    return false;
  }
  std::string expected;
  for (const std::string& line : body.lines) expected += line + "\r\n";
  if (item.content != expected) {
    Mismatch(step, expected, item.content,
             FirstDifference(expected, item.content) +
                 " (dot-stuffing, RFC 5321 4.5.2, and line ends, 2.3.8, are "
                 "common causes)");
    return false;
  }
  return true;
}

bool Player::ExpectBdat(const parser::Bdat& bdat,
                        const parser::Step& step) {
  // The BDAT command line, then its chunk (RFC 3030 2).
  if (sub_ == 0) {
    parser::CommandPattern pattern{parser::Glob{{parser::Segment{
        parser::Segment::Kind::kLiteral,
        "BDAT " + std::to_string(bdat.size) + (bdat.last ? " LAST" : "")}}}};
    if (!ExpectCommand(pattern, step)) return false;
    sub_ = 1;
  }
  if (client_items_.empty()) return false;
  StreamItem item = std::move(client_items_.front());
  client_items_.pop_front();
  sub_ = 0;
  if (item.kind != StreamItem::Kind::kBdatChunk) {
    Mismatch(step, "a BDAT chunk", Describe(item), "no BDAT chunk followed");
    return false;
  }
  if (bdat.data) {
    Result<std::string> expected = parser::ExpandRaw(*bdat.data, vars_);
    if (expected.ok() && *expected != item.content) {
      Mismatch(step, *expected, item.content,
               "the BDAT chunk differs from the expected bytes");
      return false;
    }
  }
  return true;
}

bool Player::ExpectClientClose(const parser::Step& step) {
  if (!client_items_.empty()) {
    std::string observed = Describe(client_items_.front());
    Mismatch(step, "the client closes the connection", std::move(observed),
             "the client sent more instead of closing the connection");
    return false;
  }
  return peer_closed_;
}

}  // namespace smtpspec::interp
