#include "engine/model/text.h"

#include "gtest/gtest.h"

namespace smtpspec::model {
namespace {

// RFC 5321 4.1.2: Domain and address-literal shapes.
TEST(TextTest, DomainOrLiteral) {
  EXPECT_TRUE(IsDomainOrLiteral("mx.example.org"));
  EXPECT_TRUE(IsDomainOrLiteral("localhost"));
  EXPECT_TRUE(IsDomainOrLiteral("a-b.c1"));
  EXPECT_TRUE(IsDomainOrLiteral("[IPv6:::1]"));
  EXPECT_FALSE(IsDomainOrLiteral(""));
  EXPECT_FALSE(IsDomainOrLiteral("-a.example"));
  EXPECT_FALSE(IsDomainOrLiteral("a-.example"));
  EXPECT_FALSE(IsDomainOrLiteral("a..example"));
  EXPECT_FALSE(IsDomainOrLiteral("a.example."));
  EXPECT_FALSE(IsDomainOrLiteral("under_score"));
}

// RFC 3463 section 2.
TEST(TextTest, EnhancedCodeShape) {
  EXPECT_TRUE(IsEnhancedCodeShape("2.0.0"));
  EXPECT_TRUE(IsEnhancedCodeShape("5.123.999"));
  EXPECT_FALSE(IsEnhancedCodeShape("25.0.0"));
  EXPECT_FALSE(IsEnhancedCodeShape("2.0"));
  EXPECT_FALSE(IsEnhancedCodeShape("2.1234.0"));
  EXPECT_FALSE(IsEnhancedCodeShape("2.a.0"));
}

// RFC 5321 4.1.1.1: keywords are case-insensitive.
TEST(TextTest, HasKeyword) {
  Reply ehlo{250, std::nullopt, {"mx", "SIZE 100", "enhancedstatuscodes"}};
  EXPECT_TRUE(HasKeyword(ehlo, "ENHANCEDSTATUSCODES"));
  EXPECT_TRUE(HasKeyword(ehlo, "size"));
  EXPECT_FALSE(HasKeyword(ehlo, "mx"));  // the first line is the domain
  EXPECT_FALSE(HasKeyword(ehlo, "PIPELINING"));
  // Read by the one EHLO parser (engine/ehlo.h, kLenient): legacy forms.
  Reply legacy{250, std::nullopt, {"mx", "AUTH=PLAIN", "  pipelining "}};
  EXPECT_TRUE(HasKeyword(legacy, "AUTH"));
  EXPECT_TRUE(HasKeyword(legacy, "PIPELINING"));
  EXPECT_FALSE(HasKeyword(legacy, "PIPE"));
}

TEST(TextTest, Postmaster) {
  const std::vector<std::string> domains = {"example.org"};
  EXPECT_TRUE(IsPostmasterRecipient("TO:<Postmaster>", {}));
  EXPECT_TRUE(IsPostmasterRecipient("To:<postMASTER>", {}));
  EXPECT_TRUE(IsPostmasterRecipient("TO:<postmaster@Example.org>", domains));
  EXPECT_TRUE(IsPostmasterRecipient("TO: <postmaster>", {}));
  EXPECT_FALSE(IsPostmasterRecipient("TO:<postmaster@other.example>", domains));
  EXPECT_FALSE(IsPostmasterRecipient("TO:<postmasters>", {}));
  EXPECT_FALSE(IsPostmasterRecipient("TO:postmaster", {}));
  EXPECT_FALSE(IsPostmasterRecipient("FROM:<postmaster>", {}));
  EXPECT_FALSE(IsPostmasterRecipient("TO:<postmaster", {}));
}

TEST(TextTest, MentionsRecipients) {
  EXPECT_TRUE(MentionsRecipients(Reply{452, {}, {"Too many RECIPIENTS"}}));
  EXPECT_FALSE(MentionsRecipients(Reply{452, {}, {"disk full"}}));
}

}  // namespace
}  // namespace smtpspec::model
