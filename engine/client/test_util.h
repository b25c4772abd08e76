// Helpers shared by the client tests.
#ifndef SMTPSPEC_ENGINE_CLIENT_TEST_UTIL_H_
#define SMTPSPEC_ENGINE_CLIENT_TEST_UTIL_H_

#include <string>
#include <vector>

#include "engine/client/config.h"
#include "engine/client/machine.h"
#include "engine/client/message.h"
#include "engine/client/outcome.h"
#include "engine/path.h"
#include "engine/reply.h"

namespace smtpspec::client::testing {

inline const Time kStart{};

// A path from its wire form without brackets ("bob@example.com"); fails
// the test when it does not parse.
Path P(const std::string& text);

// A message from alice@example.org to `recipients`.
Message Mail(std::vector<std::string> recipients, std::string body = "Hi\r\n");

Reply MakeReply(int code, std::vector<std::string> lines);

// Config with domain "client.example".
Config TestConfig();

// Drives a Machine and writes its actions as short strings, so a test
// reads like a transcript: "EHLO client.example", "<body>", "<close>".
class Driver {
 public:
  explicit Driver(std::vector<Message> messages, Config config = TestConfig());

  // Feeds a reply with `code` and `lines` at now(); returns the actions.
  std::vector<std::string> Reply(int code,
                                 std::vector<std::string> lines = {"ok"});
  // The actions decided so far, as strings. A body is kept in body().
  std::vector<std::string> Take();
  // The usual opening: 220 greeting (expects EHLO back) and a 250 EHLO
  // reply advertising `keywords`; returns what followed it.
  std::vector<std::string> Open(std::vector<std::string> keywords = {});
  void Advance(Duration d) { now_ += d; }

  Machine& machine() { return machine_; }
  const Outcome& outcome() { return machine_.outcome(); }
  const std::string& body() const { return body_; }
  Time now() const { return now_; }

 private:
  Machine machine_;
  Time now_ = kStart;
  std::string body_;
};

}  // namespace smtpspec::client::testing

#endif  // SMTPSPEC_ENGINE_CLIENT_TEST_UTIL_H_
