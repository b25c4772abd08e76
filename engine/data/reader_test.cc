#include "engine/data/reader.h"

#include <string>

#include "engine/data/test_util.h"
#include "gtest/gtest.h"

namespace smtpspec::data {
namespace {

using notice::Kind;
using testing::ReadEverySplit;
using testing::ReadOutcome;

constexpr std::string_view kPipelined = "RSET\r\nQUIT\r\n";

// RFC 5321 4.1.1.4: ".<CRLF>" right after the 354 is an empty message.
TEST(ReaderTest, EmptyMessage) {
  ReadOutcome r = ReadEverySplit(".\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, 3u);
  EXPECT_EQ(r.content, "");
  EXPECT_EQ(r.size, 0u);
  EXPECT_TRUE(r.notices.empty());
  EXPECT_EQ(r.ended_by, std::nullopt);
}

// RFC 5321 4.1.1.4: the first CRLF of <CRLF>.<CRLF> ends the last content
// line and stays in the content.
TEST(ReaderTest, EndsAtCrlfDotCrlf) {
  ReadOutcome r = ReadEverySplit("Subject: hi\r\n\r\nbody\r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, 24u);
  EXPECT_EQ(r.content, "Subject: hi\r\n\r\nbody\r\n");
  EXPECT_EQ(r.size, r.content.size());
  EXPECT_TRUE(r.notices.empty());
}

// RFC 5321 4.5.2: a line beginning with '.' and holding more loses its
// first '.'; dots elsewhere on a line stay.
TEST(ReaderTest, RemovesStuffedDots) {
  ReadOutcome r = ReadEverySplit("..\r\n...\r\n..x\r\na.b\r\n. \r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, ".\r\n..\r\n.x\r\na.b\r\n \r\n");
  EXPECT_TRUE(r.notices.empty());
}

// RFC 5321 4.1.1.4 and RFC 2920: bytes after the end of data are the next
// pipelined commands; the reader consumes none of them, whatever the split.
TEST(ReaderTest, LeavesPipelinedCommands) {
  for (std::string_view data : {".\r\n", "a\r\n.\r\n", "..\r\n.\r\n"}) {
    const std::string wire = std::string(data) + std::string(kPipelined);
    ReadOutcome r = ReadEverySplit(wire);
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.consumed, data.size());
    EXPECT_EQ(wire.substr(r.consumed), kPipelined);
  }
}

// RFC 5321 4.1.1.4: until the whole <CRLF>.<CRLF> has arrived the data has
// not ended; every prefix of an end leaves the reader waiting.
TEST(ReaderTest, WaitsForTheWholeEnd) {
  for (std::string_view wire :
       {"", "a", "a\r", "a\r\n", "a\r\n.", "a\r\n.\r", ".", ".\r"}) {
    ReadOutcome r = ReadEverySplit(wire);
    EXPECT_FALSE(r.done) << testing::Escape(wire);
    EXPECT_EQ(r.consumed, wire.size());
  }
}

// RFC 5321 4.1.1.4: a line that only starts like the end is content.
TEST(ReaderTest, AlmostEndsAreContent) {
  ReadOutcome r = ReadEverySplit("a\r\n.\r\r\n.x\r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "a\r\n\r\r\nx\r\n");
  ASSERT_EQ(r.notices.size(), 2u);
  EXPECT_EQ(r.notices[0], (Notice{Kind::kCrLfDotCr, 3}));
  EXPECT_EQ(r.notices[1], (Notice{Kind::kBareCr, 4}));
}

// RFC 5321 2.3.8: bare CR and bare LF are content, noticed at their offset.
TEST(ReaderTest, NoticesBareCrAndLf) {
  ReadOutcome r = ReadEverySplit("a\nb\rc\r\r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "a\nb\rc\r\r\n");
  std::vector<Notice> want = {
      {Kind::kBareLf, 1}, {Kind::kBareCr, 3}, {Kind::kBareCr, 5}};
  EXPECT_EQ(r.notices, want);
}

// RFC 5321 4.5.3.1.6: 998 octets of text plus CRLF is the longest line; the
// 999th octet is noticed, once per line, and nothing is buffered for it.
TEST(ReaderTest, NoticesLongLinesOncePerLine) {
  const std::string ok(998, 'a');
  const std::string long1(999, 'b');
  const std::string long2(5000, 'c');
  const std::string wire =
      ok + "\r\n" + long1 + "\r\n" + long2 + "\r\n" + ok + "\r\n.\r\n";
  Reader reader;
  ASSERT_EQ(reader.Feed(wire), wire.size());
  ASSERT_TRUE(reader.done());
  std::vector<Notice> want = {{Kind::kLongLine, 1000 + 998},
                              {Kind::kLongLine, 1000 + 1001 + 998}};
  EXPECT_EQ(reader.notices(), want);
  EXPECT_EQ(reader.content(), wire.substr(0, wire.size() - 3));

  // The same one byte at a time.
  Reader bytewise;
  for (char c : wire) ASSERT_EQ(bytewise.Feed(std::string_view(&c, 1)), 1u);
  EXPECT_TRUE(bytewise.done());
  EXPECT_EQ(bytewise.notices(), want);
}

// RFC 5321 4.5.3.1.6: octets are counted on the wire, a stuffed '.' and a
// bare CR included, a leading "." of a 999-octet line too.
TEST(ReaderTest, LongLineCountsWireOctets) {
  const std::string wire = "." + std::string(997, 'a') + "\r" + "\r\n.\r\n";
  ReadOutcome r = ReadEverySplit(wire);
  ASSERT_TRUE(r.done);
  std::vector<Notice> want = {{Kind::kBareCr, 998}, {Kind::kLongLine, 998}};
  EXPECT_EQ(r.notices, want);
  EXPECT_EQ(r.content, std::string(997, 'a') + "\r\r\n");
}

// RFC 1870 and RFC 5321 4.5.3.1.10: the size counts unstuffed content with
// CRLFs; beyond the maximum it is counted, not stored, and reading goes on
// to the end so that the server can answer 552 in step.
TEST(ReaderTest, SizeAndMaximum) {
  const std::string wire = "12345\r\n..789\r\n.\r\nQUIT\r\n";
  ReaderOptions options;
  options.max_size = 10;
  ReadOutcome r = ReadEverySplit(wire, options);
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, wire.size() - 6);
  EXPECT_EQ(r.size, 13u);
  EXPECT_TRUE(r.too_big);
  EXPECT_EQ(r.content, "12345\r\n.78");

  options.max_size = 13;  // exactly the size: fits
  r = ReadEverySplit(wire, options);
  EXPECT_FALSE(r.too_big);
  EXPECT_EQ(r.content, "12345\r\n.789\r\n");

  options.max_size = 0;
  r = ReadEverySplit(wire, options);
  EXPECT_TRUE(r.done);
  EXPECT_TRUE(r.too_big);
  EXPECT_EQ(r.content, "");
  EXPECT_EQ(r.size, 13u);
}

// RFC 1870 section 6: memory stays bounded however large the message; a
// 10 MB body with a 1 KB limit stores 1 KB and still finds the end.
TEST(ReaderTest, TenMegabytesWithSmallLimit) {
  ReaderOptions options;
  options.max_size = 1024;
  options.max_notices = 10;
  Reader reader(options);
  const std::size_t kBody = 10 * 1024 * 1024;
  // Lines of 78 octets plus CRLF, the first octet a stuffed '.'; every
  // 1000th line carries a bare LF, every 997th is too long.
  std::string chunk;
  std::size_t content = 0, fed = 0, lines = 0;
  while (content < kBody) {
    chunk.clear();
    while (chunk.size() < 64 * 1024 && content < kBody) {
      std::string line = ".." + std::string(76, 'x');
      if (lines % 1000 == 0) line[10] = '\n';
      if (lines % 997 == 0) line += std::string(1000, 'y');
      chunk += line + "\r\n";
      content += line.size() + 1;  // one '.' removed, CRLF kept
      ++lines;
    }
    ASSERT_EQ(reader.Feed(chunk), chunk.size());
    fed += chunk.size();
    ASSERT_LE(reader.content().size(), 1024u);
    ASSERT_LE(reader.notices().size(), 10u);
    ASSERT_FALSE(reader.done());
  }
  ASSERT_EQ(reader.Feed(".\r\nQUIT\r\n"), 3u);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.consumed(), fed + 3);
  EXPECT_EQ(reader.size(), content);
  EXPECT_TRUE(reader.too_big());
  EXPECT_EQ(reader.content().size(), 1024u);
  EXPECT_EQ(reader.content().substr(0, 5), ".xxxx");
  EXPECT_LE(reader.content().capacity(), 4096u);
  EXPECT_EQ(reader.notices().size(), 10u);
  const std::size_t expected_notices =
      (lines + 999) / 1000 + (lines + 996) / 997;
  EXPECT_EQ(reader.notices().size() + reader.dropped_notices(),
            expected_notices);
}

// RFC 1870: a streaming sink may take content as it comes; what it takes
// still counts toward the maximum.
TEST(ReaderTest, TakeContentKeepsCountingTowardTheMaximum) {
  ReaderOptions options;
  options.max_size = 6;
  Reader reader(options);
  EXPECT_EQ(reader.Feed("abcd"), 4u);
  EXPECT_EQ(reader.TakeContent(), "abcd");
  EXPECT_EQ(reader.content(), "");
  EXPECT_EQ(reader.Feed("efgh\r\n.\r\n"), 9u);
  EXPECT_EQ(reader.TakeContent(), "ef");
  EXPECT_EQ(reader.size(), 10u);
  EXPECT_TRUE(reader.too_big());
  EXPECT_TRUE(reader.done());
}

// RFC 5321 2.3.8: notices beyond the cap are counted, not kept.
TEST(ReaderTest, NoticesAreCapped) {
  ReaderOptions options;
  options.max_notices = 2;
  ReadOutcome r = ReadEverySplit("a\nb\nc\nd\n\r\n.\r\n", options);
  EXPECT_TRUE(r.done);
  std::vector<Notice> want = {{Kind::kBareLf, 1}, {Kind::kBareLf, 3}};
  EXPECT_EQ(r.notices, want);
  EXPECT_EQ(r.dropped_notices, 2u);
}

// RFC 6152 and RFC 5321 4.5.2: 8-bit bytes and NUL are content like any.
TEST(ReaderTest, EightBitAndNul) {
  const std::string wire("\xff\0.\r\n.\x80\r\n.\r\n", 12);
  ReadOutcome r = ReadEverySplit(wire);
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, std::string("\xff\0.\r\n\x80\r\n", 8));
}

}  // namespace
}  // namespace smtpspec::data
