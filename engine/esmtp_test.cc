#include "engine/esmtp.h"

#include <string>
#include <vector>

#include "engine/syntax_test_util.h"
#include "gtest/gtest.h"

namespace smtpspec {
namespace {

using Kind = Path::Kind;

// RFC 5321 4.1.2: esmtp-param = esmtp-keyword ["=" esmtp-value].
TEST(EsmtpTest, ParsesParameters_Rfc5321_4_1_2) {
  Result<std::vector<Parameter>> p =
      ParseParameters("SIZE=1000 BODY=8BITMIME SMTPUTF8 x-1=a+2B");
  ASSERT_TRUE(p.ok()) << p.error().reason;
  const std::vector<Parameter> want = {{"SIZE", "1000"},
                                       {"BODY", "8BITMIME"},
                                       {"SMTPUTF8", std::nullopt},
                                       {"x-1", "a+2B"}};
  EXPECT_EQ(*p, want);
  EXPECT_TRUE(ParseParameters("")->empty());
  // Every byte %d33-60 / %d62-126 is a value byte.
  std::string all;
  for (char c = 33; c <= 126; ++c) {
    if (c != '=') all += c;
  }
  Result<std::vector<Parameter>> wide = ParseParameters("K=" + all);
  ASSERT_TRUE(wide.ok()) << wide.error().reason;
  EXPECT_EQ((*wide)[0].value, all);
}

TEST(EsmtpTest, RejectsBadParameters_Rfc5321_4_1_2) {
  const std::vector<std::tuple<std::string, std::size_t, std::string>> cases = {
      {" SIZE=1", 0, "exactly one space"},
      {"SIZE=1  BODY=7BIT", 7, "exactly one space"},
      {"SIZE=1 ", 7, "trailing space"},
      {"=1", 0, "keyword before '='"},
      {"SIZE=", 5, "value after '=' is empty"},
      {"SIZE==1", 5, "'=' is not allowed in a parameter value"},
      {"SIZE=1=2", 6, "'=' is not allowed"},
      {"-SIZE=1", 0, "'-' cannot start a parameter keyword"},
      {"SI_ZE=1", 2, "'_' is not allowed in a parameter keyword"},
      {"SIZE\t=1", 4, "byte 0x09 is not allowed in a parameter keyword"},
      {"K=a\x01", 3, "byte 0x01 is not allowed in a parameter value"},
      {"K=\xC3\xA9", 2, "SMTPUTF8"},
  };
  for (const auto& [text, offset, reason] : cases) {
    testing::ExpectError(ParseParameters(text), offset, reason, text);
    testing::CountAcceptedPrefixes(
        text, [](std::string_view t) { return ParseParameters(t); });
  }
  // RFC 6531 3.3: esmtp-value =/ UTF8-non-ascii with SMTPUTF8.
  EXPECT_TRUE(ParseParameters("K=\xC3\xA9", Charset::kUtf8).ok());
  EXPECT_FALSE(ParseParameters("K=\xC3", Charset::kUtf8).ok());
}

TEST(EsmtpTest, RendersAndFindsParameters_Rfc5321_2_4) {
  const std::vector<Parameter> params = {{"SIZE", "1000"}, {"SMTPUTF8", {}}};
  EXPECT_EQ(*RenderParameters(params), "SIZE=1000 SMTPUTF8");
  EXPECT_EQ(*RenderParameters({}), "");
  Result<std::vector<Parameter>> back =
      ParseParameters(*RenderParameters(params));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, params);
  // Keywords compare case-insensitively (RFC 5321 2.4).
  ASSERT_NE(FindParameter(params, "size"), nullptr);
  EXPECT_EQ(FindParameter(params, "size")->value, "1000");
  EXPECT_EQ(FindParameter(params, "BODY"), nullptr);

  const std::vector<Parameter> bad = {
      {"", "1"},    {"A B", {}},  {"A=B", {}},   {"K", ""},
      {"K", "a b"}, {"K", "a=b"}, {"K", "\r\n"}, {"-K", {}},
  };
  for (const Parameter& p : bad) {
    EXPECT_FALSE(RenderParameter(p).ok()) << p.keyword;
  }
  Result<std::string> second = RenderParameters({{"A", "1"}, {"B", ""}});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().offset, 6u);  // "A=1 B=" then the empty value
}

// RFC 5321 4.1.1.2: mail = "MAIL FROM:" Reverse-path [SP Mail-parameters].
TEST(EsmtpTest, ParsesMailArgument_Rfc5321_4_1_1_2) {
  Result<PathArgument> a =
      ParseMailArgument("FROM:<a@b.example> SIZE=1000 BODY=8BITMIME");
  ASSERT_TRUE(a.ok()) << a.error().reason;
  EXPECT_EQ(a->path.mailbox.local_part, "a");
  EXPECT_EQ(a->path.mailbox.domain.value, "b.example");
  ASSERT_EQ(a->parameters.size(), 2u);
  EXPECT_EQ(a->parameters[1], (Parameter{"BODY", "8BITMIME"}));

  for (const char* text : {"from:<>", "From:<>", "FROM:<>"}) {
    Result<PathArgument> null = ParseMailArgument(text);
    ASSERT_TRUE(null.ok()) << text;
    EXPECT_EQ(null->path.kind, Kind::kNull);
    EXPECT_TRUE(null->parameters.empty());
  }
  // A quoted local-part may hold "> " without ending the path.
  Result<PathArgument> q = ParseMailArgument("FROM:<\"a> b\"@c> SMTPUTF8");
  ASSERT_TRUE(q.ok()) << q.error().reason;
  EXPECT_EQ(q->path.mailbox.local_part, "a> b");
  EXPECT_EQ(q->parameters, (std::vector<Parameter>{{"SMTPUTF8", {}}}));
}

