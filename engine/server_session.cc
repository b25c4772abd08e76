#include "engine/server_session.h"

#include <limits>
#include <utility>

#include "engine/render.h"

namespace smtpspec::server {

namespace {

// Stands in for the backend when it refused the connection: the machine is
// then in State::kRefused and asks nothing but Logout.
class RefusedHandler : public Handler {
 public:
  std::optional<Error> Mail(const Path&,
                            const std::vector<Parameter>&) override {
    return Refusal();
  }
  std::optional<Error> Rcpt(const Path&,
                            const std::vector<Parameter>&) override {
    return Refusal();
  }
  std::optional<Error> Data(const Envelope&, std::string_view) override {
    return Refusal();
  }

 private:
  static Error Refusal() {
    return Error{554, EnhancedCode{5, 3, 2}, "No SMTP service here"};
  }
};

// Takes the Handler out of what Backend::NewSession returned; a refusal
// (or a null Handler, which is a backend bug) leaves an Error in `opened`.
std::unique_ptr<Handler> TakeHandler(
    std::variant<std::unique_ptr<Handler>, Error>& opened) {
  if (auto* handler = std::get_if<std::unique_ptr<Handler>>(&opened)) {
    if (*handler) return std::move(*handler);
    opened = Error{554, std::nullopt, "Service unavailable"};
  }
  return std::make_unique<RefusedHandler>();
}

wire::Policy CommandPolicy(const Config& config) {
  wire::Policy policy;
  policy.max_line = config.max_command_line;      // RFC 5321 4.5.3.1.4
  policy.accept_bare_lf = config.accept_bare_lf;  // RFC 5321 2.3.8, 4.1.1.4
  return policy;
}

data::ReaderOptions DataOptions(const Config& config) {
  data::ReaderOptions options;
  // RFC 1870 / RFC 5321 4.5.3.1.10: count beyond the limit, keep nothing.
  if (config.max_message_size != 0 &&
      config.max_message_size < std::numeric_limits<std::size_t>::max()) {
    options.max_size = static_cast<std::size_t>(config.max_message_size);
  }
  options.accepted_ends = config.accepted_data_ends;
  return options;
}

event::Kind EventFor(wire::Fault fault) {
  switch (fault) {
    case wire::Fault::kLineTooLong:
      return event::Kind::kLineTooLong;
    case wire::Fault::kBareLf:
      return event::Kind::kBareLf;
    case wire::Fault::kBareCr:
      return event::Kind::kBareCr;
    case wire::Fault::kNul:
      return event::Kind::kNul;
    default:
      return event::Kind::kBadCommand;
  }
}

event::Kind EventFor(data::notice::Kind kind) {
  switch (kind) {
    case data::notice::Kind::kBareCr:
      return event::Kind::kBareCr;
    case data::notice::Kind::kBareLf:
      return event::Kind::kBareLf;
    case data::notice::Kind::kLongLine:
      return event::Kind::kLineTooLong;
    default:
      return event::Kind::kSmuggling;
  }
}

// The text of the 500 that answers a faulty line (RFC 5321 4.2.2).
std::string_view ReplyTextFor(wire::Fault fault) {
  switch (fault) {
    case wire::Fault::kLineTooLong:
      return "Line too long";  // RFC 5321 4.5.3.1.4
    case wire::Fault::kBareLf:
      return "Bare LF received; lines end with CRLF";  // RFC 5321 2.3.8
    case wire::Fault::kBareCr:
      return "Bare CR received; lines end with CRLF";  // RFC 5321 2.3.8
    case wire::Fault::kNul:
      return "NUL byte in command line";
    default:
      return "Command unrecognized";
  }
}

}  // namespace

Session::Session(Config config, Backend& backend, const ConnectionInfo& info,
                 Time now)
    : Session(std::move(config), backend.NewSession(info), info, now) {}

Session::Session(Config config,
                 std::variant<std::unique_ptr<Handler>, Error> opened,
                 const ConnectionInfo& info, Time now)
    : config_(std::move(config)),
      owned_handler_(TakeHandler(opened)),
      machine_(config_, *owned_handler_, info.tls),
      commands_(CommandPolicy(config_)) {
  if (const Error* refusal = std::get_if<Error>(&opened)) {
    machine_.Refuse(*refusal, now);  // RFC 5321 3.1
  } else {
    machine_.Start(now);
  }
  Flush();
}

Session::Session(Config config, Handler& handler, const ConnectionInfo& info,
                 Time now)
    : config_(std::move(config)),
      machine_(config_, handler, info.tls),
      commands_(CommandPolicy(config_)) {
  machine_.Start(now);
  Flush();
}

Session::~Session() = default;

void Session::Feed(std::string_view bytes, Time now) {
  machine_.Tick(now);
  if (!bytes.empty()) {
    std::size_t start = offset_;
    offset_ += bytes.size();
    if (closed() || state() == State::kStartingTls) {
      Discard(bytes.size(), start);
    } else {
      machine_.Touch(now);  // inactivity timer, RFC 5321 4.5.3.2
      Process(bytes, now);
    }
  }
  Flush();
}

void Session::Process(std::string_view bytes, Time now) {
  std::string carry;  // bytes handed from the command reader to DATA
  while (true) {
    if (state() == State::kData) {
      bytes.remove_prefix(ReadData(bytes, now));
      if (state() == State::kData) return;  // all consumed, no end yet
    } else if (chunk_) {
      bytes.remove_prefix(ReadChunk(bytes, now));
      if (chunk_) return;  // all consumed, the chunk goes on
    }
    if (!bytes.empty()) commands_.Feed(bytes);
    bytes = {};
    ReadCommands(now);
    if (state() == State::kData) {
      // RFC 5321 4.1.1.4: after 354 the stream is content, not lines.
      data_start_ = commands_.offset();
      data_.emplace(DataOptions(config_));
      data_notices_ = 0;
      carry = commands_.TakeBuffered();
      bytes = carry;
      continue;
    }
    if (std::optional<std::uint64_t> size = machine_.awaited_chunk()) {
      // RFC 3030 2: "The message data is sent immediately after the trailing
      // <CR><LF> of the BDAT command line": octets, not lines.
      chunk_start_ = commands_.offset();
      chunk_.emplace(*size);
      carry = commands_.TakeBuffered();
      bytes = carry;
      continue;
    }
    if (state() == State::kStartingTls || closed()) {
      // RFC 3207 6 / CVE-2011-0411: bytes pipelined after STARTTLS were
      // sent in clear and must never be read as if they came through TLS.
      // After QUIT or 421, nothing is read either.
      std::size_t at = commands_.offset();
      Discard(commands_.TakeBuffered().size(), at);
    }
    return;
  }
}

void Session::ReadCommands(Time now) {
  while (state() != State::kData && state() != State::kStartingTls &&
         !closed() && !machine_.awaited_chunk()) {
    wire::Event<wire::Received<Command>> next = commands_.Next();
    if (std::holds_alternative<wire::NeedData>(next)) return;
    if (const auto* problem = std::get_if<wire::Problem>(&next)) {
      NoteProblem(*problem);
      // RFC 5321 4.2.2: 500 for a line that is not a command, then carry
      // on with the next line.
      machine_.RejectLine(ReplyTextFor(problem->fault), now);
      CollectEvents(problem->offset);
      continue;
    }
    auto& command = std::get<wire::Received<Command>>(next);
    for (const wire::Problem& notice : command.notices) NoteProblem(notice);
    machine_.Handle(command.value, now);
    CollectEvents(command.offset);
  }
}

std::size_t Session::ReadData(std::string_view bytes, Time now) {
  std::size_t consumed = data_->Feed(bytes);
  ReportDataNotices();
  if (data_->done()) {
    machine_.FinishData(data_->content(), data_->too_big(), now);
    CollectEvents(data_start_);
    // Pipelined commands after the end of data (RFC 2920 3.1).
    RestartCommands(data_start_ + data_->consumed());
    data_.reset();
  }
  return consumed;
}

std::size_t Session::ReadChunk(std::string_view bytes, Time now) {
  const std::size_t consumed = chunk_->Feed(bytes);
  machine_.ChunkData(bytes.substr(0, consumed));
  if (chunk_->done()) {
    machine_.EndChunk(now);
    CollectEvents(chunk_start_);
    // Pipelined commands (or the next BDAT) right after the chunk.
    RestartCommands(chunk_start_ + chunk_->size());
    chunk_.reset();
  }
  return consumed;
}

void Session::RestartCommands(std::size_t offset) {
  commands_ = wire::CommandReader(CommandPolicy(config_), offset);
}

void Session::ReportDataNotices() {
  const std::vector<data::Notice>& notices = data_->notices();
  for (; data_notices_ < notices.size(); ++data_notices_) {
    const data::Notice& notice = notices[data_notices_];
    events_.push_back(Event{EventFor(notice.kind), data_start_ + notice.offset,
                            0, data::notice::Describe(notice.kind)});
  }
}

void Session::NoteProblem(const wire::Problem& problem) {
  events_.push_back(
      Event{EventFor(problem.fault), problem.offset, 0, problem.reason});
}

void Session::Discard(std::size_t size, std::size_t offset) {
  // Reported once per STARTTLS (and once after close), at the first byte,
  // so the events do not depend on how the bytes were split.
  if (discard_reported_ || size == 0) return;
  discard_reported_ = true;
  bool tls = state() == State::kStartingTls;
  events_.push_back(Event{
      tls ? event::Kind::kPlaintextAfterStarttls
          : event::Kind::kBytesAfterClose,
      offset, 0,
      tls ? "Plaintext sent after STARTTLS, discarded unread (RFC 3207 6, "
            "CVE-2011-0411)."
          : "Bytes sent after the session closed, ignored."});
}

void Session::CollectEvents(std::size_t offset) {
  for (Event& e : machine_.TakeEvents()) {
    if (e.offset == 0) e.offset = offset;
    events_.push_back(std::move(e));
  }
}

void Session::Flush() {
  for (const Reply& reply : machine_.TakeReplies()) {
    Result<std::string> bytes = wire::RenderReply(reply);
    // The machine sanitises every reply, so this cannot fail; if it ever
    // did, a generic 451 keeps the dialogue in step rather than crashing.
    output_ += bytes.ok() ? *bytes : "451 Local error in processing\r\n";
  }
  CollectEvents(offset_);
}

void Session::Tick(Time now) {
  machine_.Tick(now);
  Flush();
}

void Session::TlsEstablished(Time now) {
  if (state() != State::kStartingTls) return;
  machine_.TlsEstablished(now);
  RestartCommands(offset_);
  discard_reported_ = false;
  Flush();
}

void Session::Shutdown(Time now) {
  machine_.Shutdown(now);
  Flush();
}

void Session::ConnectionLost() {
  machine_.ConnectionLost();
  Flush();
}

std::string Session::TakeOutput() { return std::exchange(output_, {}); }

std::vector<Event> Session::TakeEvents() { return std::exchange(events_, {}); }

}  // namespace smtpspec::server
