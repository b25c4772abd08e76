// The server machine judged by the independent reference model
// (engine/model/server_model.h): random command sequences, deterministic
// seed, every exchange fed to the model, which must find nothing. The two
// were written separately from the RFCs (3.1, 4.1.4, 4.3.2, 4.5.1;
// RFC 2034; RFC 3207), so agreement is evidence and a finding names the
// rule one of them got wrong.
#include <random>
#include <string>
#include <vector>

#include "engine/model/server_model.h"
#include "engine/server/machine.h"
#include "engine/server/test_util.h"
#include "gtest/gtest.h"

namespace smtpspec::server {
namespace {

using testing::At;
using testing::ParseTestCommand;

// Command lines chosen to reach every state and every refusal.
const std::vector<std::string>& Lines() {
  static const std::vector<std::string> lines = {
      "EHLO client.example",
      "HELO client.example",
      "EHLO",
      "MAIL FROM:<a@example.org>",
      "MAIL FROM:<>",
      "MAIL FROM:<a@example.org> SIZE=100",
      "MAIL FROM:<a@example.org> SIZE=999999999",
      "MAIL FROM:<a@example.org> X-FOO=1",
      "MAIL FROM:bad",
      "RCPT TO:<b@example.org>",
      "RCPT TO:<nobody@example.org>",
      "RCPT TO:<Postmaster>",
      "RCPT TO:<postmaster@localhost>",
      "RCPT TO:<b@example.org> NOTIFY=NEVER",
      "RCPT TO:bad",
      "DATA",
      "DATA x",
      "RSET",
      "NOOP",
      "VRFY someone",
      "VRFY",
      "EXPN list",
      "HELP",
      "STARTTLS",
      "XYZZY",
  };
  return lines;
}

class Judge {
 public:
  explicit Judge(const Config& config)
      : model_(model::ServerModel::Options{{config.hostname}}),
        machine_(config, handler_) {
    handler_.rcpt_answer = [](const Path& path) -> std::optional<Error> {
      if (IsPostmaster(path) || path.mailbox.local_part == "nobody") {
        return Error{550, EnhancedCode{5, 1, 1}, "No such user"};
      }
      return std::nullopt;
    };
    machine_.Start(At(0));
    for (const Reply& r : machine_.TakeReplies()) Check(model_.OnGreeting(r));
  }

  // One command and its reply (and, after 354, the end of data).
  void Step(const std::string& line, int step) {
    machine_.Handle(ParseTestCommand(line), At(step));
    std::vector<Reply> replies = machine_.TakeReplies();
    ASSERT_EQ(replies.size(), 1u) << line;
    trace_ += "C: " + line + "\nS: " + testing::Summary(replies[0]) + "\n";
    Check(
        model_.OnExchange(ParseTestCommand(line), replies[0], line.size() + 2));
    if (machine_.state() == State::kData) {
      machine_.FinishData("x\r\n", false, At(step));
      replies = machine_.TakeReplies();
      ASSERT_EQ(replies.size(), 1u);
      trace_ += "S: " + testing::Summary(replies[0]) + "\n";
      Check(model_.OnDataEnd(replies[0]));
    }
    if (machine_.state() == State::kStartingTls) {
      machine_.TlsEstablished(At(step));
      model_.OnTlsStarted();
    }
  }

  void Close() {
    if (machine_.state() == State::kClosed) Check(model_.OnClose());
  }
  bool closed() const { return machine_.state() == State::kClosed; }

 private:
  void Check(const std::vector<model::Finding>& findings) {
    for (const model::Finding& f : findings) {
      ADD_FAILURE() << f.rfc << " " << model::LevelName(f.level) << ": "
                    << f.message << "\n"
                    << trace_;
    }
  }

  model::ServerModel model_;
  testing::FakeHandler handler_;
  Machine machine_;
  std::string trace_;
};

void RunRandomSessions(const Config& config, unsigned seed) {
  std::vector<std::string> lines = Lines();
  if (ext::Find(config.extensions, "starttls") == nullptr) {
    // Without TLS the machine answers STARTTLS 502 "not implemented" (RFC
    // 5321 4.2.4); the model only knows RFC 3207's replies (220, 454, 501,
    // 503), which assume STARTTLS is offered. A known disagreement,
    // reported; left out here.
    std::erase(lines, "STARTTLS");
  }
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, lines.size() - 1);
  for (int session = 0; session < 300; ++session) {
    Judge judge(config);
    for (int step = 1; step <= 25 && !judge.closed(); ++step) {
      judge.Step(lines[pick(rng)], step);
    }
    if (!judge.closed()) judge.Step("QUIT", 26);
    judge.Close();
  }
}

TEST(ServerConformance, RandomSessionsDefaultConfig) {
  RunRandomSessions(Config{}, 5321);
}

TEST(ServerConformance, RandomSessionsWithTlsAndNoEnhancedCodes) {
  Config config;
  ext::Enable(config.extensions, "starttls");
  ext::Disable(config.extensions, "enhancedstatuscodes");
  config.vrfy = VrfyMode::kAskBackend;
  config.max_message_size = 1000;
  RunRandomSessions(config, 3207);
}

// RFC 5321 3.1: the 554 greeting and what follows it.
TEST(ServerConformance, RefusedGreeting) {
  Config config;
  config.greeting = Greeting::kRefuse;
  RunRandomSessions(config, 554);
}

}  // namespace
}  // namespace smtpspec::server
