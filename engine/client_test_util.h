// Helpers shared by the client tests.
#ifndef SMTPSPEC_ENGINE_CLIENT_TEST_UTIL_H_
#define SMTPSPEC_ENGINE_CLIENT_TEST_UTIL_H_

#include <string>
#include <vector>

#include "engine/client_config.h"
#include "engine/client_message.h"
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

}  // namespace smtpspec::client::testing

#endif  // SMTPSPEC_ENGINE_CLIENT_TEST_UTIL_H_
