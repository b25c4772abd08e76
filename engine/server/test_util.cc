#include "engine/server/test_util.h"

#include <utility>

#include "engine/syntax.h"
#include "gtest/gtest.h"

namespace smtpspec::server {

void PrintTo(const Event& event, std::ostream* os) {
  *os << event::KindName(event.kind) << " @" << event.offset << " ("
      << event.size << ") " << event.detail;
}

namespace testing {

namespace {

std::string Rendered(const Path& path) {
  Result<std::string> text = RenderPath(path, Charset::kUtf8);
  return text.ok() ? *text : "<unrenderable>";
}

// Forwards every hook to a FakeHandler owned by the FakeBackend.
class Forwarder : public Handler {
 public:
  explicit Forwarder(FakeHandler& target) : target_(target) {}
  std::optional<Error> Hello(std::string_view domain, bool extended) override {
    return target_.Hello(domain, extended);
  }
  std::optional<Error> Mail(const Path& path,
                            const std::vector<Parameter>& params) override {
    return target_.Mail(path, params);
  }
  std::optional<Error> Rcpt(const Path& path,
                            const std::vector<Parameter>& params) override {
    return target_.Rcpt(path, params);
  }
  std::optional<Error> Data(const Envelope& envelope,
                            std::string_view content) override {
    return target_.Data(envelope, content);
  }
  Reply Vrfy(std::string_view argument) override {
    return target_.Vrfy(argument);
  }
  void Reset() override { target_.Reset(); }
  void Logout() override { target_.Logout(); }

 private:
  FakeHandler& target_;
};

}  // namespace

std::variant<std::unique_ptr<Handler>, Error> FakeBackend::NewSession(
    const ConnectionInfo& info) {
  connections.push_back(info);
  if (refuse) return *refuse;
  return std::make_unique<Forwarder>(handler);
}

Transcript Converse(const Config& config,
                    const std::vector<std::string_view>& chunks) {
  FakeBackend backend;
  Transcript t;
  {
    Session session(config, backend, ConnectionInfo{}, At(0));
    for (std::string_view chunk : chunks) session.Feed(chunk, At(1));
    t.output = session.TakeOutput();
    t.events = session.TakeEvents();
    t.state = session.state();
  }
  t.messages = backend.handler.messages;
  t.calls = backend.handler.calls;
  return t;
}

std::vector<std::vector<std::string_view>> Chunkings(std::string_view input) {
  std::vector<std::vector<std::string_view>> out;
  out.push_back({input});
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < input.size(); ++i) {
    bytes.push_back(input.substr(i, 1));
  }
  out.push_back(bytes);
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    out.push_back({input.substr(0, cut), input.substr(cut)});
  }
  return out;
}

Transcript ConverseEveryWay(const Config& config, std::string_view input) {
  Transcript whole = Converse(config, {input});
  for (const std::vector<std::string_view>& chunks : Chunkings(input)) {
    Transcript t = Converse(config, chunks);
    EXPECT_EQ(t.output, whole.output) << chunks.size() << " chunks";
    EXPECT_EQ(t.events, whole.events) << chunks.size() << " chunks";
    EXPECT_EQ(t.messages, whole.messages) << chunks.size() << " chunks";
    EXPECT_EQ(t.calls, whole.calls) << chunks.size() << " chunks";
    EXPECT_EQ(t.state, whole.state) << chunks.size() << " chunks";
  }
  return whole;
}

std::optional<Error> FakeHandler::Hello(std::string_view domain,
                                        bool extended) {
  calls.push_back((extended ? "EHLO " : "HELO ") + std::string(domain));
  return hello_answer;
}

std::optional<Error> FakeHandler::Mail(const Path& reverse_path,
                                       const std::vector<Parameter>& params) {
  calls.push_back("MAIL " + Rendered(reverse_path));
  return mail_answer;
}

std::optional<Error> FakeHandler::Rcpt(const Path& forward_path,
                                       const std::vector<Parameter>& params) {
  calls.push_back("RCPT " + Rendered(forward_path));
  if (rcpt_answer) return rcpt_answer(forward_path);
  return std::nullopt;
}

std::optional<Error> FakeHandler::Data(const Envelope& envelope,
                                       std::string_view content) {
  calls.push_back("DATA " + std::to_string(content.size()));
  if (data_answer) return data_answer;
  messages.push_back(Message{envelope, std::string(content)});
  return std::nullopt;
}

