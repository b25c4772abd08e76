// BDAT's argument and chunk framing (RFC 3030 2).
#include "engine/bdat/bdat.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace smtpspec::bdat {
namespace {

using namespace std::string_literals;

// bdat-cmd ::= "BDAT" SP chunk-size [ SP end-marker ] CR LF.
TEST(BdatTest, ParseArgument_Rfc3030_2) {
  EXPECT_EQ(*ParseArgument("0"), (Argument{0, false}));
  EXPECT_EQ(*ParseArgument("0 LAST"), (Argument{0, true}));
  EXPECT_EQ(*ParseArgument("1048576"), (Argument{1048576, false}));
  EXPECT_EQ(*ParseArgument("12 LAST"), (Argument{12, true}));
  // Keywords are case-insensitive (RFC 5321 2.4).
  EXPECT_EQ(*ParseArgument("12 last"), (Argument{12, true}));
  EXPECT_EQ(*ParseArgument("007 Last"), (Argument{7, true}));
  EXPECT_EQ(*ParseArgument("18446744073709551615"),
            (Argument{UINT64_MAX, false}));
}

TEST(BdatTest, MalformedArgumentsSayWhy_Rfc3030_2) {
  struct Case {
    std::string argument;
    std::size_t offset;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"", 0, "BDAT needs the chunk size in octets"},
      {" 5", 0, "BDAT needs the chunk size in octets"},
      {"LAST", 0, "the chunk size must be decimal digits"},
      {"-5", 0, "the chunk size must be decimal digits"},
      {"5x LAST", 0, "the chunk size must be decimal digits"},
      {"0x10", 0, "the chunk size must be decimal digits"},
      {"18446744073709551616", 0, "the chunk size is too large"},
      {"5 LAT", 2, "only LAST may follow the chunk size (RFC 3030 2)"},
      {"5  LAST", 2, "only LAST may follow the chunk size (RFC 3030 2)"},
      {"5 LAST LAST", 2, "only LAST may follow the chunk size (RFC 3030 2)"},
      {"5 ", 2, "only LAST may follow the chunk size (RFC 3030 2)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.argument);
    Result<Argument> parsed = ParseArgument(c.argument);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().offset, c.offset);
    EXPECT_EQ(parsed.error().reason, c.reason);
  }
}

// A size that parses is a chunk the client sent, whatever follows it.
TEST(BdatTest, AnnouncedSizeIgnoresTheRest_Rfc3030_2) {
  EXPECT_EQ(AnnouncedSize("5 LAT"), 5u);
  EXPECT_EQ(AnnouncedSize("5 LAST"), 5u);
  EXPECT_EQ(AnnouncedSize("5\tLAST"), 5u);
  EXPECT_EQ(AnnouncedSize("5 \t"), 5u);
  EXPECT_EQ(AnnouncedSize("0"), 0u);
  EXPECT_EQ(AnnouncedSize("5x"), std::nullopt);
  EXPECT_EQ(AnnouncedSize(""), std::nullopt);
  EXPECT_EQ(AnnouncedSize(" 5"), std::nullopt);
  EXPECT_EQ(AnnouncedSize("99999999999999999999"), std::nullopt);
}

// The chunk is octets, not lines: the end-of-data line, bare CR and LF and
// NUL are all content, and the next command starts right after.
TEST(BdatTest, ChunkIsOctetsNotLines_Rfc3030_2) {
  const std::string chunk = "a\r\n.\r\nb\nc\rd\0e."s;
  const std::string after = "RSET\r\n";
  const std::string stream = chunk + after;
  // Whole, one byte at a time, and split in two everywhere.
  std::vector<std::vector<std::size_t>> cuts = {{}};
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < stream.size(); ++i) {
    every.push_back(i);
    cuts.push_back({i});
  }
  cuts.push_back(every);
  for (const std::vector<std::size_t>& cut : cuts) {
    SCOPED_TRACE(cut.size());
    ChunkReader reader(chunk.size(), 1024);
    std::string rest;
    std::size_t from = 0;
    std::vector<std::size_t> ends = cut;
    ends.push_back(stream.size());
    for (std::size_t end : ends) {
      const std::string_view piece =
          std::string_view(stream).substr(from, end - from);
      const std::size_t used = reader.Feed(piece);
      ASSERT_LE(used, piece.size());
      rest += piece.substr(used);
      from = end;
    }
    EXPECT_TRUE(reader.done());
    EXPECT_EQ(reader.content(), chunk);
    EXPECT_EQ(rest, after);
    EXPECT_FALSE(reader.truncated());
  }
}

TEST(BdatTest, EmptyChunkIsDoneAtOnce_Rfc3030_2) {
  ChunkReader reader(0, 10);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.Feed("QUIT\r\n"), 0u);
  EXPECT_EQ(reader.content(), "");
}

// A lying or huge size costs no memory beyond max_store; the octets are
// still counted, so the stream stays in step.
TEST(BdatTest, StoresAtMostMaxStore) {
  ChunkReader reader(10, 4);
  EXPECT_EQ(reader.Feed("abc"), 3u);
  EXPECT_EQ(reader.TakeContent(), "abc");
  EXPECT_EQ(reader.Feed("defghijNOOP"), 7u);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.content(), "d");  // taken octets count against the bound
  EXPECT_TRUE(reader.truncated());
  EXPECT_EQ(reader.size(), 10u);
  EXPECT_EQ(reader.remaining(), 0u);

  ChunkReader counting(UINT64_MAX);  // the default keeps nothing
  EXPECT_EQ(counting.Feed(std::string(4096, 'x')), 4096u);
  EXPECT_EQ(counting.content(), "");
  EXPECT_EQ(counting.remaining(), UINT64_MAX - 4096);
  EXPECT_FALSE(counting.done());
}

}  // namespace
}  // namespace smtpspec::bdat
