#include "engine/client_test_util.h"

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
