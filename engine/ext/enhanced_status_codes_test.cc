// ENHANCEDSTATUSCODES (RFC 2034): the keyword, the switch, and the rule the
// module gives the server model.
#include "engine/ext/enhanced_status_codes.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace smtpspec::ext {
namespace {

std::vector<std::string> Broken(const Command& command, const Reply& reply) {
  std::vector<model::Finding> findings;
  EnhancedStatusCodes().server_rules()->Judge(command, reply, findings);
  std::vector<std::string> rules;
  for (const model::Finding& f : findings) rules.push_back(f.rule);
  return rules;
}

TEST(EnhancedStatusCodes, KeywordAndSwitch) {
  EnhancedStatusCodes module;
  EXPECT_EQ(module.EhloLine(Context{}), "ENHANCEDSTATUSCODES");
  EXPECT_TRUE(module.switches().enhanced_codes);
}

// RFC 2034 4: 2xx, 4xx and 5xx replies but those to HELO/EHLO carry a code
// of the reply's class.
TEST(EnhancedStatusCodes, TheModelRule_Rfc2034_4) {
  const Command rcpt{Verb::kRcpt, "RCPT", "TO:<a@b>"};
  EXPECT_EQ(Broken(rcpt, Reply{250, EnhancedCode{2, 1, 5}, {"OK"}}),
            std::vector<std::string>{});
  EXPECT_EQ(Broken(rcpt, Reply{250, std::nullopt, {"OK"}}),
            std::vector<std::string>{"rfc2034/4-status-codes"});
  // A code-shaped first word that the reader did not take: wrong class.
  EXPECT_EQ(Broken(rcpt, Reply{250, std::nullopt, {"5.1.1 OK"}}),
            std::vector<std::string>{"rfc2034/4-class-agrees"});
  // Exempt: 3xx, and the replies to EHLO and HELO.
  EXPECT_TRUE(
      Broken(Command{Verb::kData, "DATA", ""}, Reply{354, std::nullopt, {"go"}})
          .empty());
  EXPECT_TRUE(Broken(Command{Verb::kEhlo, "EHLO", "c"},
                     Reply{250, std::nullopt, {"mx"}})
                  .empty());
  EXPECT_TRUE(Broken(Command{Verb::kHelo, "HELO", "c"},
                     Reply{250, std::nullopt, {"mx"}})
                  .empty());
}

}  // namespace
}  // namespace smtpspec::ext
