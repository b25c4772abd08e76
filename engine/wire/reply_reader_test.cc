#include "engine/wire/reply_reader.h"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/wire/testing.h"
#include "engine/wire/wire.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::wire {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing_util::Describe;
using testing_util::ReadEverySplit;

std::vector<std::string> Read(std::string_view input,
                              std::size_t max_lines = kReplyLinesMax,
                              Policy policy = {.max_line = kReplyLineMax}) {
  return Describe(
      ReadEverySplit([=] { return ReplyReader(policy, max_lines); }, input));
}

TEST(ReplyReaderTest, SingleLineReplies) {
  EXPECT_THAT(Read("220 mx.example.org ESMTP\r\n354 go ahead\r\n"),
              ElementsAre("220 [\"mx.example.org ESMTP\"] @0",
                          "354 [\"go ahead\"] @26"));
}

// RFC 5321 4.2.1: "ddd-" on every line but the last, "ddd " on the last.
TEST(ReplyReaderTest, MultiLineReply) {
  EXPECT_THAT(Read("250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 1000\r\n"
                   "250 SMTPUTF8\r\n221 bye\r\n"),
              ElementsAre("250 [\"mx.example.org\", \"PIPELINING\", "
                          "\"SIZE 1000\", \"SMTPUTF8\"] @0",
                          "221 [\"bye\"] @65"));
}

TEST(ReplyReaderTest, IncompleteReplyNeedsData) {
  EXPECT_THAT(Read("250-a\r\n250-b\r\n250 c"), IsEmpty());
}

// RFC 5321 4.2: Reply-code [ SP textstring ] CRLF: the last line's text is
// optional, so "250" alone is a whole reply with one empty line; "ddd-"
// lines may be empty too.
TEST(ReplyReaderTest, LinesWithoutText) {
  EXPECT_THAT(Read("250\r\n250-\r\n250 \r\n"),
              ElementsAre("250 [\"\"] @0", "250 [\"\", \"\"] @5"));
}

// RFC 5321 4.2: the code is %x32-35 %x30-35 %x30-39.
TEST(ReplyReaderTest, MalformedCodes) {
  EXPECT_THAT(Read("25\r\n2x0 a\r\n150 a\r\n650 a\r\n260 a\r\n"
                   "abc\r\n\r\n250 ok\r\n"),
              ElementsAre("!bad-reply-code @0", "!bad-reply-code @4",
                          "!bad-reply-code @11", "!bad-reply-code @18",
                          "!bad-reply-code @26", "!bad-reply-code @32",
                          "!bad-reply-code @37", "250 [\"ok\"] @39"));
}

TEST(ReplyReaderTest, BadSeparator) {
  EXPECT_THAT(Read("250_ok\r\n250\tok\r\n250 ok\r\n"),
              ElementsAre("!bad-reply-separator @3", "!bad-reply-separator @11",
                          "250 [\"ok\"] @16"));
}

// RFC 5321 4.2.1: every line has the same code. The fault ends the reply;
// the next line starts a new one, so the next reply is not swallowed.
TEST(ReplyReaderTest, MixedCodes) {
  EXPECT_THAT(Read("250-a\r\n251 b\r\n250 c\r\n"),
              ElementsAre("!mixed-reply-codes @7", "250 [\"c\"] @14"));
}

// A fault inside a reply drops the lines read so far.
TEST(ReplyReaderTest, FaultInsideAReplyDropsIt) {
  EXPECT_THAT(Read("250-a\r\n250-b\n250 c\r\n221 bye\r\n"),
              ElementsAre("!bare-lf @12", "221 [\"bye\"] @20"));
  EXPECT_THAT(Read("250-a\r\n250-" + std::string(600, 'x') + "\r\n250 c\r\n"),
              ElementsAre("!line-too-long @7", "250 [\"c\"] @613"));
}

// Memory is bounded by lines per reply: with a bound of 3, a fourth line is
// a fault and the rest of that reply is skipped through its last line.
TEST(ReplyReaderTest, TooManyLines) {
  EXPECT_THAT(Read("250-1\r\n250-2\r\n250 3\r\n", 3),
              ElementsAre("250 [\"1\", \"2\", \"3\"] @0"));
  EXPECT_THAT(Read("250-1\r\n250-2\r\n250-3\r\n250-4\r\n250-5\r\n250 6\r\n"
                   "221 bye\r\n",
                   3),
              ElementsAre("!too-many-reply-lines @21", "221 [\"bye\"] @42"));
  // The line over the bound may be the last one.
  EXPECT_THAT(Read("250-1\r\n250-2\r\n250-3\r\n250 4\r\n250 ok\r\n", 3),
              ElementsAre("!too-many-reply-lines @21", "250 [\"ok\"] @28"));
  // Skipping stops at a line with another code, which is read as usual.
  EXPECT_THAT(Read("250-1\r\n250-2\r\n250-3\r\n250-4\r\n500 no\r\n", 3),
              ElementsAre("!too-many-reply-lines @21", "500 [\"no\"] @28"));
}

