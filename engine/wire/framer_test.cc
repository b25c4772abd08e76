#include "engine/wire/framer.h"

#include <string>
#include <string_view>
#include <vector>

#include "engine/bdat/bdat.h"
#include "gtest/gtest.h"

namespace smtpspec::wire {
namespace {

// Plays the reader of the commands: DATA content follows every DATA
// (as if answered 354) and a chunk every BDAT with a size. Each frame is
// written as one line of text, so a whole stream's framing is one string.
std::string Frames(std::string_view stream, std::size_t step,
                   FramerOptions options = {}) {
  Framer framer(options);
  std::string out;
  std::string chunk;
  auto drain = [&] {
    while (std::optional<Frame> next = framer.Next()) {
      if (auto *line = std::get_if<frame::CommandLine>(&*next)) {
        out += "command " + line->command.name + " '" + line->command.argument +
               "' @" + std::to_string(line->offset) + "+" +
               std::to_string(line->octets) +
               (line->notices.empty() ? "" : " notice") + "\n";
        if (line->command.verb == Verb::kData) framer.BeginData();
        if (line->command.verb == Verb::kBdat) {
          if (auto size = bdat::AnnouncedSize(line->command.argument)) {
            framer.BeginChunk(*size);
          }
        }
      } else if (auto *bad = std::get_if<frame::BadLine>(&*next)) {
        out += "bad @" + std::to_string(bad->problem.offset) + "\n";
      } else if (auto *notice = std::get_if<frame::DataNotice>(&*next)) {
        out += "notice @" + std::to_string(notice->offset) + "\n";
      } else if (auto *end = std::get_if<frame::DataEnd>(&*next)) {
        out += "data '" + end->content + "' @" + std::to_string(end->offset) +
               "+" + std::to_string(end->octets) +
               (end->too_big ? " too big" : "") + "\n";
      } else if (auto *data = std::get_if<frame::ChunkData>(&*next)) {
        chunk += data->octets;
      } else if (auto *done = std::get_if<frame::ChunkEnd>(&*next)) {
        out += "chunk '" + chunk + "' @" + std::to_string(done->offset) + "+" +
               std::to_string(done->size) + "\n";
        chunk.clear();
      }
    }
  };
  for (std::size_t at = 0; at < stream.size(); at += step) {
    framer.Feed(stream.substr(at, step));
    drain();
  }
  return out;
}

// Framing does not depend on how the stream was split.
void ExpectFrames(std::string_view stream, std::string_view want,
                  FramerOptions options = {}) {
  EXPECT_EQ(Frames(stream, stream.size(), options), want);
  EXPECT_EQ(Frames(stream, 1, options), want);
  EXPECT_EQ(Frames(stream, 7, options), want);
}

TEST(FramerTest, CommandsThenDataThenPipelinedCommands) {
  // RFC 2920 3.1: the commands after the end of data are commands again.
  ExpectFrames(
      "MAIL FROM:<a@b>\r\nDATA\r\nHi\r\n..dot\r\n.\r\nRSET\r\nQUIT\r\n",
      "command MAIL 'FROM:<a@b>' @0+17\n"
      "command DATA '' @17+6\n"
      "data 'Hi\r\n.dot\r\n' @23+14\n"
      "command RSET '' @37+6\n"
      "command QUIT '' @43+6\n");
}

TEST(FramerTest, ChunkOctetsAreNeverCommands) {
  // RFC 3030 2: a chunk that looks like commands is still 12 octets.
  ExpectFrames("BDAT 12\r\nQUIT\r\nRSET\r\nBDAT 0 LAST\r\nNOOP\r\n",
               "command BDAT '12' @0+9\n"
               "chunk 'QUIT\r\nRSET\r\n' @9+12\n"
               "command BDAT '0 LAST' @21+13\n"
               "chunk '' @34+0\n"
               "command NOOP '' @34+6\n");
}

TEST(FramerTest, KeepChunkBoundsWhatIsKeptNotWhatIsCounted) {
  FramerOptions options;
  options.keep_chunk = 3;
  ExpectFrames("BDAT 6\r\nabcdefNOOP\r\n",
               "command BDAT '6' @0+8\n"
               "chunk 'abc' @8+6\n"
               "command NOOP '' @14+6\n",
               options);
}

TEST(FramerTest, DataNoticesComeAsDecidedWithStreamOffsets) {
  // A bare LF inside the content (RFC 5321 2.3.8), at stream offset 8.
  ExpectFrames("DATA\r\nab\ncd\r\n.\r\n",
               "command DATA '' @0+6\n"
               "notice @8\n"
               "data 'ab\ncd\r\n' @6+10\n");
}

TEST(FramerTest, BadLinesAndTheDataSizeLimit) {
  FramerOptions options;
  options.data.max_size = 4;
  ExpectFrames(" NOOP\r\nDATA\r\n0123456789\r\n.\r\n",
               "bad @0\n"
               "command DATA '' @7+6\n"
               "data '0123' @13+15 too big\n",
               options);
}

TEST(FramerTest, TakeBufferedAndRestartAfterStarttls) {
  // RFC 3207 6: what was pipelined after STARTTLS is taken away unread, and
  // the TLS stream starts a new reader at its own offset.
  Framer framer;
  framer.Feed("STARTTLS\r\nMAIL FROM:<evil@x>\r\n");
  std::optional<Frame> first = framer.Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(std::get<frame::CommandLine>(*first).command.verb, Verb::kStarttls);
  EXPECT_EQ(framer.offset(), 10u);
  EXPECT_EQ(framer.TakeBuffered(), "MAIL FROM:<evil@x>\r\n");
  EXPECT_EQ(framer.buffered(), 0u);
  framer.Restart(40);
  framer.Feed("EHLO c\r\n");
  std::optional<Frame> next = framer.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(std::get<frame::CommandLine>(*next).offset, 40u);
  EXPECT_FALSE(framer.Next().has_value());
}

TEST(FramerTest, NothingBeforeTheEndOfData) {
  Framer framer;
  framer.Feed("DATA\r\nQUIT\r\n");
  ASSERT_TRUE(framer.Next().has_value());
  framer.BeginData();
  EXPECT_TRUE(framer.in_data());
  // "QUIT" is content now, and the content has not ended.
  EXPECT_FALSE(framer.Next().has_value());
  framer.Feed(".\r\n");
  std::optional<Frame> end = framer.Next();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(std::get<frame::DataEnd>(*end).content, "QUIT\r\n");
  EXPECT_FALSE(framer.in_data());
}

}  // namespace
}  // namespace smtpspec::wire
