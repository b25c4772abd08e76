#include "engine/server/machine.h"

#include <algorithm>
#include <utility>

#include "engine/domain.h"
#include "engine/esmtp.h"
#include "engine/server/params.h"
#include "engine/server/reply.h"
#include "engine/syntax.h"
#include "engine/wire/verb.h"

namespace smtpspec::server {

namespace {

// RFC 3463 enhanced codes used below, named so each reply reads clearly.
constexpr EnhancedCode kOk{2, 0, 0};            // 2.0.0 other/undefined
constexpr EnhancedCode kSenderOk{2, 1, 0};      // 2.1.0 originator address
constexpr EnhancedCode kRecipientOk{2, 1, 5};   // 2.1.5 destination valid
constexpr EnhancedCode kCannotVerify{2, 5, 0};  // 2.5.0 protocol status
constexpr EnhancedCode kBadCommand{5, 5, 1};    // 5.5.1 invalid command
constexpr EnhancedCode kSyntax{5, 5, 2};        // 5.5.2 syntax error
constexpr EnhancedCode kBadArguments{5, 5, 4};  // 5.5.4 invalid arguments
constexpr EnhancedCode kTooBig{5, 3, 4};        // 5.3.4 message too big
constexpr EnhancedCode kTooMany{4, 5, 3};       // 4.5.3 too many recipients
constexpr EnhancedCode kShuttingDown{4, 3, 2};  // 4.3.2 not accepting
constexpr EnhancedCode kTimedOut{4, 4, 2};      // 4.4.2 bad connection

// Length of `argument` without its trailing SP and HTAB.
std::size_t WithoutTrailingBlanks(std::string_view argument) {
  std::size_t end = argument.size();
  while (end > 0 && (argument[end - 1] == ' ' || argument[end - 1] == '\t')) {
    --end;
  }
  return end;
}

}  // namespace

Machine::Machine(Config config, Handler& handler, bool tls)
    : config_(std::move(config)),
      handler_(handler),
      switches_(ext::SwitchesOf(config_.extensions)),
      tls_(tls) {}

Machine::~Machine() { ConnectionLost(); }

void Machine::Start(Time now) {
  if (state_ != State::kGreeting) return;
  // RFC 5321 4.2: Greeting = "220 " (Domain / address-literal) [SP text].
  // 4.3.2 allows 554 instead; 3.1 then answers 503 to all but QUIT.
  bool refuse = config_.greeting == Greeting::kRefuse;
  Send(Reply{refuse ? 554 : 220,
             std::nullopt,
             {config_.hostname + " " + config_.greeting_text}},
       /*may_enhance=*/false);
  state_ = refuse ? State::kRefused : State::kConnected;
  Touch(now);
}

void Machine::Refuse(const Error& why, Time now) {
  if (state_ != State::kGreeting) return;
  Send(Reply{554, std::nullopt, {config_.hostname + " " + Printable(why.text)}},
       /*may_enhance=*/false);
  state_ = State::kRefused;
  Touch(now);
}

void Machine::Handle(const Command& command, Time now) {
  if (state_ == State::kGreeting) Start(now);
  if (state_ == State::kClosed) {
    EmitEvent(event::Kind::kBytesAfterClose,
              "A command arrived after the session closed; ignored.");
    return;
  }
  if (state_ == State::kStartingTls) {
    // RFC 3207 6: nothing sent in clear after STARTTLS may be acted on.
    EmitEvent(event::Kind::kPlaintextAfterStarttls,
              "A command arrived in plaintext after STARTTLS; discarded "
              "(RFC 3207 6, CVE-2011-0411).");
    return;
  }
  if (state_ == State::kData) return;  // content goes to FinishData
  if (chunk_) return;                  // chunk octets go to ChunkData
  // RFC 5321 4.1.1: "SMTP receivers SHOULD tolerate trailing white space
  // before the terminating <CRLF>". Dropped here, for every verb, so that
  // no argument parser sees it; copied only when there is some.
  const std::size_t end = WithoutTrailingBlanks(command.argument);
  if (end == command.argument.size()) {
    Dispatch(command);
  } else {
    Command trimmed = command;
    trimmed.argument.resize(end);
    Dispatch(trimmed);
  }
  // After the command, so that the timer is the one of the new state.
  Touch(now);
}

void Machine::Dispatch(const Command& command) {
  // Whether the verb is legal here: legality.cc, the one table.
  const Rule& rule = Legality(command.verb, CurrentPhase());
  // Even a refused BDAT's chunk must be read as data (RFC 3030 2): its
  // refusal waits for the chunk.
  if (command.verb == Verb::kBdat) return Bdat(command, rule);
  if (!rule.legal && !rule.after_argument) {
    if (rule.spoils) transaction_.Spoil();
    return SendError(rule.refusal());
  }
  if (!Offered(command)) return;
  switch (command.verb) {
    case Verb::kEhlo:
      return Hello(command, /*extended=*/true);
    case Verb::kHelo:
      return Hello(command, /*extended=*/false);
    case Verb::kMail:
      return Mail(command);
    case Verb::kRcpt:
      return Rcpt(command);
    case Verb::kData:
      return Data(command);
    case Verb::kRset:
      return Rset(command);
    case Verb::kNoop:
      // RFC 5321 4.1.1.9: NOOP [SP String]; the argument is ignored.
      return Send(250, kOk, "OK");
    case Verb::kQuit:
      return Quit(command);
    case Verb::kVrfy:
      return Vrfy(command);
    case Verb::kStarttls:
      return StartTls(command, rule);
    case Verb::kUnknown:
      break;
    default:
      // A verb a module adds but neither it nor the machine carries out
      // (HELP, EXPN and AUTH were answered by Offered()).
      return SendError(NotOffered(command.verb, command.name));
  }
  // RFC 5321 4.2.2 and 4.2.4: 500 for an unrecognised command.
  Send(500, kBadCommand, "Command unrecognized: " + Printable(command.name));
}

bool Machine::Offered(const Command& command) {
  // RFC 5321 4.5.1's minimum implementation is the machine's own; any other
  // known verb needs a module that adds it.
  if (command.verb == Verb::kUnknown ||
      wire::InMinimumImplementation(command.verb)) {
    return true;
  }
  const ext::Context context = ExtensionContext();
  const ext::Extension* module = ext::ForVerb(config_.extensions, command.verb);
  if (module == nullptr) {
    SendError(NotOffered(command.verb, command.name));
    return false;
  }
  if (!module->Available(context)) {
    SendError(Unavailable(command.verb));
    return false;
  }
  if (std::optional<Reply> reply = module->Answer(command, context)) {
    Send(std::move(*reply));
    return false;
  }
  return true;
}

Phase Machine::CurrentPhase() const {
  return PhaseOf(state_, transaction_.chunked(), transaction_.spoilt());
}

ext::Context Machine::ExtensionContext() const {
  return ext::Context{config_.max_message_size, tls_, config_.extensions};
}

void Machine::RejectLine(std::string_view why, Time now) {
  if (state_ == State::kClosed || state_ == State::kStartingTls) return;
  if (state_ == State::kGreeting) Start(now);
  Touch(now);
  // RFC 5321 4.2.2: "500 Syntax error, command unrecognized (This may
  // include errors such as command line too long)".
  Send(500, kSyntax, std::string(why));
}

void Machine::Hello(const Command& command, bool extended) {
  // RFC 5321 4.1.1.1: "EHLO" SP (Domain / address-literal). Responses to
  // EHLO/HELO carry no enhanced code (RFC 2034 3).
  std::string_view argument = command.argument;
  bool valid =
      !argument.empty() && argument.find(' ') == std::string_view::npos &&
      ParseDomain(argument, switches_.utf8 ? Charset::kUtf8 : Charset::kAscii)
          .ok();
  // RFC 5321 4.1.4: a refused EHLO (501, 550, ...) leaves the server "in
  // the same state ... it was in before the EHLO was received".
  if (!valid) {
    Send(Reply{501,
               std::nullopt,
               {std::string("Syntax: ") + (extended ? "EHLO" : "HELO") +
                " followed by your domain or address literal"}},
         /*may_enhance=*/false);
    return;
  }
  if (std::optional<Error> refused = handler_.Hello(argument, extended)) {
    Send(SanitizeError(*refused), /*may_enhance=*/false);
    return;
  }
  // RFC 5321 4.1.4: an accepted EHLO/HELO in mid-transaction abandons it,
  // and a second EHLO is allowed: the session starts over, as after RSET.
  ResetTransaction();
  transaction_.Greeted(std::string(argument), extended);
  extended_ = extended;
  state_ = State::kReady;
  Reply reply{250,
              std::nullopt,
              {config_.hostname + " greets " + std::string(argument)}};
  if (extended) {
    for (std::string& keyword : EhloKeywords(config_, tls_)) {
      reply.lines.push_back(std::move(keyword));
    }
    // RFC 2034 4: codes are due once the keyword has been advertised. A
    // later HELO does not withdraw it (the client has seen it), so they
    // stay; only STARTTLS starts over (RFC 3207 4.2).
    enhanced_ = switches_.enhanced_codes;
  }
  Send(std::move(reply), /*may_enhance=*/false);
}

void Machine::Mail(const Command& command) {
  std::optional<PathArgument> parsed = ParseArgument(command);
  if (!parsed) return;
  // The modules' states, made as their parameters come (ext::StateFor).
  ext::States states;
  if (std::optional<Error> bad = CheckMailParameters(
          parsed->parameters, config_, ExtensionContext(), extended_, states)) {
    return SendError(*bad);
  }
  if (std::optional<Error> refused =
          handler_.Mail(parsed->path, parsed->parameters)) {
    // A refused MAIL opens no transaction (RFC 5321 4.1.1.2).
    return SendError(*refused);
  }
  transaction_.Begin(std::move(parsed->path), std::move(parsed->parameters),
                     std::move(states));
  state_ = State::kMail;
  Send(250, kSenderOk, "OK");
}

std::optional<PathArgument> Machine::ParseArgument(const Command& command) {
  bool mail = command.verb == Verb::kMail;
  ArgumentOptions options;
  // RFC 6531 3.3: UTF-8 addresses only where SMTPUTF8 is offered.
  options.charset = switches_.utf8 ? Charset::kUtf8 : Charset::kAscii;
  Result<PathArgument> parsed =
      mail ? ParseMailArgument(command.argument, options)
           : ParseRcptArgument(command.argument, options);
  if (!parsed.ok()) {
    // RFC 5321 4.2.4 / 4.3.2: 501 syntax error in parameters or arguments.
    Send(501, kSyntax,
         std::string("Syntax error in ") + (mail ? "MAIL" : "RCPT") + ": " +
             Printable(parsed.error().reason));
    return std::nullopt;
  }
  return std::move(parsed).value();
}

void Machine::Rcpt(const Command& command) {
  std::optional<PathArgument> parsed = ParseArgument(command);
  if (!parsed) return;
  if (std::optional<Error> bad =
          CheckRcptParameters(parsed->parameters, config_, ExtensionContext(),
                              extended_, transaction_.extensions())) {
    return SendError(*bad);
  }
  if (transaction_.envelope().recipients.size() >= config_.max_recipients) {
    // RFC 5321 4.5.3.1.10: "too many recipients" is 452 (552 is also seen,
    // but 452 lets the client send the rest in another transaction).
    return Send(452, kTooMany, "Too many recipients");
  }
  if (std::optional<Error> refused =
          handler_.Rcpt(parsed->path, parsed->parameters)) {
    if (!IsPostmasterFor(parsed->path, config_)) return SendError(*refused);
    // RFC 5321 4.5.1: postmaster MUST be accepted; override the backend
    // and say so (see Handler::Rcpt).
    EmitEvent(event::Kind::kPostmasterOverride,
              "The backend refused a postmaster recipient (" +
                  std::to_string(refused->code) + " " +
                  Printable(refused->text) +
                  "); accepted anyway as RFC 5321 4.5.1 requires.");
  }
  transaction_.AddRecipient(
      Recipient{std::move(parsed->path), std::move(parsed->parameters)});
  state_ = State::kRcpt;
  Send(250, kRecipientOk, "OK");
}

void Machine::Data(const Command& command) {
  if (!command.argument.empty()) {
    // RFC 5321 4.1.1.4: data = "DATA" CRLF, no argument.
    return Send(501, kBadArguments, "DATA takes no argument");
  }
  transaction_.StartMessage(tls_);
  state_ = State::kData;
  // RFC 5321 4.1.1.4 / 4.3.2: 354 intermediate reply. 3xx replies take
  // no enhanced code (RFC 2034 3).
  Send(Reply{354, std::nullopt, {"End data with <CR><LF>.<CR><LF>"}},
       /*may_enhance=*/false);
}

void Machine::FinishData(std::string_view content, bool too_big, Time now) {
  if (state_ != State::kData) return;
  Touch(now);
  Deliver(content, too_big);
  Touch(now);
}

void Machine::Deliver(std::string_view content, bool too_big) {
  if (too_big || (config_.max_message_size != 0 &&
                  content.size() > config_.max_message_size)) {
    // RFC 1870 6.2 / RFC 5321 4.5.3.1.10: 552 after reading to the end.
    Send(552, kTooBig, "Message size exceeds fixed maximum message size");
  } else if (std::optional<Error> refused =
                 handler_.Data(transaction_.envelope(), content)) {
    SendError(*refused);
  } else {
    // RFC 5321 4.1.1.4: 250 only once the message is stored; Handler::Data
    // returns only then.
    Send(250, kOk, "OK: message accepted");
    events_.push_back(
        Event{event::Kind::kMessageAccepted, 0, content.size(),
              "Message accepted for " +
                  std::to_string(transaction_.envelope().recipients.size()) +
                  " recipient(s)."});
  }
  // However the data ends, the transaction is over (RFC 5321 4.1.1.4, RFC
  // 3030 2 for BDAT LAST): the next one starts with MAIL again.
  ResetTransaction();
}

void Machine::Bdat(const Command& command, const Rule& rule) {
  const std::optional<std::uint64_t> size =
      bdat::AnnouncedSize(command.argument);
  const Result<bdat::Argument> argument = bdat::ParseArgument(command.argument);
  const bool offered = ext::ForVerb(config_.extensions, Verb::kBdat) != nullptr;
  std::optional<Error> refusal =
      BdatRefusal(argument, size.value_or(0), rule, offered);
  // A BDAT that fails inside a transaction with recipients leaves it
  // indeterminate until RSET (RFC 3030 2), as the table says. One refused
  // for its place in the sequence (503 before MAIL or RCPT) or because
  // CHUNKING is off changes nothing, as a refused DATA changes nothing.
  const bool spoils = refusal && rule.spoils && offered;
  if (!size) {
    // No chunk size, so no chunk to read: RFC 3030 2's "accept and discard
    // the associated message data" cannot apply, and the next bytes are
    // read as commands, as after any 501 (RFC 5321 4.2.2; Postfix does the
    // same). The spoilt transaction keeps those bytes, should they be
    // message data, from adding to its message.
    if (spoils) transaction_.Spoil();
    return SendError(*refusal);
  }
  chunk_ =
      Chunk{*size, argument.ok() && argument->last, std::move(refusal), spoils};
  if (!chunk_->refusal) transaction_.AcceptChunk(tls_);
}

std::optional<Error> Machine::BdatRefusal(
    const Result<bdat::Argument>& argument, std::uint64_t size,
    const Rule& rule, bool offered) const {
  // The order is the machine's of old: the refused session's 503, 502
  // without CHUNKING, the argument's 501, the sequence's 503, the size.
  if (!rule.legal && !rule.after_argument) return rule.refusal();
  if (!offered) return NotOffered(Verb::kBdat, "BDAT");
  if (!argument.ok()) {
    // RFC 5321 4.2.4 / RFC 3030 2: 501 syntax error in the argument.
    return Error{501, kBadArguments,
                 "Syntax: BDAT chunk-size [LAST]: " +
                     Printable(argument.error().reason)};
  }
  if (!rule.legal) return rule.refusal();
  const std::uint64_t max = config_.max_message_size;
  const std::size_t so_far = transaction_.message().size();
  if (max != 0 && (so_far > max || size > max - so_far)) {
    // RFC 1870 6.2 / RFC 5321 4.5.3.1.10, counted over the chunks so far.
    return Error{552, kTooBig,
                 "Message size exceeds fixed maximum message size"};
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Machine::awaited_chunk() const {
  if (!chunk_) return std::nullopt;
  return chunk_->size;
}

void Machine::ChunkData(std::string_view octets) {
  // A refused chunk is dropped as it arrives; an accepted one fits within
  // max_message_size, which BdatRefusal checked against its size.
  if (chunk_ && !chunk_->refusal) transaction_.Append(octets);
}

void Machine::EndChunk(Time now) {
  if (!chunk_) return;
  Chunk chunk = std::move(*chunk_);
  chunk_.reset();
  Touch(now);
  if (chunk.refusal) {
    SendError(*chunk.refusal);
    if (chunk.spoils) {
      // The transaction is indeterminate until RSET (RFC 3030 2), except
      // that LAST ends it whatever its reply, as the end of data does.
      if (chunk.last) {
        ResetTransaction();
      } else {
        transaction_.Spoil();
      }
    }
    return;
  }
  if (!chunk.last) {
    // RFC 3030 2: "A 250 response MUST be sent to each successful BDAT data
    // block within a mail transaction."
    Send(250, kOk, std::to_string(chunk.size) + " octets received");
    return;
  }
  // The message is complete: it goes to the backend exactly as DATA's does.
  Deliver(transaction_.TakeMessage(), /*too_big=*/false);
}

void Machine::Rset(const Command& command) {
  // RFC 5321 4.1.1.5: rset = "RSET" CRLF.
  if (!command.argument.empty()) {
    return Send(501, kBadArguments, "RSET takes no argument");
  }
  // Clears the transaction but not the EHLO (4.1.1.5).
  ResetTransaction();
  Send(250, kOk, "OK");
}

void Machine::Quit(const Command& command) {
  // RFC 5321 4.1.1.10: quit = "QUIT" CRLF. Tolerating an argument here
  // would be kinder, but the grammar has none; a client that sends one
  // gets 501 and can QUIT properly. In the refused state QUIT is the only
  // way out, so accept it there whatever follows.
  if (!command.argument.empty() && state_ != State::kRefused) {
    return Send(501, kBadArguments, "QUIT takes no argument");
  }
  // RFC 5321 4.1.1.10: 221, then the server closes.
  Send(221, kOk, config_.hostname + " Service closing transmission channel");
  Close();
}

void Machine::Vrfy(const Command& command) {
  // RFC 5321 4.1.1.6: vrfy = "VRFY" SP String CRLF.
  if (command.argument.empty()) {
    return Send(501, kBadArguments, "VRFY needs a user name or mailbox");
  }
  switch (config_.vrfy) {
    case VrfyMode::kNotImplemented:
      return Send(502, kBadCommand, "VRFY not implemented");
    case VrfyMode::kCannotVerify:
      // RFC 5321 3.5.3: 252 when verification is refused by policy.
      return Send(252, kCannotVerify,
                  "Cannot VRFY user, but will accept message and attempt "
                  "delivery");
    case VrfyMode::kAskBackend:
      return Send(SanitizeReply(handler_.Vrfy(command.argument)));
  }
}

void Machine::StartTls(const Command& command, const Rule& rule) {
  if (!command.argument.empty()) {
    // RFC 3207 4: "501 Syntax error (no parameters allowed)".
    return Send(501, kBadArguments, "Syntax error (no parameters allowed)");
  }
  if (!rule.legal) return SendError(rule.refusal());
  // RFC 3207 4: "220 Ready to start TLS".
  Send(220, kOk, "Ready to start TLS");
  state_ = State::kStartingTls;
  deadline_.reset();
  EmitEvent(event::Kind::kStartTls, "Start the TLS handshake now.");
}

void Machine::TlsEstablished(Time now) {
  if (state_ != State::kStartingTls) return;
  // RFC 3207 4.2: "the server MUST discard any knowledge obtained from the
  // client, such as the argument to the EHLO command".
  tls_ = true;
  extended_ = false;
  enhanced_ = false;
  transaction_.Forget();
  state_ = State::kConnected;
  Touch(now);
}

void Machine::Shutdown(Time now) {
  if (state_ == State::kClosed) return;
  // RFC 5321 3.8: 421 then close, whatever the state (even during DATA).
  Send(421, kShuttingDown,
       config_.hostname +
           " Service not available, closing transmission channel");
  Close();
}

void Machine::ConnectionLost() {
  if (logged_out_) return;
  ResetTransaction();
  logged_out_ = true;
  handler_.Logout();
  state_ = State::kClosed;
  chunk_.reset();
  deadline_.reset();
}

void Machine::Touch(Time now) {
  if (chunk_ && state_ != State::kClosed) {
    // A BDAT chunk is a data block like DATA's (RFC 5321 4.5.3.2.5).
    deadline_ = now + config_.timeouts.data_block;
    return;
  }
  switch (state_) {
    case State::kGreeting:
    case State::kClosed:
      deadline_.reset();
      return;
    case State::kData:
      deadline_ = now + config_.timeouts.data_block;
      return;
    case State::kStartingTls:
      // Set once, when STARTTLS is answered: handshake bytes are the
      // agent's and do not extend it.
      if (!deadline_) deadline_ = now + config_.timeouts.tls_handshake;
      return;
    default:
      deadline_ = now + config_.timeouts.command;
      return;
  }
}

void Machine::Tick(Time now) {
  if (!deadline_ || now < *deadline_) return;
  // RFC 5321 4.5.3.2.7: the server may close after its timeout; 421 is the
  // reply for closing the channel (4.2.3).
  Send(421, kTimedOut, config_.hostname + " Error: timeout exceeded");
  EmitEvent(event::Kind::kTimeout,
            std::string("No input within the timeout in state ") +
                std::string(StateName(state_)) + " (RFC 5321 4.5.3.2).");
  Close();
}

std::optional<Time> Machine::Deadline() const { return deadline_; }

std::vector<Reply> Machine::TakeReplies() {
  return std::exchange(replies_, {});
}

std::vector<Event> Machine::TakeEvents() { return std::exchange(events_, {}); }

void Machine::Send(int code, EnhancedCode enhanced, std::string text) {
  Send(Reply{code, enhanced, {std::move(text)}});
}

void Machine::Send(Reply reply, bool may_enhance) {
  // RFC 2034 3: enhanced codes on 2xx/4xx/5xx replies once the client has
  // seen ENHANCEDSTATUSCODES in our EHLO reply, never on 3xx, the greeting
  // or EHLO/HELO replies, and always agreeing with the reply's class.
  bool enhanced = may_enhance && enhanced_ && reply.code / 100 != 3 &&
                  reply.enhanced && reply.enhanced->klass == reply.code / 100;
  if (!enhanced) reply.enhanced.reset();
  replies_.push_back(std::move(reply));
}

void Machine::SendError(const Error& error) { Send(SanitizeError(error)); }

void Machine::EmitEvent(event::Kind kind, std::string detail) {
  events_.push_back(Event{kind, 0, 0, std::move(detail)});
}

void Machine::ResetTransaction() {
  if (transaction_.End()) {
    state_ = State::kReady;
    handler_.Reset();
  }
}

void Machine::Close() {
  chunk_.reset();
  ResetTransaction();
  state_ = State::kClosed;
  deadline_.reset();
  EmitEvent(event::Kind::kClose, "Close the connection.");
  if (!logged_out_) {
    logged_out_ = true;
    handler_.Logout();
  }
}

}  // namespace smtpspec::server
