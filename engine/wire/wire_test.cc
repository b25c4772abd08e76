// The codec as a whole: reading what was rendered gives the value back, and
// rendering what was read gives the bytes back when they were canonical.
#include "engine/wire/wire.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/wire/command_reader.h"
#include "engine/wire/render.h"
#include "engine/wire/reply_reader.h"
#include "engine/wire/testing.h"
#include "engine/wire/verb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::wire {
namespace {

using testing_util::ReadChunks;
using testing_util::ReadEverySplit;

TEST(FaultNameTest, NamesAreDistinct) {
  std::set<std::string_view> names;
  for (int f = 0; f <= static_cast<int>(Fault::kTooManyReplyLines); ++f) {
    const std::string_view name = FaultName(static_cast<Fault>(f));
    EXPECT_NE(name, "unknown") << f;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

// Deterministic generator for the property loops (no global state).
class Random {
 public:
  explicit Random(std::uint32_t seed) : state_(seed) {}
  std::uint32_t Below(std::uint32_t n) {
    state_ = state_ * 1664525u + 1013904223u;
    return (state_ >> 8) % n;
  }
  // Text for a reply line or an argument: printable ASCII, with spaces,
  // digits and dots often enough to look like codes.
  std::string Text(std::size_t max_size) {
    static constexpr std::string_view kChars = "ab Z09.-:<>@=\t~";
    std::string text;
    const std::size_t size = Below(static_cast<std::uint32_t>(max_size + 1));
    for (std::size_t i = 0; i < size; ++i) {
      text += kChars[Below(static_cast<std::uint32_t>(kChars.size()))];
    }
    return text;
  }

 private:
  std::uint32_t state_;
};

std::vector<Reply> ReadReplies(std::string_view wire) {
  std::vector<Reply> replies;
  for (const auto& event : ReadChunks([] { return ReplyReader(); }, wire, {})) {
    EXPECT_TRUE(std::holds_alternative<Received<Reply>>(event))
        << ::testing::PrintToString(event);
    if (const auto* reply = std::get_if<Received<Reply>>(&event)) {
      replies.push_back(reply->value);
    }
  }
  return replies;
}

// parse(render(r)) == r for well-formed replies (RFC 5321 4.2.1, RFC 2034
// 3). The one excluded shape is the wire's own ambiguity (render.h): no
// enhanced code, yet the first line starts like one of the reply's class.
TEST(WireRoundTripTest, ReadingRenderedRepliesGivesThemBack) {
  Random random(7);
  constexpr int kCodes[] = {211, 214, 220, 221, 250, 251, 252, 334,
                            354, 421, 450, 451, 452, 500, 501, 502,
                            503, 504, 530, 535, 550, 552, 553, 554};
  std::vector<Reply> replies;
  std::string wire;
  for (int i = 0; i < 2000; ++i) {
    Reply reply;
    reply.code = kCodes[random.Below(std::size(kCodes))];
    const int klass = reply.code / 100;
    if (klass != 3 && random.Below(2) == 0) {
      reply.enhanced = EnhancedCode{klass, static_cast<int>(random.Below(1000)),
                                    static_cast<int>(random.Below(1000))};
    }
    const std::size_t lines = 1 + random.Below(6);
    for (std::size_t l = 0; l < lines; ++l) {
      std::string text = random.Text(40);
      // Sometimes a line that itself starts like an enhanced code.
      if (random.Below(8) == 0) text = std::to_string(klass) + ".1.2 " + text;
      reply.lines.push_back(text);
    }
    if (!reply.enhanced && !reply.lines[0].empty() &&
        reply.lines[0][0] == '0' + klass) {
      reply.lines[0].insert(0, "x");
    }
    Result<std::string> rendered = RenderReply(reply);
    ASSERT_TRUE(rendered.ok()) << rendered.error().reason;
    ASSERT_EQ(ReadReplies(*rendered), std::vector<Reply>{reply}) << *rendered;
    replies.push_back(reply);
    wire += *rendered;
  }
  // All of them as one stream, so replies meet at every kind of boundary.
  EXPECT_EQ(ReadReplies(wire), replies);
}

// render(parse(x)) == x for canonical reply bytes, in every chunking.
TEST(WireRoundTripTest, RenderingReadRepliesGivesTheBytesBack) {
  for (std::string_view wire : {
           "220 mx.example.org ESMTP ready\r\n",
           "250-mx.example.org greets client.example.org\r\n"
           "250-PIPELINING\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
           "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n",
           "250 2.1.0 Sender ok\r\n",
           "550-5.7.1 Relaying denied.\r\n550 5.7.1 See the policy.\r\n",
           "250\r\n",
           "250-\r\n250\r\n",
           "250 2.0.0\r\n",
           "354 Start mail input; end with <CRLF>.<CRLF>\r\n",
           "421 4.4.2 mx.example.org timeout\r\n",
       }) {
    SCOPED_TRACE(testing_util::Quote(wire));
    const auto events = ReadEverySplit([] { return ReplyReader(); }, wire);
    ASSERT_EQ(events.size(), 1u);
    const Reply& reply = std::get<Received<Reply>>(events[0]).value;
    Result<std::string> rendered = RenderReply(reply);
    ASSERT_TRUE(rendered.ok()) << rendered.error().reason;
    EXPECT_EQ(*rendered, wire);
  }
}

// render(parse(x)) == x for canonical command bytes, in every chunking.
TEST(WireRoundTripTest, RenderingReadCommandsGivesTheBytesBack) {
  for (std::string_view wire : {
           "EHLO client.example.org\r\n",
           "helo x\r\n",
           "MAIL FROM:<a@example.org> SIZE=1000 BODY=8BITMIME\r\n",
           "MAIL FROM:<>\r\n",
           "RCPT TO:<postmaster>\r\n",
           "DATA\r\n",
           "RSET\r\n",
           "NOOP anything\r\n",
           "QUIT\r\n",
           "VRFY Smith\r\n",
           "EXPN list\r\n",
           "HELP\r\n",
           "StartTLS\r\n",
           "AUTH PLAIN AGFhAGI=\r\n",
           "BDAT 1000 LAST\r\n",
           "XCLIENT NAME=x\r\n",
           "HELP  \r\n",
       }) {
    SCOPED_TRACE(testing_util::Quote(wire));
    const auto events = ReadEverySplit([] { return CommandReader(); }, wire);
    ASSERT_EQ(events.size(), 1u);
    Result<std::string> rendered =
        RenderCommand(std::get<Received<Command>>(events[0]).value);
    ASSERT_TRUE(rendered.ok()) << rendered.error().reason;
    EXPECT_EQ(*rendered, wire);
  }
}

// parse(render(c)) == c for generated commands, known verbs in any case and
// unknown ones, with arguments holding spaces and 8-bit bytes.
TEST(WireRoundTripTest, ReadingRenderedCommandsGivesThemBack) {
  Random random(11);
  constexpr std::string_view kNames[] = {
      "EHLO", "helo", "Mail", "RCPT",     "data", "RSET", "NOOP", "QUIT",
      "vrfy", "EXPN", "HELP", "STARTTLS", "auth", "BDAT", "XFOO", "X-Y"};
  std::vector<Command> commands;
  std::string wire;
  for (int i = 0; i < 2000; ++i) {
    Command command;
    command.name = kNames[random.Below(std::size(kNames))];
    command.verb = VerbFromName(command.name);
    command.argument = random.Text(60);
    if (random.Below(4) == 0) command.argument += "\xc3\xa9";  // RFC 6531
    Result<std::string> rendered = RenderCommand(command);
    ASSERT_TRUE(rendered.ok()) << rendered.error().reason;
    commands.push_back(command);
    wire += *rendered;
  }
  std::vector<Command> read;
  for (const auto& event :
       ReadChunks([] { return CommandReader(); }, wire, {wire.size() / 3})) {
    ASSERT_TRUE(std::holds_alternative<Received<Command>>(event));
    read.push_back(std::get<Received<Command>>(event).value);
  }
  EXPECT_EQ(read, commands);
}

}  // namespace
}  // namespace smtpspec::wire
