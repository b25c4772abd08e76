#include "engine/ehlo.h"

#include <string>
#include <vector>

#include "engine/syntax_test_util.h"
#include "gtest/gtest.h"

namespace smtpspec {
namespace {

Reply Ok(std::vector<std::string> lines) {
  return Reply{250, std::nullopt, std::move(lines)};
}

// RFC 5321 4.1.1.1: "250" SP Domain [ SP ehlo-greet ], one line.
TEST(EhloTest, SingleLineWithAndWithoutGreeting_Rfc5321_4_1_1_1) {
  Result<EhloResponse> bare = ParseEhloResponse(Ok({"mx.example.org"}));
  ASSERT_TRUE(bare.ok()) << bare.error().reason;
  EXPECT_EQ(bare->domain, "mx.example.org");
  EXPECT_EQ(bare->greeting, "");
  EXPECT_TRUE(bare->keywords.empty());

  Result<EhloResponse> greeted = ParseEhloResponse(
      Ok({"mx.example.org Hello client.example [192.0.2.1], pleased"}));
  ASSERT_TRUE(greeted.ok()) << greeted.error().reason;
  EXPECT_EQ(greeted->domain, "mx.example.org");
  EXPECT_EQ(greeted->greeting, "Hello client.example [192.0.2.1], pleased");
}

// RFC 5321 4.1.1.1: ehlo-line = ehlo-keyword *( SP ehlo-param ).
TEST(EhloTest, KeywordsWithParams_Rfc5321_4_1_1_1) {
  const Reply reply =
      Ok({"mx.example.org greets you", "PIPELINING", "SIZE 10240000",
          "AUTH PLAIN LOGIN XOAUTH2", "8BITMIME", "x-vendor-ext a=1 b"});
  Result<EhloResponse> r = ParseEhloResponse(reply);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  const std::vector<EhloKeyword> want = {
      {"PIPELINING", {}},
      {"SIZE", {"10240000"}},
      {"AUTH", {"PLAIN", "LOGIN", "XOAUTH2"}},
      {"8BITMIME", {}},
      {"x-vendor-ext", {"a=1", "b"}},
  };
  EXPECT_EQ(r->keywords, want);
  // And back: the same reply, code 250, no enhanced code.
  EXPECT_EQ(RenderEhloResponse(*r), reply);
}

// Keywords are case-insensitive (RFC 5321 2.4, 4.1.1.1).
TEST(EhloTest, FindKeywordIgnoresCase_Rfc5321_2_4) {
  Result<EhloResponse> r =
      ParseEhloResponse(Ok({"mx", "StartTLS", "auth PLAIN"}));
  ASSERT_TRUE(r.ok());
  ASSERT_NE(FindKeyword(*r, "STARTTLS"), nullptr);
  EXPECT_EQ(FindKeyword(*r, "STARTTLS")->keyword, "StartTLS");
  ASSERT_NE(FindKeyword(*r, "Auth"), nullptr);
  EXPECT_EQ(FindKeyword(*r, "Auth")->params, std::vector<std::string>{"PLAIN"});
  EXPECT_EQ(FindKeyword(*r, "SIZE"), nullptr);
  EXPECT_EQ(FindKeyword(*r, "START"), nullptr);
}

// RFC 1870 section 4: "SIZE" [SP 1*DIGIT]; 0 means no fixed maximum.
TEST(EhloTest, SizeLimit_Rfc1870_4) {
  auto limit = [](std::vector<std::string> params) {
    EhloResponse r{"mx", "", {{"size", std::move(params)}}};
    return SizeLimit(r);
  };
  EXPECT_EQ(*limit({"10240000"}), std::optional<std::uint64_t>(10240000));
  EXPECT_EQ(*limit({"0"}), std::optional<std::uint64_t>(0));
  EXPECT_EQ(*limit({}), std::nullopt);
  EXPECT_EQ(*limit({"18446744073709551615"}),
            std::optional<std::uint64_t>(18446744073709551615u));
  EXPECT_FALSE(limit({"18446744073709551616"}).ok());
  EXPECT_FALSE(limit({"10M"}).ok());
  EXPECT_EQ(limit({"10M"}).error().offset, 2u);
  EXPECT_FALSE(limit({"-1"}).ok());
  EXPECT_FALSE(limit({"1", "2"}).ok());
  EXPECT_FALSE(limit({""}).ok());
  EXPECT_FALSE(SizeLimit(EhloResponse{"mx", "", {}}).ok());
}

// Offsets count the reply's wire form: "250-" + line + CRLF per line.
TEST(EhloTest, RejectsMalformedReplies_Rfc5321_4_1_1_1) {
  struct Case {
    Reply reply;
    std::size_t offset;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {Reply{220, std::nullopt, {"mx"}}, 0, "code 250"},
      {Reply{250, EnhancedCode{2, 0, 0}, {"mx"}}, 4, "RFC 2034"},
      {Reply{250, std::nullopt, {}}, 0, "at least one line"},
      {Ok({""}), 4, "expected a domain"},
      {Ok({" mx"}), 4, "expected a domain"},
      {Ok({"mx "}), 6, "followed by a greeting"},
      {Ok({"-mx.example"}), 4, "must start with a letter or digit"},
      {Ok({"[192.0.2.1] hi"}), 4, "not an address literal"},
      {Ok({"mx hi\r\nthere"}), 9, "CR or LF"},
      {Ok({"mx", "AUTH=PLAIN LOGIN"}), 16, "'=' is not allowed"},
      {Ok({"mx", "SIZE  1000"}), 17, "exactly one space"},
      {Ok({"mx", "SIZE 1000 "}), 22, "exactly one space"},
      {Ok({"mx", ""}), 12, "expected an extension keyword"},
      {Ok({"mx", "-X"}), 12, "'-' is not allowed"},
      {Ok({"mx", "PIPELINING", "X a\x01"}), 31, "byte 0x01"},
  };
  for (const Case& c : cases) {
    testing::ExpectError(ParseEhloResponse(c.reply), c.offset, c.reason,
                         c.reason);
  }
}

TEST(EhloTest, RenderWithoutGreetingOrKeywords_Rfc5321_4_1_1_1) {
  EXPECT_EQ(RenderEhloResponse(EhloResponse{"mx.example", "", {}}),
            Ok({"mx.example"}));
  EXPECT_EQ(RenderEhloResponse(EhloResponse{"mx", "hi there", {{"X", {}}}}),
            Ok({"mx hi there", "X"}));
}

}  // namespace
}  // namespace smtpspec