// RFC 5321 4.5.3.1.5: 512 octets per reply line with CRLF.
TEST(ReplyReaderTest, ReplyLineLimit) {
  const std::string ok = "250 " + std::string(506, 'a') + "\r\n";
  const std::string too_long = "250 " + std::string(507, 'b') + "\r\n";
  EXPECT_THAT(Read(ok + too_long + "221 x\r\n"),
              ElementsAre(::testing::StartsWith("250 [\"aaa"),
                          "!line-too-long @512", "221 [\"x\"] @1025"));
}

// RFC 3463 2 and RFC 2034 3: the enhanced code of the first line, when its
// class matches the reply code, is taken off every line that repeats it.
TEST(ReplyReaderTest, EnhancedStatusCodes) {
  EXPECT_THAT(Read("250-2.1.0 first\r\n250-2.1.0 second\r\n250 2.1.0 last\r\n"
                   "550 5.7.1 denied\r\n"
                   "250 2.0.0\r\n"
                   "451-4.3.0 a\r\n451-b\r\n451 4.3.1 c\r\n"
                   "554 5.7.1\r\n"),
              ElementsAre("250 2.1.0 [\"first\", \"second\", \"last\"] @0",
                          "550 5.7.1 [\"denied\"] @51", "250 2.0.0 [\"\"] @69",
                          "451 4.3.0 [\"a\", \"b\", \"4.3.1 c\"] @80",
                          "554 5.7.1 [\"\"] @113"));
}

TEST(ReplyReaderTest, NotEnhancedStatusCodes) {
  EXPECT_THAT(
      Read("250 5.1.1 wrong class\r\n"  // class must be the code's digit
           "354 3.0.0 no class 3\r\n"   // RFC 3463 2: class is 2, 4 or 5
           "250 2.1.1234 too long\r\n"  // parts are 1 to 3 digits
           "250 2.1.0x\r\n"             // must end in space or line end
           "250 2.1 short\r\n"
           "250 2..1 empty\r\n"),
      ElementsAre("250 [\"5.1.1 wrong class\"] @0",
                  "354 [\"3.0.0 no class 3\"] @23",
                  "250 [\"2.1.1234 too long\"] @45", "250 [\"2.1.0x\"] @68",
                  "250 [\"2.1 short\"] @80", "250 [\"2..1 empty\"] @95"));
}

TEST(ReplyReaderTest, EnhancedCodeValues) {
  auto events =
      ReadEverySplit([] { return ReplyReader(); }, "550 5.123.45 x\r\n");
  ASSERT_EQ(events.size(), 1u);
  const Reply& reply = std::get<Received<Reply>>(events[0]).value;
  EXPECT_EQ(reply.enhanced, (EnhancedCode{5, 123, 45}));
  EXPECT_EQ(reply.lines, std::vector<std::string>{"x"});
}

TEST(ReplyReaderTest, NoticesOfAllLinesAreKept) {
  EXPECT_THAT(Read("250-a\n250-b\r\n250 c\n", kReplyLinesMax,
                   {.max_line = kReplyLineMax, .accept_bare_lf = true}),
              ElementsAre("250 [\"a\", \"b\", \"c\"] @0 +bare-lf @5 "
                          "+bare-lf @18"));
}

// RFC 3207 6: bytes after the 220 to STARTTLS and before the handshake must
// not be read as if protected; the client can see them.
TEST(ReplyReaderTest, BytesAfterStarttlsReplyAreVisible) {
  ReplyReader reader;
  reader.Feed("220 go ahead\r\n250 fake\r\n");
  EXPECT_EQ(Describe(reader.Next()), "220 [\"go ahead\"] @0");
  EXPECT_EQ(reader.buffered(), 10u);
  EXPECT_EQ(reader.TakeBuffered(), "250 fake\r\n");
  EXPECT_TRUE(std::holds_alternative<NeedData>(reader.Next()));
}

}  // namespace
}  // namespace smtpspec::wire
