#include "engine/server/session.h"

#include <limits>
#include <utility>

#include "engine/wire/render.h"

namespace smtpspec::server {

namespace {

// Stands in for the backend when it refused the connection: the machine is
// then in State::kRefused and asks nothing but Logout.
class RefusedHandler : public Handler {
 public:
  std::optional<Error> Mail(const Path &,
                            const std::vector<Parameter> &) override {
    return Refusal();
  }
  std::optional<Error> Rcpt(const Path &,
                            const std::vector<Parameter> &) override {
    return Refusal();
  }
  std::optional<Error> Data(const Envelope &, std::string_view) override {
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
    std::variant<std::unique_ptr<Handler>, Error> &opened) {
  if (auto *handler = std::get_if<std::unique_ptr<Handler>>(&opened)) {
    if (*handler) return std::move(*handler);
    opened = Error{554, std::nullopt, "Service unavailable"};
  }
  return std::make_unique<RefusedHandler>();
}

wire::FramerOptions FramerOptionsFor(const Config &config) {
  wire::FramerOptions options;
  options.commands.max_line = config.max_command_line;      // 4.5.3.1.4
  options.commands.accept_bare_lf = config.accept_bare_lf;  // 2.3.8, 4.1.1.4
  // RFC 1870 / RFC 5321 4.5.3.1.10: count beyond the limit, keep nothing.
  if (config.max_message_size != 0 &&
      config.max_message_size < std::numeric_limits<std::size_t>::max()) {
    options.data.max_size = static_cast<std::size_t>(config.max_message_size);
  }
  options.data.accepted_ends = config.accepted_data_ends;
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

Session::Session(Config config, Backend &backend, const ConnectionInfo &info,
                 Time now)
    : Session(std::move(config), backend.NewSession(info), info, now) {}

Session::Session(Config config,
                 std::variant<std::unique_ptr<Handler>, Error> opened,
                 const ConnectionInfo &info, Time now)
    : owned_handler_(TakeHandler(opened)),
      machine_(std::move(config), *owned_handler_, info.tls),
      framer_(FramerOptionsFor(machine_.config())) {
  if (const Error *refusal = std::get_if<Error>(&opened)) {
    machine_.Refuse(*refusal, now);  // RFC 5321 3.1
  } else {
    machine_.Start(now);
  }
  Flush();
}

Session::Session(Config config, Handler &handler, const ConnectionInfo &info,
                 Time now)
    : machine_(std::move(config), handler, info.tls),
      framer_(FramerOptionsFor(machine_.config())) {
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
  framer_.Feed(bytes);
  while (state() != State::kStartingTls && !closed()) {
    std::optional<wire::Frame> frame = framer_.Next();
    if (!frame) return;
    std::visit([&](auto &f) { Handle(f, now); }, *frame);
  }
  // RFC 3207 6 / CVE-2011-0411: bytes pipelined after STARTTLS were sent in
  // clear and must never be read as if they came through TLS. After QUIT
  // or 421, nothing is read either.
  const std::size_t at = framer_.offset();
  Discard(framer_.TakeBuffered().size(), at);
}

void Session::Handle(wire::frame::CommandLine &line, Time now) {
  for (const wire::Problem &notice : line.notices) NoteProblem(notice);
  machine_.Handle(line.command, now);
  CollectEvents(line.offset);
  if (state() == State::kData) {
    // RFC 5321 4.1.1.4: after 354 the stream is content, not lines.
    framer_.BeginData();
  } else if (std::optional<std::uint64_t> size = machine_.awaited_chunk()) {
    // RFC 3030 2: "The message data is sent immediately after the trailing
    // <CR><LF> of the BDAT command line": octets, not lines.
    framer_.BeginChunk(*size);
  }
}

void Session::Handle(wire::frame::BadLine &bad, Time now) {
  NoteProblem(bad.problem);
  // RFC 5321 4.2.2: 500 for a line that is not a command, then carry on
  // with the next line.
  machine_.RejectLine(ReplyTextFor(bad.problem.fault), now);
  CollectEvents(bad.problem.offset);
}

void Session::Handle(wire::frame::DataNotice &notice, Time) {
  events_.push_back(Event{EventFor(notice.notice.kind), notice.offset, 0,
                          data::notice::Describe(notice.notice.kind)});
}

void Session::Handle(wire::frame::DataEnd &end, Time now) {
  machine_.FinishData(end.content, end.too_big, now);
  CollectEvents(end.offset);
}

void Session::Handle(wire::frame::ChunkData &data, Time) {
  machine_.ChunkData(data.octets);
}

void Session::Handle(wire::frame::ChunkEnd &end, Time now) {
  machine_.EndChunk(now);
  CollectEvents(end.offset);
}

void Session::NoteProblem(const wire::Problem &problem) {
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
  for (Event &e : machine_.TakeEvents()) {
    if (e.offset == 0) e.offset = offset;
    events_.push_back(std::move(e));
  }
}

void Session::Flush() {
  for (const Reply &reply : machine_.TakeReplies()) {
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
  framer_.Restart(offset_);
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
