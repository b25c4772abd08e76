#include "parser/rule_ids.h"

#include "gtest/gtest.h"

namespace smtpspec::parser {
namespace {

TEST(RuleIdsTest, KnownRuleIsNoError) {
  EXPECT_EQ(UnknownRule("rfc5321/3.3-rcpt-needs-mail"), std::nullopt);
}

TEST(RuleIdsTest, UnknownRuleSaysWhyAndSuggests) {
  EXPECT_EQ(UnknownRule("rfc5321/3.3-rcpt-needs-mal"),
            "no such rule in rules/; did you mean "
            "'rfc5321/3.3-rcpt-needs-mail'?");
  EXPECT_EQ(UnknownRule("no/such-rule"), "no such rule in rules/");
}

}  // namespace
}  // namespace smtpspec::parser
