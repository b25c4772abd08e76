// The stream view reads a client's bytes as a conformant server does: BDAT
// chunks by their announced size (RFC 3030 2), DATA content to its end
// (RFC 5321 4.1.1.4), commands in between, however the bytes are split.
#include "interpreter/stream_view.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::interp {
namespace {

using namespace std::string_literals;
using ::testing::ElementsAre;

// One line per item: "C <line>", "chunk <octets>", "end <content>",
// "problem <line>".
std::vector<std::string> Drain(StreamView& view) {
  std::vector<std::string> out;
  while (std::optional<StreamItem> item = view.Next()) {
    switch (item->kind) {
      case StreamItem::Kind::kCommand:
        out.push_back("C " + item->line);
        break;
      case StreamItem::Kind::kBdatChunk:
        out.push_back("chunk " + item->content);
        break;
      case StreamItem::Kind::kDataEnd:
        out.push_back("end " + item->content);
        break;
      case StreamItem::Kind::kProblem:
        out.push_back("problem " + item->line);
        break;
    }
    // What a server under test would answer: 354 to DATA.
    if (item->kind == StreamItem::Kind::kCommand &&
        item->command.verb == Verb::kData) {
      view.BeginData();
    }
  }
  return out;
}

// `input` whole, one byte at a time and in two pieces at every point: the
// items must not depend on the split. Returns the whole feed's.
std::vector<std::string> EveryWay(std::string_view input) {
  StreamView whole(/*lenient=*/false);
  whole.Feed(input);
  const std::vector<std::string> expected = Drain(whole);
  EXPECT_EQ(whole.buffered(), 0u);
  {
    StreamView bytes(/*lenient=*/false);
    std::vector<std::string> items;
    for (char c : input) {
      bytes.Feed(std::string_view(&c, 1));
      for (std::string& item : Drain(bytes)) items.push_back(std::move(item));
    }
    EXPECT_EQ(items, expected) << "one byte at a time";
  }
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    StreamView two(/*lenient=*/false);
    two.Feed(input.substr(0, cut));
    std::vector<std::string> items = Drain(two);
    two.Feed(input.substr(cut));
    for (std::string& item : Drain(two)) items.push_back(std::move(item));
    EXPECT_EQ(items, expected) << "cut at " << cut;
  }
  return expected;
}

// The chunk is octets: the end-of-data line, bare CR and LF, NUL and a
// command line inside it are data; the next command follows it directly.
TEST(StreamViewTest, BdatChunksAreOctets_Rfc3030_2) {
  EXPECT_THAT(EveryWay("EHLO c.example\r\n"
                       "BDAT 13\r\na\r\n.\r\nQUIT\r\n\0"
                       "BDAT 3 LAST\r\nb\nc"
                       "QUIT\r\n"s),
              ElementsAre("C EHLO c.example", "C BDAT 13",
                          "chunk a\r\n.\r\nQUIT\r\n\0"s, "C BDAT 3 LAST",
                          "chunk b\nc", "C QUIT"));
}

TEST(StreamViewTest, EmptyChunk_Rfc3030_2) {
  EXPECT_THAT(EveryWay("BDAT 0 LAST\r\nQUIT\r\n"),
              ElementsAre("C BDAT 0 LAST", "chunk ", "C QUIT"));
}

// The size is read as the engine's server reads it: a malformed argument
// with a readable size still has its chunk ("6 LAT", "2<TAB>"); without a
// size there is no chunk and the next line is a command.
TEST(StreamViewTest, SizeAsTheServerReadsIt_Rfc3030_2) {
  EXPECT_THAT(EveryWay("BDAT 6 LAT\r\nNOOP\r\nRSET\r\n"),
              ElementsAre("C BDAT 6 LAT", "chunk NOOP\r\n", "C RSET"));
  EXPECT_THAT(EveryWay("BDAT 2\t\r\nabRSET\r\n"),
              ElementsAre("C BDAT 2\t", "chunk ab", "C RSET"));
  EXPECT_THAT(EveryWay("BDAT 5x\r\nNOOP\r\n"),
              ElementsAre("C BDAT 5x", "C NOOP"));
  EXPECT_THAT(EveryWay("BDAT\r\nNOOP\r\n"), ElementsAre("C BDAT", "C NOOP"));
}

// Inside DATA content "BDAT 5" is a content line, not a command.
TEST(StreamViewTest, BdatInsideDataIsContent_Rfc5321_4_1_1_4) {
  EXPECT_THAT(EveryWay("DATA\r\nBDAT 5\r\n.\r\nNOOP\r\n"),
              ElementsAre("C DATA", "end BDAT 5\r\n", "C NOOP"));
}

TEST(StreamViewTest, InChunkUntilTheLastOctet) {
  StreamView view(/*lenient=*/true);
  view.Feed("BDAT 4\r\nab");
  EXPECT_THAT(Drain(view), ElementsAre("C BDAT 4"));
  EXPECT_TRUE(view.in_chunk());
  view.Feed("cd");
  EXPECT_THAT(Drain(view), ElementsAre("chunk abcd"));
  EXPECT_FALSE(view.in_chunk());
}

// The harness's own stream keeps no chunk octets, and frames them the same.
TEST(StreamViewTest, FramingWithoutKeeping) {
  StreamView view(/*lenient=*/false, /*max_chunk=*/0);
  view.Feed("BDAT 4 LAST\r\nQUITNOOP\r\n");
  EXPECT_THAT(Drain(view), ElementsAre("C BDAT 4 LAST", "chunk ", "C NOOP"));
}

}  // namespace
}  // namespace smtpspec::interp
