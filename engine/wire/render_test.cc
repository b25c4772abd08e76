#include "engine/wire/render.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::wire {
namespace {

using ::testing::HasSubstr;

std::string Rendered(const Command& command) {
  Result<std::string> out = RenderCommand(command);
  EXPECT_TRUE(out.ok()) << out.error().reason;
  return out.ok() ? *out : "";
}

std::string Rendered(const Reply& reply) {
  Result<std::string> out = RenderReply(reply);
  EXPECT_TRUE(out.ok()) << out.error().reason;
  return out.ok() ? *out : "";
}

// RFC 5321 4.1.1: verb, SP, argument, CRLF; no SP without an argument.
TEST(RenderCommandTest, VerbSpaceArgumentCrlf) {
  EXPECT_EQ(Rendered({Verb::kMail, "MAIL", "FROM:<a@example.org> SIZE=10"}),
            "MAIL FROM:<a@example.org> SIZE=10\r\n");
  EXPECT_EQ(Rendered({Verb::kQuit, "QUIT", ""}), "QUIT\r\n");
  EXPECT_EQ(Rendered({Verb::kHelp, "HELP", " "}), "HELP  \r\n");
  EXPECT_EQ(Rendered({Verb::kEhlo, "ehlo", "x"}), "ehlo x\r\n");
  EXPECT_EQ(Rendered({Verb::kUnknown, "XCLIENT", "A=b"}), "XCLIENT A=b\r\n");
}

TEST(RenderCommandTest, EmptyNameMeansTheVerbsSpelling) {
  EXPECT_EQ(Rendered({Verb::kRcpt, "", "TO:<b@example.org>"}),
            "RCPT TO:<b@example.org>\r\n");
  EXPECT_EQ(Rendered({Verb::kStarttls, "", ""}), "STARTTLS\r\n");
}

// A line end inside the argument would inject a second command (RFC 5321
// 2.3.8); the error offset is where it would have been on the wire.
TEST(RenderCommandTest, RefusesLineBreakersInTheArgument) {
  for (const char* bad : {"\r", "\n", "\r\n"}) {
    Result<std::string> out = RenderCommand(
        {Verb::kMail, "MAIL", std::string("FROM:<>") + bad + "RCPT TO:<x>"});
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().offset, 12u);
    EXPECT_THAT(out.error().reason, HasSubstr("RFC 5321"));
  }
  Result<std::string> nul =
      RenderCommand({Verb::kNoop, "NOOP", std::string("a\0", 2)});
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().offset, 6u);
}

TEST(RenderCommandTest, RefusesBadNames) {
  EXPECT_FALSE(RenderCommand({Verb::kUnknown, "", "x"}).ok());
  EXPECT_FALSE(RenderCommand({Verb::kUnknown, "MA IL", ""}).ok());
  EXPECT_FALSE(RenderCommand({Verb::kUnknown, "MA\xc3\x8fL", ""}).ok());
  EXPECT_FALSE(RenderCommand({Verb::kUnknown, "MA\tIL", ""}).ok());
  // The name must spell the verb, or reading it back would differ.
  EXPECT_FALSE(RenderCommand({Verb::kRcpt, "MAIL", "x"}).ok());
  EXPECT_FALSE(RenderCommand({Verb::kMail, "XMAIL", "x"}).ok());
  EXPECT_FALSE(RenderCommand({Verb::kUnknown, "mail", "x"}).ok());
  Result<std::string> out = RenderCommand({Verb::kUnknown, "AB\x01", ""});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().offset, 2u);
}

// RFC 5321 4.2.1: "ddd-" on all lines but the last, "ddd " on the last.
TEST(RenderReplyTest, MultiLine) {
  EXPECT_EQ(
      Rendered(
          {250, std::nullopt, {"mx.example.org", "PIPELINING", "SMTPUTF8"}}),
      "250-mx.example.org\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n");
  EXPECT_EQ(Rendered({221, std::nullopt, {"bye"}}), "221 bye\r\n");
}

// RFC 5321 4.2: textstring has at least one character, so an empty last
// line is the bare code; an empty "ddd-" line is allowed as it is.
TEST(RenderReplyTest, EmptyText) {
  EXPECT_EQ(Rendered({250, std::nullopt, {""}}), "250\r\n");
  EXPECT_EQ(Rendered({250, std::nullopt, {"", ""}}), "250-\r\n250\r\n");
}

// RFC 2034 3: the enhanced code goes on every line.
TEST(RenderReplyTest, EnhancedCodeOnEveryLine) {
  EXPECT_EQ(Rendered({550, EnhancedCode{5, 7, 1}, {"no", "really"}}),
            "550-5.7.1 no\r\n550 5.7.1 really\r\n");
  EXPECT_EQ(Rendered({250, EnhancedCode{2, 0, 0}, {""}}), "250 2.0.0\r\n");
  EXPECT_EQ(Rendered({452, EnhancedCode{4, 123, 999}, {"x"}}),
            "452 4.123.999 x\r\n");
}

// RFC 5321 4.2: the code is %x32-35 %x30-35 %x30-39.
TEST(RenderReplyTest, RefusesBadCodes) {
  for (int code : {0, 199, 160, 260, 599 + 1, 1250, -250}) {
    Result<std::string> out = RenderReply({code, std::nullopt, {"x"}});
    ASSERT_FALSE(out.ok()) << code;
    EXPECT_THAT(out.error().reason, HasSubstr("RFC 5321 4.2")) << code;
  }
  EXPECT_TRUE(RenderReply({200, std::nullopt, {"x"}}).ok());
  EXPECT_TRUE(RenderReply({559, std::nullopt, {"x"}}).ok());
}

TEST(RenderReplyTest, RefusesNoLines) {
  EXPECT_FALSE(RenderReply({250, std::nullopt, {}}).ok());
}

// A CR or LF in the text would end the line early and let the rest pass
// for another reply.
TEST(RenderReplyTest, RefusesLineBreakersInText) {
  Result<std::string> out =
      RenderReply({250, std::nullopt, {"ok", "fine\r\n250 forged"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().offset, 16u);  // "250-ok\r\n250 fine" then CR
  EXPECT_FALSE(RenderReply({250, std::nullopt, {"a\nb"}}).ok());
  EXPECT_FALSE(RenderReply({250, std::nullopt, {"a\rb"}}).ok());
  EXPECT_FALSE(RenderReply({250, std::nullopt, {std::string("a\0b", 3)}}).ok());
  Result<std::string> enhanced =
      RenderReply({250, EnhancedCode{2, 0, 0}, {"\n"}});
  ASSERT_FALSE(enhanced.ok());
  EXPECT_EQ(enhanced.error().offset, 10u);
}

// RFC 3463 2: class is the reply's first digit; parts at most three digits.
TEST(RenderReplyTest, RefusesBadEnhancedCodes) {
  EXPECT_FALSE(RenderReply({250, EnhancedCode{5, 0, 0}, {"x"}}).ok());
  EXPECT_FALSE(RenderReply({354, EnhancedCode{3, 0, 0}, {"x"}}).ok());
  EXPECT_FALSE(RenderReply({250, EnhancedCode{2, 1000, 0}, {"x"}}).ok());
  EXPECT_FALSE(RenderReply({250, EnhancedCode{2, 0, -1}, {"x"}}).ok());
}

}  // namespace
}  // namespace smtpspec::wire