Reply FakeHandler::Vrfy(std::string_view argument) {
  calls.push_back("VRFY " + std::string(argument));
  return vrfy_answer;
}

Command ParseTestCommand(std::string_view line) {
  static constexpr std::pair<std::string_view, Verb> kVerbs[] = {
      {"EHLO", Verb::kEhlo}, {"HELO", Verb::kHelo},
      {"MAIL", Verb::kMail}, {"RCPT", Verb::kRcpt},
      {"DATA", Verb::kData}, {"RSET", Verb::kRset},
      {"NOOP", Verb::kNoop}, {"QUIT", Verb::kQuit},
      {"VRFY", Verb::kVrfy}, {"EXPN", Verb::kExpn},
      {"HELP", Verb::kHelp}, {"STARTTLS", Verb::kStarttls},
      {"AUTH", Verb::kAuth}, {"BDAT", Verb::kBdat},
  };
  Command command;
  std::size_t space = line.find(' ');
  command.name = std::string(line.substr(0, space));
  if (space != std::string_view::npos) {
    command.argument = std::string(line.substr(space + 1));
  }
  for (const auto& [name, verb] : kVerbs) {
    if (syntax::EqualsIgnoreCase(name, command.name)) command.verb = verb;
  }
  return command;
}

std::string Summary(const Reply& reply) {
  std::string out = std::to_string(reply.code);
  if (reply.enhanced) {
    out += " " + std::to_string(reply.enhanced->klass) + "." +
           std::to_string(reply.enhanced->subject) + "." +
           std::to_string(reply.enhanced->detail);
  }
  if (!reply.lines.empty()) out += " " + reply.lines.front();
  return out;
}

Driver::Driver(Config config) : machine_(std::move(config), handler_) {
  machine_.Start(At(0));
  std::vector<Reply> replies = Take();
  if (!replies.empty()) greeting_ = replies.front();
}

std::string Driver::Say(std::string_view line, double t) {
  machine_.Handle(ParseTestCommand(line), At(t));
  std::vector<Reply> replies = Take();
  if (replies.empty()) return "<none>";
  last_ = replies.back();
  if (replies.size() != 1) {
    return "<" + std::to_string(replies.size()) + " replies>";
  }
  return Summary(last_);
}

int Driver::Code(std::string_view line, double t) {
  machine_.Handle(ParseTestCommand(line), At(t));
  std::vector<Reply> replies = Take();
  if (replies.size() != 1) return 0;
  last_ = replies.front();
  return last_.code;
}

std::string Driver::Bdat(std::string_view argument, std::string_view chunk,
                         double t) {
  std::string reply = Say("BDAT " + std::string(argument), t);
  const std::optional<std::uint64_t> awaited = machine_.awaited_chunk();
  if (!awaited) return "<no chunk awaited>";
  if (*awaited != chunk.size() || reply != "<none>") {
    return "<chunk of " + std::to_string(*awaited) + " octets awaited>";
  }
  // Split, as the session may hand it over.
  machine_.ChunkData(chunk.substr(0, chunk.size() / 2));
  machine_.ChunkData(chunk.substr(chunk.size() / 2));
  machine_.EndChunk(At(t));
  std::vector<Reply> replies = Take();
  if (replies.size() != 1) {
    return "<" + std::to_string(replies.size()) + " replies>";
  }
  last_ = replies.front();
  return Summary(last_);
}

std::vector<Reply> Driver::Take() {
  for (Event& e : machine_.TakeEvents()) events_.push_back(std::move(e));
  return machine_.TakeReplies();
}

bool Driver::OpenTransaction(int recipients) {
  bool ok = Code("EHLO client.example") == 250 &&
            Code("MAIL FROM:<a@example.org>") == 250;
  for (int i = 0; ok && i < recipients; ++i) {
    ok = Code("RCPT TO:<rcpt" + std::to_string(i) + "@example.org>") == 250;
  }
  return ok;
}

bool HasEvent(const std::vector<Event>& events, event::Kind kind) {
  for (const Event& e : events) {
    if (e.kind == kind) return true;
  }
  return false;
}

}  // namespace testing
}  // namespace smtpspec::server
