#include "engine/data/dot_stuffer.h"

#include <string>

#include "engine/data/test_util.h"
#include "gtest/gtest.h"

namespace smtpspec::data {
namespace {

using testing::StuffEverySplit;

// Stuffs with kConvert in every chunking and returns the wire bytes.
std::string Wire(std::string_view content) {
  Result<std::string> r = StuffEverySplit(content, LineEndings::kConvert);
  EXPECT_TRUE(r.ok()) << r.error().reason;
  return r.ok() ? *r : "";
}

// RFC 5321 4.5.2: every line that begins with '.' gets one more '.'.
TEST(StufferTest, DoublesLeadingDots) {
  EXPECT_EQ(Wire(".\r\n"), "..\r\n.\r\n");
  EXPECT_EQ(Wire("..\r\n"), "...\r\n.\r\n");
  EXPECT_EQ(Wire(".x\r\n"), "..x\r\n.\r\n");
  EXPECT_EQ(Wire("a\r\n.\r\nb\r\n"), "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(Wire("a\r\n.hidden\r\n..\r\n"), "a\r\n..hidden\r\n...\r\n.\r\n");
}

// RFC 5321 4.5.2: only the first character of a line is checked.
TEST(StufferTest, LeavesOtherDotsAlone) {
  EXPECT_EQ(Wire("a.b.\r\n"), "a.b.\r\n.\r\n");
  EXPECT_EQ(Wire(" .\r\n"), " .\r\n.\r\n");
  EXPECT_EQ(Wire("x..\r\n...y"), "x..\r\n....y\r\n.\r\n");
}

// RFC 5321 4.1.1.4: empty content is ".<CRLF>" right after the 354.
TEST(StufferTest, EmptyContentIsJustTheDotLine) {
  EXPECT_EQ(Wire(""), ".\r\n");
  Stuffer stuffer;
  std::string out;
  ASSERT_TRUE(stuffer.Feed("", &out).ok());
  ASSERT_TRUE(stuffer.Finish(&out).ok());
  EXPECT_EQ(out, ".\r\n");
}

// RFC 5321 4.1.1.4: the first CRLF of <CRLF>.<CRLF> ends the last line, so
// content ending in CRLF gets only ".<CRLF>", other content "<CRLF>.<CRLF>".
TEST(StufferTest, FinishAddsCrlfOnlyWhenMissing) {
  EXPECT_EQ(Wire("Subject: x\r\n\r\nbody\r\n"),
            "Subject: x\r\n\r\nbody\r\n.\r\n");
  EXPECT_EQ(Wire("Subject: x\r\n\r\nbody"), "Subject: x\r\n\r\nbody\r\n.\r\n");
  EXPECT_EQ(Wire("\r\n"), "\r\n.\r\n");
  EXPECT_EQ(Wire("."), "..\r\n.\r\n");
}

// RFC 5321 2.3.8: bare LF and bare CR are never sent; kConvert makes CRLF.
TEST(StufferTest, ConvertsBareLineEndings) {
  EXPECT_EQ(Wire("a\nb\n"), "a\r\nb\r\n.\r\n");
  EXPECT_EQ(Wire("a\rb\r"), "a\r\nb\r\n.\r\n");
  EXPECT_EQ(Wire("a\r\r\nb"), "a\r\n\r\nb\r\n.\r\n");
  EXPECT_EQ(Wire("a\n\r"), "a\r\n\r\n.\r\n");
  EXPECT_EQ(Wire("\n"), "\r\n.\r\n");
  EXPECT_EQ(Wire("\r"), "\r\n.\r\n");
}

// RFC 5321 2.3.8 and 4.5.2: a converted line end starts a line, so a dot
// after a bare LF is stuffed. This is what defuses "<LF>.<LF>" smuggling.
TEST(StufferTest, StuffsDotsAfterConvertedLineEnds) {
  EXPECT_EQ(Wire("a\n.\nb"), "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(Wire("a\r.\rb"), "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(Wire("a\r\n.\r"), "a\r\n..\r\n.\r\n");
}

// RFC 5321 2.3.8 under kReject: the offset names the bare byte, counted
// from the first content byte across chunks.
TEST(StufferTest, RejectsBareLineEndingsWithOffset) {
  Result<std::string> lf =
      StuffEverySplit("ab\r\ncd\nef", LineEndings::kReject);
  ASSERT_FALSE(lf.ok());
  EXPECT_EQ(lf.error().offset, 6u);
  EXPECT_NE(lf.error().reason.find("bare LF"), std::string::npos);
  EXPECT_NE(lf.error().reason.find("2.3.8"), std::string::npos);

  Result<std::string> cr =
      StuffEverySplit("ab\r\ncd\ref", LineEndings::kReject);
  ASSERT_FALSE(cr.ok());
  EXPECT_EQ(cr.error().offset, 6u);
  EXPECT_NE(cr.error().reason.find("bare CR"), std::string::npos);

  // A CR at the very end is bare: Finish sees no LF will follow.
  Result<std::string> last = StuffEverySplit("abc\r", LineEndings::kReject);
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().offset, 3u);

  Result<std::string> good =
      StuffEverySplit(".a\r\n\r\n.\r\n", LineEndings::kReject);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, "..a\r\n\r\n..\r\n.\r\n");
}

// RFC 5321 2.3.8: once refused, the message stays refused, so a caller
// cannot send the half that follows a bare LF by mistake.
TEST(StufferTest, ErrorIsSticky) {
  Stuffer stuffer(LineEndings::kReject);
  std::string out;
  EXPECT_FALSE(stuffer.Feed("a\nb", &out).ok());
  Status again = stuffer.Feed("c\r\n", &out);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().offset, 1u);
  EXPECT_FALSE(stuffer.Finish(&out).ok());
}

// RFC 5321 4.1.1.4: nothing follows the end of data.
TEST(StufferTest, NothingAfterFinish) {
  Stuffer stuffer;
  std::string out;
  ASSERT_TRUE(stuffer.Feed("a", &out).ok());
  ASSERT_TRUE(stuffer.Finish(&out).ok());
  EXPECT_EQ(out, "a\r\n.\r\n");
  EXPECT_FALSE(stuffer.Feed("b", &out).ok());
  EXPECT_FALSE(stuffer.Finish(&out).ok());
  EXPECT_EQ(out, "a\r\n.\r\n");
}

// RFC 6152 (8BITMIME) and RFC 5321 4.5.2: bytes other than CR, LF and a
// leading '.' pass through untouched, NUL and 8-bit included.
TEST(StufferTest, PassesEightBitAndNul) {
  const std::string content("\xff\x80\0.\xc3\xa9\r\n.\0", 10);
  EXPECT_EQ(Wire(content),
            std::string("\xff\x80\0.\xc3\xa9\r\n..\0\r\n.\r\n", 16));
}

// RFC 5321 4.5.2: many small chunks cost nothing extra and lose nothing.
TEST(StufferTest, CountsContentAcrossChunks) {
  Stuffer stuffer;
  std::string out;
  for (std::string_view chunk : {".", "a\r", "\n.", "", "\r\n"}) {
    ASSERT_TRUE(stuffer.Feed(chunk, &out).ok());
  }
  EXPECT_EQ(stuffer.content_size(), 7u);
  ASSERT_TRUE(stuffer.Finish(&out).ok());
  EXPECT_EQ(out, "..a\r\n..\r\n.\r\n");
}

// RFC 5321 4.5.2: the one-call form agrees with the streaming one.
TEST(StufferTest, StuffInOneCall) {
  Result<std::string> r = Stuff("a\n.b");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "a\r\n..b\r\n.\r\n");
  EXPECT_FALSE(Stuff("a\n.b", LineEndings::kReject).ok());
}

}  // namespace
}  // namespace smtpspec::data
