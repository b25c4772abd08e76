#include "engine/client/test_util.h"

#include <utility>

#include "gtest/gtest.h"

namespace smtpspec::client::testing {

Path P(const std::string& text) {
  Result<Path> path = ParseForwardPath("<" + text + ">");
  EXPECT_TRUE(path.ok()) << text;
  return path.ok() ? *path : Path{};
}

Message Mail(std::vector<std::string> recipients, std::string body) {
  Message message;
  message.reverse_path = P("alice@example.org");
  message.body = std::move(body);
  for (const std::string& r : recipients) message.recipients.push_back(P(r));
  return message;
}

Reply MakeReply(int code, std::vector<std::string> lines) {
  Reply reply;
  reply.code = code;
  reply.lines = std::move(lines);
  return reply;
}

Config TestConfig() {
  Config config;
  config.domain = "client.example";
  return config;
}

}  // namespace smtpspec::client::testing

namespace smtpspec::client::testing {

Driver::Driver(std::vector<Message> messages, Config config)
    : machine_(std::move(config), std::move(messages), kStart) {}

std::vector<std::string> Driver::Reply(int code,
                                       std::vector<std::string> lines) {
  machine_.OnReply(MakeReply(code, std::move(lines)), now_);
  return Take();
}

std::vector<std::string> Driver::Take() {
  std::vector<std::string> out;
  for (Action& action : machine_.TakeActions()) {
    switch (action.kind) {
      case Action::Kind::kSendCommand:
        out.push_back(action.command.name +
                      (action.command.argument.empty()
                           ? ""
                           : " " + action.command.argument));
        break;
      case Action::Kind::kSendBody:
        body_ = action.body;
        out.push_back("<body>");
        break;
      case Action::Kind::kStartTls:
        out.push_back("<starttls>");
        break;
      case Action::Kind::kClose:
        out.push_back("<close>");
        break;
    }
  }
  return out;
}

std::vector<std::string> Driver::Open(std::vector<std::string> keywords) {
  EXPECT_EQ(Reply(220, {"server.example ESMTP"}),
            std::vector<std::string>{"EHLO client.example"});
  keywords.insert(keywords.begin(), "server.example");
  return Reply(250, keywords);
}

}  // namespace smtpspec::client::testing
