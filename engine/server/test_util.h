// Test helpers for the server machine and session: a FAKE backend that
// records every call and answers as the test tells it, and a small driver.
// Test-only; never linked into agents.
#ifndef SMTPSPEC_ENGINE_SERVER_TEST_UTIL_H_
#define SMTPSPEC_ENGINE_SERVER_TEST_UTIL_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/command.h"
#include "engine/path.h"
#include "engine/reply.h"
#include "engine/server/backend.h"
#include "engine/server/config.h"
#include "engine/server/event.h"
#include "engine/server/machine.h"
#include "engine/server/session.h"
#include "engine/server/state.h"

namespace smtpspec::server {

// Readable Events in test failure messages: "kind @offset (size) detail".
void PrintTo(const Event& event, std::ostream* os);

namespace testing {

// A point in test time: `seconds` after an arbitrary epoch.
inline Time At(double seconds) {
  return Time{} + std::chrono::duration_cast<Duration>(
                      std::chrono::duration<double>(seconds));
}

// The FAKE backend. By default it accepts every sender and recipient and
// stores every message in `messages`; set the *_answer members (or
// rcpt_answer) to refuse.
class FakeHandler : public Handler {
 public:
  struct Message {
    Envelope envelope;
    std::string content;

    bool operator==(const Message&) const = default;
  };

  std::optional<Error> Hello(std::string_view domain, bool extended) override;
  std::optional<Error> Mail(const Path& reverse_path,
                            const std::vector<Parameter>& params) override;
  std::optional<Error> Rcpt(const Path& forward_path,
                            const std::vector<Parameter>& params) override;
  std::optional<Error> Data(const Envelope& envelope,
                            std::string_view content) override;
  Reply Vrfy(std::string_view argument) override;
  void Reset() override { ++resets; }
  void Logout() override { ++logouts; }

  // Answers; std::nullopt accepts.
  std::optional<Error> hello_answer;
  std::optional<Error> mail_answer;
  std::function<std::optional<Error>(const Path&)> rcpt_answer;
  std::optional<Error> data_answer;
  Reply vrfy_answer{250, EnhancedCode{2, 1, 5}, {"User OK"}};

  // What happened, in order: "HELLO x", "MAIL <a@b>", "RCPT <c@d>",
  // "VRFY arg" (paths rendered with RenderPath).
  std::vector<std::string> calls;
  std::vector<Message> messages;
  int resets = 0;
  int logouts = 0;
};

// The FAKE Backend for Session tests: every connection's Handler forwards
// to the one FakeHandler `handler`, which outlives the sessions, so a test
// can read what happened after the session is gone. `refuse` refuses new
// connections (RFC 5321 3.1).
class FakeBackend : public Backend {
 public:
  std::variant<std::unique_ptr<Handler>, Error> NewSession(
      const ConnectionInfo& info) override;

  FakeHandler handler;
  std::optional<Error> refuse;
  std::vector<ConnectionInfo> connections;
};

// One conversation fed to a Session chunk by chunk, and what came out.
struct Transcript {
  std::string output;
  std::vector<Event> events;
  std::vector<FakeHandler::Message> messages;
  std::vector<std::string> calls;
  State state = State::kGreeting;
};

// Feeds `chunks` in order (all at time At(1)) to a new Session with a
// FakeBackend and collects everything. The greeting is in `output`.
Transcript Converse(const Config& config,
                    const std::vector<std::string_view>& chunks);

// The ways the tests cut an input: whole, one byte at a time, and in two
// pieces at every split point.
std::vector<std::vector<std::string_view>> Chunkings(std::string_view input);

// Converse() with `input` whole and cut in every one of Chunkings(): each
// must give the same output, events, messages, calls and state as the
// whole (checked with EXPECT_EQ). Returns the whole feed's transcript.
Transcript ConverseEveryWay(const Config& config, std::string_view input);

// Splits "VERB argument" as the wire reader would (verbs case-insensitive,
// RFC 5321 2.4), so machine tests can be written as command lines.
Command ParseTestCommand(std::string_view line);

// "250 2.1.0 OK" style one-line summary of a reply, for readable
// assertions: "<code> [<enhanced> ]<first line>".
std::string Summary(const Reply& reply);

// Drives a Machine with a FakeHandler at the command level: the greeting
// is sent at construction, each Say() is one command line.
class Driver {
 public:
  explicit Driver(Config config = {});

  // Handles one command line at time `t` and returns Summary() of the one
  // reply it must produce ("<none>" or "<N replies>" otherwise, which no
  // assertion expects). The reply itself is in last(); events pile up in
  // events().
  std::string Say(std::string_view line, double t = 1);
  // Say() that only returns the code (0 when not exactly one reply).
  int Code(std::string_view line, double t = 1);
  // Say() for "BDAT <argument>" followed by its chunk, `chunk`, which must
  // be exactly the octets the machine awaits ("<no chunk awaited>" and
  // "<chunk of N octets awaited>" otherwise, which no assertion expects).
  std::string Bdat(std::string_view argument, std::string_view chunk,
                   double t = 1);
  // Collects replies and events produced by a direct call on machine().
  std::vector<Reply> Take();

  // EHLO client.example; MAIL FROM:<a@example.org>; RCPT TO:<b@example.org>
  // for each of `recipients`; all must succeed.
  bool OpenTransaction(int recipients = 1);

  Machine& machine() { return machine_; }
  FakeHandler& handler() { return handler_; }
  const Reply& greeting() const { return greeting_; }
  const Reply& last() const { return last_; }
  const std::vector<Event>& events() const { return events_; }

 private:
  FakeHandler handler_;  // declared first: outlives machine_
  Machine machine_;
  Reply greeting_;
  Reply last_;
  std::vector<Event> events_;
};

// True if `events` holds one of kind `kind`.
bool HasEvent(const std::vector<Event>& events, event::Kind kind);

}  // namespace testing
}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_TEST_UTIL_H_
