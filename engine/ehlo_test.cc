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
          "AUTH PLAIN LOGIN XOAUTH2", "8bitmime", "x-vendor-ext a=1 b"});
  Result<EhloResponse> r = ParseEhloResponse(reply);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  const std::vector<EhloKeyword> want = {
      {"PIPELINING", {}},
      {"SIZE", {"10240000"}},
      {"AUTH", {"PLAIN", "LOGIN", "XOAUTH2"}},
      {"8BITMIME", {}},
      {"X-VENDOR-EXT", {"a=1", "b"}},
  };
  // Keywords are upper-cased (RFC 5321 4.1.1.1: case-insensitive).
  EXPECT_EQ(r->keywords, want);
  EXPECT_TRUE(r->problems.empty());
  // And back: the same reply, code 250, no enhanced code, keywords in
  // upper case.
  EXPECT_EQ(RenderEhloResponse(*r),
            Ok({"mx.example.org greets you", "PIPELINING", "SIZE 10240000",
                "AUTH PLAIN LOGIN XOAUTH2", "8BITMIME", "X-VENDOR-EXT a=1 b"}));
  // A well-formed reply reads the same in both modes.
  EXPECT_EQ(ParseEhlo(reply, EhloMode::kLenient), *r);
}

// Keywords are case-insensitive (RFC 5321 2.4, 4.1.1.1).
TEST(EhloTest, FindKeywordIgnoresCase_Rfc5321_2_4) {
  Result<EhloResponse> r =
      ParseEhloResponse(Ok({"mx", "StartTLS", "auth PLAIN"}));
  ASSERT_TRUE(r.ok());
  ASSERT_NE(FindKeyword(*r, "STARTTLS"), nullptr);
  EXPECT_EQ(FindKeyword(*r, "STARTTLS")->keyword, "STARTTLS");
  ASSERT_NE(FindKeyword(*r, "Auth"), nullptr);
  EXPECT_EQ(FindKeyword(*r, "Auth")->params, std::vector<std::string>{"PLAIN"});
  EXPECT_EQ(FindKeyword(*r, "SIZE"), nullptr);
  EXPECT_EQ(FindKeyword(*r, "START"), nullptr);
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
  for (const Case &c : cases) {
    testing::ExpectError(ParseEhloResponse(c.reply), c.offset, c.reason,
                         c.reason);
  }
}

// kStrict lists every problem, in wire order, and a line that is not an
// ehlo-line gives no keyword; the good lines around it still count.
TEST(EhloTest, StrictListsEveryProblem_Rfc5321_4_1_1_1) {
  const Reply reply{250,
                    EnhancedCode{2, 0, 0},
                    {"mx", "AUTH=PLAIN LOGIN", "auth PLAIN LOGIN", "SIZE  1000",
                     "PIPELINING"}};
  const EhloResponse r = ParseEhlo(reply, EhloMode::kStrict);
  EXPECT_EQ(r.domain, "mx");
  const std::vector<EhloKeyword> want = {{"AUTH", {"PLAIN", "LOGIN"}},
                                         {"PIPELINING", {}}};
  EXPECT_EQ(r.keywords, want);
  // "250-mx\r\n" is 8 octets: the '=' is at 8 + 4 + 4, and the second
  // space of "SIZE  1000" after two more lines of 22 octets each.
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_EQ(r.problems[0].offset, 4u);
  EXPECT_NE(r.problems[0].reason.find("RFC 2034"), std::string::npos);
  EXPECT_EQ(r.problems[1].offset, 16u);
  EXPECT_NE(r.problems[1].reason.find("'='"), std::string::npos);
  EXPECT_EQ(r.problems[2].offset, 8u + 22u + 22u + 4u + 5u);
  EXPECT_NE(r.problems[2].reason.find("exactly one space"), std::string::npos);
  // ParseEhloResponse fails with the first of them.
  EXPECT_EQ(ParseEhloResponse(reply).error(), r.problems[0]);
  // The domain is kept even when it is not one.
  EXPECT_EQ(ParseEhlo(Ok({"-mx"}), EhloMode::kStrict).domain, "-mx");
}