// RFC 5321 4.1.1.3: "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>"
// / Forward-path ) [SP Rcpt-parameters].
TEST(EsmtpTest, ParsesRcptArgument_Rfc5321_4_1_1_3) {
  Result<PathArgument> a = ParseRcptArgument("TO:<x@y> NOTIFY=NEVER");
  ASSERT_TRUE(a.ok()) << a.error().reason;
  EXPECT_EQ(a->path.mailbox.local_part, "x");
  EXPECT_EQ(a->parameters, (std::vector<Parameter>{{"NOTIFY", "NEVER"}}));
  Result<PathArgument> pm = ParseRcptArgument("to:<postmaster>");
  ASSERT_TRUE(pm.ok());
  EXPECT_EQ(pm->path.kind, Kind::kPostmaster);
  EXPECT_FALSE(ParseRcptArgument("TO:<>").ok());
  EXPECT_FALSE(ParseMailArgument("FROM:<Postmaster>").ok());
}

TEST(EsmtpTest, RejectsBadArgumentsWithOffsets_Rfc5321_4_1_1_2) {
  const std::vector<std::tuple<bool, std::string, std::size_t, std::string>>
      cases = {
          {false, "FROM: <a@b>", 5, "space after \"FROM:\" is not allowed"},
          {true, "TO: <a@b>", 3, "space after \"TO:\" is not allowed"},
          {false, "FROM :<a@b>", 4, "between FROM and ':'"},
          {false, "FROM<a@b>", 0, "must start with \"FROM:\""},
          {false, "TO:<a@b>", 0, "must start with \"FROM:\""},
          {true, "FROM:<a@b>", 0, "must start with \"TO:\""},
          {false, "", 0, "must start with \"FROM:\""},
          {false, "FROM:a@b", 5, "enclosed in '<' and '>'"},
          {false, "FROM:", 5, "enclosed in '<' and '>'"},
          {false, "FROM:<a@b>SIZE=1", 10, "expected a space between"},
          {false, "FROM:<a@b> ", 11, "trailing space"},
          {false, "FROM:<a@b> SIZE=1 ", 18, "trailing space"},
          {false, "FROM:<a@b>  SIZE=1", 11, "exactly one space"},
          {false, "FROM:<a@b> SIZE=", 16, "empty"},
          {false, "FROM:<a..b@c>", 8, "two dots"},
          {true, "TO:<a@b.> NOTIFY=NEVER", 8, "may not end with '.'"},
      };
  for (const auto& [rcpt, text, offset, reason] : cases) {
    testing::ExpectError(
        rcpt ? ParseRcptArgument(text) : ParseMailArgument(text), offset,
        reason, text);
  }
}

TEST(EsmtpTest, LenientCallersMayAllowSpaceAfterColon_Rfc5321_4_1_1_2) {
  ArgumentOptions lenient;
  lenient.allow_space_after_colon = true;
  Result<PathArgument> a = ParseMailArgument("FROM: <a@b> SIZE=1", lenient);
  ASSERT_TRUE(a.ok()) << a.error().reason;
  EXPECT_EQ(a->path.mailbox.local_part, "a");
  EXPECT_EQ(a->parameters.size(), 1u);
  EXPECT_TRUE(ParseRcptArgument("TO:  <a@b>", lenient).ok());
  // Only the space after the colon is forgiven.
  EXPECT_FALSE(ParseMailArgument("FROM : <a@b>", lenient).ok());
  EXPECT_FALSE(ParseMailArgument("FROM: <a@b> ", lenient).ok());
}

// Fed byte by byte: no prefix of an argument is misread as a shorter one
// except where the grammar itself allows it (after the path or a value).
TEST(EsmtpTest, PrefixesOfArgumentsFailCleanly_Rfc5321_4_1_1_2) {
  const std::string text = "FROM:<\"x y\"@[IPv6:::1]> SIZE=12 BODY=7BIT";
  const int accepted = testing::CountAcceptedPrefixes(
      text, [](std::string_view t) { return ParseMailArgument(t); });
  // "...]>"; "S" to "SIZE" (bare keywords are parameters too); "SIZE=1",
  // "SIZE=12"; "B" to "BODY"; "BODY=7", "BODY=7B", "BODY=7BI".
  EXPECT_EQ(accepted, 1 + 4 + 2 + 4 + 3);
}

TEST(EsmtpTest, RendersArguments_Rfc5321_4_1_1_2) {
  PathArgument mail{
      Path{Kind::kMailbox,
           {},
           {"john smith", {Domain::Kind::kName, "x.example", ""}}},
      {{"SIZE", "10"}}};
  Result<std::string> text = RenderMailArgument(mail);
  ASSERT_TRUE(text.ok()) << text.error().reason;
  EXPECT_EQ(*text, "FROM:<\"john smith\"@x.example> SIZE=10");
  Result<PathArgument> back = ParseMailArgument(*text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, mail);

  EXPECT_EQ(*RenderMailArgument({Path{Kind::kNull, {}, {}}, {}}), "FROM:<>");
  EXPECT_EQ(*RenderRcptArgument({Path{Kind::kPostmaster, {}, {}}, {}}),
            "TO:<Postmaster>");
  EXPECT_FALSE(RenderRcptArgument({Path{Kind::kNull, {}, {}}, {}}).ok());
  EXPECT_FALSE(RenderMailArgument({Path{Kind::kPostmaster, {}, {}}, {}}).ok());
  EXPECT_FALSE(
      RenderRcptArgument({Path{Kind::kMailbox, {}, {"a\n", {}}}, {}}).ok());
}

}  // namespace
}  // namespace smtpspec
