#include "engine/client/machine.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

namespace smtpspec::client {
namespace {

// RFC 1870 3/6: the size a client declares is the message as the server
// will store it: before dot-stuffing, but with every bare CR or LF turned
// into CRLF (RFC 5321 2.3.8, as client::Connection sends it) and the CRLF
// added to an unterminated last line.
std::uint64_t MessageSize(const std::string& body) {
  std::uint64_t size = body.size();
  for (std::size_t i = 0; i < body.size(); ++i) {
    bool bare_cr =
        body[i] == '\r' && (i + 1 == body.size() || body[i + 1] != '\n');
    bool bare_lf = body[i] == '\n' && (i == 0 || body[i - 1] != '\r');
    if (bare_cr || bare_lf) ++size;
  }
  char last = body.empty() ? '\n' : body.back();
  if (last != '\n' && last != '\r') size += 2;
  return size;
}

// RFC 6152 2: any octet above 127 makes the body 8-bit.
bool HasEightBitOctets(const std::string& body) {
  return std::any_of(body.begin(), body.end(), [](char c) {
    return static_cast<unsigned char>(c) > 127;
  });
}

std::string Code(const Reply& reply) { return std::to_string(reply.code); }

// 4yz or 5yz: the server said no (RFC 5321 4.2.1). Any other code where a
// specific positive one was due is a protocol error, not a refusal.
bool IsRefusal(const Reply& reply) {
  ReplyClass reply_class = Classify(reply.code);
  return reply_class == ReplyClass::kTransient ||
         reply_class == ReplyClass::kPermanent;
}

// The positive codes RFC 5321 defines (4.2.2, 4.2.3). One of them where
// another was due is out of place: a protocol error.
bool IsDefinedPositive(int code) {
  constexpr int kDefined[] = {211, 214, 220, 221, 250, 251, 252, 354};
  return std::find(std::begin(kDefined), std::end(kDefined), code) !=
         std::end(kDefined);
}

// True when `reply` answers as `expected` does: that code, or a code
// RFC 5321 does not define with the same first digit. RFC 5321 4.2: "a
// sender-SMTP MUST be prepared to handle codes not specified in this
// document and MUST do so by interpreting the first digit only" (and
// 4.3.2), so an unknown 2yz is a success and an unknown 3yz after DATA is
// the go-ahead. (Unknown 4yz and 5yz are refusals by IsRefusal already.)
bool Means(const Reply& reply, int expected) {
  return reply.code == expected ||
         (reply.code / 100 == expected / 100 && !IsDefinedPositive(reply.code));
}

}  // namespace

// What the client waits for in each state: the step it belongs to, its
// timer (RFC 5321 4.5.3.2) and what to say when the timer fires.
Machine::Wait Machine::WaitFor(State state) {
  switch (state) {
    case State::kGreeting:
      return {Stage::kGreeting, &Timeouts::greeting,
              "no greeting within the initial 220 timeout "
              "(RFC 5321 4.5.3.2.1)"};
    case State::kEhlo:
      return {Stage::kEhlo, &Timeouts::other,
              "no reply to EHLO within the command timeout (RFC 5321 4.5.3.2)"};
    case State::kHelo:
      return {Stage::kHelo, &Timeouts::other,
              "no reply to HELO within the command timeout (RFC 5321 4.5.3.2)"};
    case State::kStartTls:
      return {Stage::kStartTls, &Timeouts::other,
              "no reply to STARTTLS within the command timeout "
              "(RFC 5321 4.5.3.2)"};
    case State::kTlsHandshake:
      return {Stage::kStartTls, &Timeouts::other,
              "the TLS handshake did not finish in time (RFC 3207 4.2)"};
    case State::kMail:
      return {Stage::kMail, &Timeouts::mail,
              "no reply to MAIL within its timeout (RFC 5321 4.5.3.2.2)"};
    case State::kRcpt:
      return {Stage::kRcpt, &Timeouts::rcpt,
              "no reply to RCPT within its timeout (RFC 5321 4.5.3.2.3)"};
    case State::kData:
      return {Stage::kData, &Timeouts::data_initiation,
              "no reply to DATA within the DATA initiation timeout "
              "(RFC 5321 4.5.3.2.4)"};
    case State::kBody:
      return {Stage::kEndOfData, &Timeouts::data_block,
              "the body could not be written within the data block timeout "
              "(RFC 5321 4.5.3.2.5)"};
    case State::kEndOfData:
      return {Stage::kEndOfData, &Timeouts::data_termination,
              "no reply after end of data within the DATA termination "
              "timeout (RFC 5321 4.5.3.2.6)"};
    case State::kRset:
      return {Stage::kRset, &Timeouts::other,
              "no reply to RSET within the command timeout (RFC 5321 4.5.3.2)"};
    case State::kQuit:
    case State::kClosed:
      break;
  }
  return {Stage::kQuit, &Timeouts::other,
          "no reply to QUIT within the command timeout (RFC 5321 4.5.3.2)"};
}

Machine::Machine(Config config, std::vector<Message> messages, Time now)
    : config_(std::move(config)), messages_(std::move(messages)) {
  for (const Message& message : messages_) {
    Transaction transaction;
    for (const Path& recipient : message.recipients) {
      transaction.recipients.push_back(RecipientResult{.recipient = recipient});
    }
    outcome_.transactions.push_back(std::move(transaction));
  }
  outcome_.steps.push_back(Step{.stage = Stage::kGreeting});
  Await(State::kGreeting, now);
}

std::vector<Action> Machine::TakeActions() {
  std::vector<Action> taken;
  taken.swap(actions_);
  return taken;
}

void Machine::OnReply(const Reply& reply, Time now) {
  if (state_ == State::kClosed) return;
  if (state_ == State::kTlsHandshake) {
    // RFC 3207 4.2: nothing may be read in clear between 220 and the
    // handshake; a reply here is an injection attempt or a broken server.
    Abandon(Ending::kProtocolError,
            Error{0, "the server sent a reply " + Code(reply) +
                         " after 220 to STARTTLS, before the TLS handshake "
                         "(RFC 3207 4.2)"},
            /*send_quit=*/false, now);
    return;
  }
  Step& step = outcome_.steps.back();
  step.reply = reply;
  step.reply_class = Classify(reply.code);
  if (step.reply_class == ReplyClass::kInvalid) {
    ProtocolError(reply, "a code from 200 to 599 (RFC 5321 4.2.1)", now);
    return;
  }
  if (state_ == State::kQuit) {
    // RFC 5321 4.1.1.10: 221 is expected, but whatever the answer the
    // client is done.
    if (outcome_.ending == Ending::kInProgress) {
      outcome_.ending = Ending::kQuit;
    }
    Close();
    return;
  }
  if (reply.code == 421) {
    // RFC 5321 3.8: the server is shutting the channel; it will not read
    // QUIT, so the client just closes.
    Abandon(Ending::kServiceClosing,
            Error{0, "the server closed the session with 421 (RFC 5321 3.8)"},
            /*send_quit=*/false, now);
    return;
  }
  switch (state_) {
    case State::kGreeting:
      return OnGreeting(reply, now);
    case State::kEhlo:
      return OnEhlo(reply, now);
    case State::kHelo:
      return OnHelo(reply, now);
    case State::kStartTls:
      return OnStartTls(reply, now);
    case State::kMail:
      return OnMail(reply, now);
    case State::kRcpt:
      return OnRcpt(reply, now);
    case State::kData:
      return OnData(reply, now);
    case State::kBody:
    case State::kEndOfData:
      return OnEndOfData(reply, now);
    case State::kRset:
      return OnRset(reply, now);
    case State::kTlsHandshake:
    case State::kQuit:
    case State::kClosed:
      return;  // handled above
  }
}

void Machine::OnGreeting(const Reply& reply, Time now) {
  if (Means(reply, 220)) return SendEhlo(now);
  if (!IsRefusal(reply)) return ProtocolError(reply, "220 (RFC 5321 3.1)", now);
  // RFC 5321 3.1: a server that will not serve answers 554 instead of 220
  // and then waits for QUIT.
  Abandon(Ending::kGreetingRefused,
          Error{0, "the server refused the session with greeting " +
                       Code(reply) + " (RFC 5321 3.1)"},
          /*send_quit=*/true, now);
}

void Machine::SendEhlo(Time now) {
  Send(State::kEhlo, Verb::kEhlo, "EHLO", config_.domain, now);
}

void Machine::OnEhlo(const Reply& reply, Time now) {
  if (Means(reply, 250)) {
    extensions_ = ExtensionsFromEhlo(reply);
    return AfterHello(now);
  }
  // RFC 5321 3.2, 4.1.1.1: a server without extensions answers EHLO with
  // 500 or 502; the client falls back to HELO.
  if (reply.code == 500 || reply.code == 502) {
    extensions_ = Extensions{};
    return Send(State::kHelo, Verb::kHelo, "HELO", config_.domain, now);
  }
  if (!IsRefusal(reply))
    return ProtocolError(reply, "250 (RFC 5321 4.3.2)", now);
  Abandon(Ending::kHelloRefused,
          Error{0, "the server refused EHLO with " + Code(reply) +
                       " (RFC 5321 4.1.1.1)"},
          /*send_quit=*/true, now);
}

void Machine::OnHelo(const Reply& reply, Time now) {
  if (Means(reply, 250)) return AfterHello(now);
  if (!IsRefusal(reply))
    return ProtocolError(reply, "250 (RFC 5321 4.3.2)", now);
  Abandon(Ending::kHelloRefused,
          Error{0, "the server refused both EHLO and HELO, the last with " +
                       Code(reply) + " (RFC 5321 4.1.1.1)"},
          /*send_quit=*/true, now);
}

void Machine::AfterHello(Time now) {
  if (!tls_active_ && config_.tls != TlsPolicy::kOff && extensions_.starttls) {
    return Send(State::kStartTls, Verb::kStarttls, "STARTTLS", "", now);
  }
  if (!tls_active_ && config_.tls == TlsPolicy::kRequired) {
    return Abandon(Ending::kTlsUnavailable,
                   Error{0,
                         "TLS is required but the server does not advertise "
                         "STARTTLS (RFC 3207 4)"},
                   /*send_quit=*/true, now);
  }
  NextTransaction(now);
}

void Machine::OnStartTls(const Reply& reply, Time now) {
  if (Means(reply, 220)) {
    actions_.push_back(Action{.kind = Action::Kind::kStartTls});
    return Await(State::kTlsHandshake, now);
  }
  if (!IsRefusal(reply)) return ProtocolError(reply, "220 (RFC 3207 4)", now);
  if (config_.tls == TlsPolicy::kRequired) {
    return Abandon(Ending::kTlsUnavailable,
                   Error{0,
                         "TLS is required but the server refused STARTTLS "
                         "with " +
                             Code(reply) + " (RFC 3207 4)"},
                   /*send_quit=*/true, now);
  }
  // Opportunistic: RFC 3207 4 lets the client go on in clear, with what
  // the first EHLO taught it.
  NextTransaction(now);
}

void Machine::OnTlsEstablished(Time now) {
  if (state_ != State::kTlsHandshake) return;
  // RFC 3207 4.2: discard all knowledge obtained from the server before
  // TLS, and issue EHLO again.
  tls_active_ = true;
  extensions_ = Extensions{};
  SendEhlo(now);
}

void Machine::NextTransaction(Time now) {
  while (next_message_ < messages_.size()) {
    std::size_t index = next_message_++;
    const Message& message = messages_[index];
    open_ = index;
    if (message.recipients.empty()) {
      Settle(Disposition::kPermanentFailure, std::nullopt,
             "the message has no recipients (RFC 5321 4.1.1.3 needs one)");
      continue;
    }
    std::uint64_t size = MessageSize(message.body);
    if (extensions_.size && extensions_.size_limit != 0 &&
        size > extensions_.size_limit) {
      Settle(Disposition::kPermanentFailure, std::nullopt,
             "the message has " + std::to_string(size) +
                 " octets, more than the server's SIZE of " +
                 std::to_string(extensions_.size_limit) + " (RFC 1870 6)");
      continue;
    }
    PathArgument mail;
    mail.path = message.reverse_path;
    if (extensions_.size && !FindParameter(message.mail_parameters, "SIZE")) {
      mail.parameters.push_back(
          Parameter{.keyword = "SIZE", .value = std::to_string(size)});
    }
    if (HasEightBitOctets(message.body)) {
      if (!extensions_.eight_bit_mime) {
        Settle(Disposition::kPermanentFailure, std::nullopt,
               "the body has 8-bit octets but the server does not advertise "
               "8BITMIME (RFC 6152 3)");
        continue;
      }
      if (!FindParameter(message.mail_parameters, "BODY")) {
        mail.parameters.push_back(
            Parameter{.keyword = "BODY", .value = "8BITMIME"});
      }
    }
    mail.parameters.insert(mail.parameters.end(),
                           message.mail_parameters.begin(),
                           message.mail_parameters.end());
    Result<std::string> argument = RenderMailArgument(mail);
    if (!argument.ok()) {
      Settle(Disposition::kPermanentFailure, std::nullopt,
             "MAIL FROM cannot be sent: " + argument.error().reason);
      continue;
    }
    next_recipient_ = 0;
    return Send(State::kMail, Verb::kMail, "MAIL", std::move(*argument), now);
  }
  Send(State::kQuit, Verb::kQuit, "QUIT", "", now);
}

void Machine::OnMail(const Reply& reply, Time now) {
  if (Means(reply, 250)) return NextRecipient(now);
  if (!IsRefusal(reply))
    return ProtocolError(reply, "250 (RFC 5321 4.3.2)", now);
  FailTransaction(reply,
                  "the server refused MAIL FROM with " + Code(reply) +
                      " (RFC 5321 4.1.1.2)",
                  now);
}

void Machine::NextRecipient(Time now) {
  Transaction& transaction = outcome_.transactions[*open_];
  for (; next_recipient_ < transaction.recipients.size(); ++next_recipient_) {
    RecipientResult& recipient = transaction.recipients[next_recipient_];
    PathArgument rcpt;
    rcpt.path = recipient.recipient;
    Result<std::string> argument = RenderRcptArgument(rcpt);
    if (argument.ok()) {
      return Send(State::kRcpt, Verb::kRcpt, "RCPT", std::move(*argument), now);
    }
    recipient.disposition = Disposition::kPermanentFailure;
    recipient.reason = "RCPT TO cannot be sent: " + argument.error().reason;
  }
  const std::vector<RecipientResult>& all = transaction.recipients;
  auto with = [&](Disposition d) {
    return std::any_of(all.begin(), all.end(), [d](const RecipientResult& r) {
      return r.disposition == d;
    });
  };
  if (with(Disposition::kAccepted)) {
    return Send(State::kData, Verb::kData, "DATA", "", now);
  }
  // RFC 5321 3.3: with no valid recipient there is nothing to send DATA
  // for. The message may still go later if any refusal was transient.
  Settle(with(Disposition::kTransientFailure) ? Disposition::kTransientFailure
                                              : Disposition::kPermanentFailure,
         std::nullopt, "the server refused every recipient (RFC 5321 3.3)");
  Send(State::kRset, Verb::kRset, "RSET", "", now);
}

void Machine::OnRcpt(const Reply& reply, Time now) {
  ReplyClass reply_class = Classify(reply.code);
  RecipientResult& recipient =
      outcome_.transactions[*open_].recipients[next_recipient_];
  // RFC 5321 4.1.1.3: 250 or 251 (or an unknown 2yz, 4.2) accept the
  // recipient; 4yz and 5yz refuse only this one, the transaction goes on
  // (3.3).
  if (Means(reply, 250) || reply.code == 251) {
    recipient.disposition = Disposition::kAccepted;
  } else if (reply_class == ReplyClass::kTransient) {
    recipient.disposition = Disposition::kTransientFailure;
  } else if (reply_class == ReplyClass::kPermanent) {
    recipient.disposition = Disposition::kPermanentFailure;
  } else {
    return ProtocolError(reply, "250 or 251 (RFC 5321 4.3.2)", now);
  }
  recipient.reply = reply;
  ++next_recipient_;
  NextRecipient(now);
}

void Machine::OnData(const Reply& reply, Time now) {
  if (Means(reply, 354)) {
    // RFC 5321 4.1.1.4: 354 invites the body; the final reply comes after
    // CRLF.CRLF. The body is moved out: nothing needs it after this.
    outcome_.steps.push_back(Step{.stage = Stage::kEndOfData});
    actions_.push_back(Action{.kind = Action::Kind::kSendBody,
                              .body = std::move(messages_[*open_].body)});
    return Await(State::kBody, now);
  }
  if (!IsRefusal(reply))
    return ProtocolError(reply, "354 (RFC 5321 4.3.2)", now);
  FailTransaction(
      reply,
      "the server refused DATA with " + Code(reply) + " (RFC 5321 4.1.1.4)",
      now);
}

void Machine::OnBodyProgress(Time now) {
  if (state_ == State::kBody) Await(State::kBody, now);
}

void Machine::OnBodySent(Time now) {
  if (state_ == State::kBody) Await(State::kEndOfData, now);
}

void Machine::OnEndOfData(const Reply& reply, Time now) {
  if (Means(reply, 250)) {
    Settle(Disposition::kAccepted, reply, "");
    return NextTransaction(now);
  }
  if (!IsRefusal(reply))
    return ProtocolError(reply, "250 (RFC 5321 4.3.2)", now);
  FailTransaction(reply,
                  "the server refused the message with " + Code(reply) +
                      " after end of data (RFC 5321 4.1.1.4)",
                  now);
}

void Machine::OnRset(const Reply& reply, Time now) {
  if (Means(reply, 250)) return NextTransaction(now);
  // A server that cannot reset cannot be trusted with another message.
  ProtocolError(reply, "250 (RFC 5321 4.1.1.5)", now);
}

void Machine::FailTransaction(const Reply& reply, std::string reason,
                              Time now) {
  Settle(Classify(reply.code) == ReplyClass::kTransient
             ? Disposition::kTransientFailure
             : Disposition::kPermanentFailure,
         reply, std::move(reason));
  // RFC 5321 4.1.1.5: RSET so the next transaction starts clean.
  Send(State::kRset, Verb::kRset, "RSET", "", now);
}

void Machine::Settle(Disposition disposition, std::optional<Reply> reply,
                     std::string reason) {
  if (!open_) return;
  Transaction& transaction = outcome_.transactions[*open_];
  transaction.disposition = disposition;
  transaction.reply = std::move(reply);
  transaction.reason = std::move(reason);
  open_.reset();
}

void Machine::ProtocolError(const Reply& reply, const char* expected,
                            Time now) {
  Abandon(Ending::kProtocolError,
          Error{0, "the server answered " + Code(reply) + " where " + expected +
                       " was expected"},
          /*send_quit=*/true, now);
}

void Machine::Abandon(Ending ending, Error error, bool send_quit, Time now) {
  if (outcome_.ending == Ending::kInProgress) {
    outcome_.ending = ending;
    outcome_.error = error;
  }
  // RFC 5321 3.8: a transaction cut short is treated as if 451 came.
  std::optional<Reply> reply;
  const Step& last = outcome_.steps.back();
  if (last.reply && last.reply->code == 421) reply = last.reply;
  Settle(Disposition::kTransientFailure, reply, error.reason);
  if (send_quit) {
    Send(State::kQuit, Verb::kQuit, "QUIT", "", now);
  } else {
    Close();
  }
}

void Machine::OnTimer(Time now) {
  if (!deadline_ || now < *deadline_) return;
  Abandon(Ending::kTimeout, Error{0, WaitFor(state_).expired},
          /*send_quit=*/false, now);
}

void Machine::OnConnectionClosed(Time now) {
  if (state_ == State::kClosed) return;
  if (state_ == State::kQuit) {
    // RFC 5321 4.1.1.10: the server closes after 221; a close without it
    // still ends what the client wanted ended.
    if (outcome_.ending == Ending::kInProgress) {
      outcome_.ending = Ending::kQuit;
    }
    return Close();
  }
  Abandon(
      Ending::kConnectionLost,
      Error{0, "the server closed the connection without 421 (RFC 5321 3.8)"},
      /*send_quit=*/false, now);
}

void Machine::OnMalformedReply(Error error, std::string bytes, Time now) {
  if (state_ == State::kClosed) return;
  bool first = outcome_.ending == Ending::kInProgress;
  Abandon(Ending::kMalformedReply, std::move(error), /*send_quit=*/false, now);
  if (first) outcome_.offending_bytes = std::move(bytes);
}

void Machine::Abort(Error error, Time now) {
  if (state_ == State::kClosed) return;
  Abandon(Ending::kAborted, std::move(error), /*send_quit=*/false, now);
}

void Machine::Send(State state, Verb verb, std::string name,
                   std::string argument, Time now) {
  Command command{
      .verb = verb, .name = std::move(name), .argument = std::move(argument)};
  outcome_.steps.push_back(
      Step{.stage = WaitFor(state).stage, .command = command});
  actions_.push_back(Action{.kind = Action::Kind::kSendCommand,
                            .command = std::move(command)});
  Await(state, now);
}

void Machine::Await(State state, Time now) {
  state_ = state;
  deadline_ = now + config_.timeouts.*(WaitFor(state).timeout);
}

void Machine::Close() {
  actions_.push_back(Action{.kind = Action::Kind::kClose});
  state_ = State::kClosed;
  deadline_.reset();
}

}  // namespace smtpspec::client