// kLenient reads legacy and sloppy lines as clients do, and records no
// problem: AUTH=PLAIN LOGIN (pre-RFC 4954 form), any case, runs of spaces
// and tabs, leading and trailing blanks, blank lines.
TEST(EhloTest, LenientReadsLegacyLines_Rfc4954_3) {
  const Reply reply{250,
                    EnhancedCode{2, 0, 0},
                    {"mx.example.org   Hello there  ", "AUTH=PLAIN LOGIN",
                     "auth  CRAM-MD5", "  size\t1000 ", "", "   ", "StartTLS",
                     "x_odd! p", "AUTH=", "=X", "8BITMIME\t"}};
  const EhloResponse r = ParseEhlo(reply, EhloMode::kLenient);
  EXPECT_EQ(r.domain, "mx.example.org");
  EXPECT_EQ(r.greeting, "Hello there");
  const std::vector<EhloKeyword> want = {
      {"AUTH", {"PLAIN", "LOGIN"}},
      {"AUTH", {"CRAM-MD5"}},
      {"SIZE", {"1000"}},
      {"STARTTLS", {}},
      {"X_ODD!", {"p"}},
      {"AUTH", {}},
      {"8BITMIME", {}},
  };
  EXPECT_EQ(r.keywords, want);
  EXPECT_TRUE(r.problems.empty());
  // The first AUTH line wins in FindKeyword.
  EXPECT_EQ(FindKeyword(r, "auth")->params,
            (std::vector<std::string>{"PLAIN", "LOGIN"}));
  EXPECT_EQ(FindKeyword(r, "size")->params, std::vector<std::string>{"1000"});
}

// kLenient's domain is the text before the first space, empty when the
// line starts with one, so a model still sees a missing domain.
TEST(EhloTest, LenientDomainIsTheFirstWord_Rfc5321_4_1_1_1) {
  EXPECT_EQ(ParseEhlo(Ok({" mx hi"}), EhloMode::kLenient).domain, "");
  EXPECT_EQ(ParseEhlo(Ok({" mx hi"}), EhloMode::kLenient).greeting, "mx hi");
  EXPECT_EQ(ParseEhlo(Ok({"mx"}), EhloMode::kLenient).greeting, "");
  EXPECT_EQ(ParseEhlo(Ok({""}), EhloMode::kLenient).domain, "");
  const EhloResponse none =
      ParseEhlo(Reply{250, std::nullopt, {}}, EhloMode::kLenient);
  EXPECT_EQ(none, EhloResponse{});
  // Any code is read; judging it is the caller's business.
  EXPECT_EQ(
      ParseEhlo(Reply{220, std::nullopt, {"mx", "SIZE"}}, EhloMode::kLenient)
          .keywords.size(),
      1u);
}

// AdvertisesKeyword reads in kLenient; the first line is never a keyword.
TEST(EhloTest, AdvertisesKeyword_Rfc5321_4_1_1_1) {
  const Reply reply =
      Ok({"CHUNKING", "enhancedstatuscodes", "AUTH=LOGIN", " PIPELINING"});
  EXPECT_TRUE(AdvertisesKeyword(reply, "ENHANCEDSTATUSCODES"));
  EXPECT_TRUE(AdvertisesKeyword(reply, "auth"));
  EXPECT_TRUE(AdvertisesKeyword(reply, "PIPELINING"));
  EXPECT_FALSE(AdvertisesKeyword(reply, "CHUNKING"));
  EXPECT_FALSE(AdvertisesKeyword(reply, "ENHANCED"));
  EXPECT_FALSE(AdvertisesKeyword(reply, ""));
}

TEST(EhloTest, RenderWithoutGreetingOrKeywords_Rfc5321_4_1_1_1) {
  EXPECT_EQ(RenderEhloResponse(EhloResponse{"mx.example", "", {}, {}}),
            Ok({"mx.example"}));
  EXPECT_EQ(RenderEhloResponse(EhloResponse{"mx", "hi there", {{"X", {}}}, {}}),
            Ok({"mx hi there", "X"}));
}

// RFC 5321 4.1.1.1: keywords are case-insensitive.
TEST(EhloTest, AdvertisesKeywordCaseAndLegacyForms) {
  Reply ehlo{250, std::nullopt, {"mx", "SIZE 100", "enhancedstatuscodes"}};
  EXPECT_TRUE(AdvertisesKeyword(ehlo, "ENHANCEDSTATUSCODES"));
  EXPECT_TRUE(AdvertisesKeyword(ehlo, "size"));
  EXPECT_FALSE(AdvertisesKeyword(ehlo, "mx"));  // the first line is the domain
  EXPECT_FALSE(AdvertisesKeyword(ehlo, "PIPELINING"));
  // Read by the one EHLO parser (engine/ehlo.h, kLenient): legacy forms.
  Reply legacy{250, std::nullopt, {"mx", "AUTH=PLAIN", "  pipelining "}};
  EXPECT_TRUE(AdvertisesKeyword(legacy, "AUTH"));
  EXPECT_TRUE(AdvertisesKeyword(legacy, "PIPELINING"));
  EXPECT_FALSE(AdvertisesKeyword(legacy, "PIPE"));
}

}  // namespace
}  // namespace smtpspec
