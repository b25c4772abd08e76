#include "engine/rules/catalogue.h"

#include <set>
#include <string>

#include "engine/rules/ids.h"
#include "gtest/gtest.h"

namespace smtpspec::rules {
namespace {

TEST(Catalogue, FindsARuleWithItsLevelAndSentence) {
  const Rule* rule = Find("rfc5321/3.3-rcpt-needs-mail");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->level, Level::kMust);
  EXPECT_EQ(rule->rfc, "RFC 5321");
  EXPECT_EQ(rule->section, "3.3");
  EXPECT_EQ(Citation(*rule), "RFC 5321 3.3");
  EXPECT_NE(rule->sentence.find("MUST return a 503"), std::string::npos);
}

TEST(Catalogue, MustNotIsAMustAndShouldNotIsAShould) {
  const Rule* must_not = Find("rfc5321/3.8-no-close");
  ASSERT_NE(must_not, nullptr);
  EXPECT_EQ(must_not->keyword, "MUST NOT");
  EXPECT_EQ(must_not->level, Level::kMust);
  const Rule* should = Find("rfc5321/4.1.1.9-noop-parameter");
  ASSERT_NE(should, nullptr);
  EXPECT_EQ(should->level, Level::kShould);
}

TEST(Catalogue, UnknownIdIsNotFound) {
  EXPECT_EQ(Find("rfc5321/no-such-rule"), nullptr);
  EXPECT_EQ(Get("rfc5321/no-such-rule").id, "unknown");
}

TEST(Catalogue, IdsAreUniqueAndEveryRuleHasItsRfcAndSentence) {
  std::set<std::string_view> ids;
  for (const Rule& rule : All()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    EXPECT_TRUE(rule.rfc.starts_with("RFC ")) << rule.id;
    EXPECT_FALSE(rule.sentence.empty()) << rule.id;
    EXPECT_TRUE(rule.id.starts_with("rfc")) << rule.id;
  }
  EXPECT_GT(ids.size(), 150u);
}

TEST(Catalogue, CompileTimeIdsAreTheCatalogue) {
  constexpr std::string_view id = Id("rfc2034/4-status-codes");
  EXPECT_NE(Find(id), nullptr);
  EXPECT_EQ(std::size(kIds), All().size());
}

}  // namespace
}  // namespace smtpspec::rules
