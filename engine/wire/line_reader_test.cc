#include "engine/wire/line_reader.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
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
using testing_util::Drain;
using testing_util::ReadEverySplit;

auto Reader(Policy policy = {}) {
  return [policy] { return LineReader(policy); };
}

std::vector<std::string> Read(std::string_view input, Policy policy = {}) {
  return Describe(ReadEverySplit(Reader(policy), input));
}

constexpr Policy kLenient{.max_line = kCommandLineMax,
                          .accept_bare_lf = true,
                          .accept_bare_cr = true,
                          .accept_nul = true};

// RFC 5321 2.3.8: lines end in CRLF. Offsets count from the stream start.
TEST(LineReaderTest, SplitsCrlfLinesWithOffsets) {
  EXPECT_THAT(
      Read("EHLO a\r\nNOOP\r\n\r\nQUIT\r\n"),
      ElementsAre("\"EHLO a\" @0", "\"NOOP\" @8", "\"\" @14", "\"QUIT\" @16"));
}

TEST(LineReaderTest, OwnedLinesMatchViews) {
  LineReader reader;
  reader.Feed("EHLO a\r\nNO");
  Event<Line> first = reader.Next();
  ASSERT_TRUE(std::holds_alternative<Line>(first));
  EXPECT_EQ(std::get<Line>(first), (Line{"EHLO a", 0, LineEnd::kCrlf, {}}));
  EXPECT_TRUE(std::holds_alternative<NeedData>(reader.Next()));
  EXPECT_EQ(reader.buffered(), 2u);
  EXPECT_EQ(reader.offset(), 8u);
}

TEST(LineReaderTest, IncompleteLineNeedsData) {
  EXPECT_THAT(Read("EHLO a\r"), IsEmpty());
  EXPECT_THAT(Read(""), IsEmpty());
}

TEST(LineReaderTest, StartOffsetShiftsEveryOffset) {
  auto events = testing_util::ReadChunks([] { return LineReader({}, 1000); },
                                         "A\r\nB\nC\r\n", {});
  EXPECT_THAT(Describe(events), ElementsAre("\"A\" @1000", "!bare-lf @1004"));
}

// RFC 5321 4.5.3.1.4: 512 octets including CRLF; 511 and 512 are fine, 513
// is too long. The reader recovers at the next line.
TEST(LineReaderTest, CommandLimitAtTheBoundary) {
  const std::string l511 = std::string(509, 'a') + "\r\n";
  const std::string l512 = std::string(510, 'b') + "\r\n";
  const std::string l513 = std::string(511, 'c') + "\r\n";
  auto events = ReadEverySplit(Reader(), l511 + l512 + l513 + "QUIT\r\n");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(std::get<Line>(events[0]).text, l511.substr(0, 509));
  EXPECT_EQ(std::get<Line>(events[1]).text, l512.substr(0, 510));
  const Problem& problem = std::get<Problem>(events[2]);
  EXPECT_EQ(problem.fault, Fault::kLineTooLong);
  EXPECT_EQ(problem.offset, 1023u);
  EXPECT_EQ(problem.line, l513.substr(0, 512));  // the first 512 octets
  EXPECT_THAT(problem.reason, ::testing::HasSubstr("RFC 5321 4.5.3.1"));
  EXPECT_EQ(std::get<Line>(events[3]).text, "QUIT");
  EXPECT_EQ(std::get<Line>(events[3]).offset, 1536u);
}

// A bare LF counts as one octet of line end where it is accepted.
TEST(LineReaderTest, BareLfLineAtTheBoundary) {
  const std::string ok = std::string(511, 'a') + "\n";
  const std::string too_long = std::string(512, 'b') + "\n";
  EXPECT_THAT(
      Read(ok + too_long + "Q\n", kLenient),
      ElementsAre("\"" + std::string(511, 'a') + "\" @0 LF +bare-lf @511",
                  "!line-too-long @512", "\"Q\" @1025 LF +bare-lf @1026"));
}

// RFC 5321 4.5.3.1.6: text lines are 1000 octets including CRLF.
TEST(LineReaderTest, TextLimitAtTheBoundary) {
  const Policy text{.max_line = kTextLineMax};
  const std::string l999 = std::string(997, 'a') + "\r\n";
  const std::string l1000 = std::string(998, 'b') + "\r\n";
  const std::string l1001 = std::string(999, 'c') + "\r\n";
  auto events = ReadEverySplit(Reader(text), l999 + l1000 + l1001 + ".\r\n");
  EXPECT_THAT(Describe(events),
              ElementsAre(::testing::StartsWith("\"aaa"),
                          ::testing::StartsWith("\"bbb"),
                          "!line-too-long @1999", "\".\" @3000"));
}

// The fault comes as soon as the limit is crossed, before the line ends, so
// a server can answer 500 at once; the rest of the line is dropped.
TEST(LineReaderTest, TooLongLineIsReportedBeforeItsEnd) {
  LineReader reader;
  reader.Feed(std::string(600, 'x'));
  Event<Line> event = reader.Next();
  ASSERT_TRUE(std::holds_alternative<Problem>(event));
  EXPECT_EQ(std::get<Problem>(event).offset, 0u);
  EXPECT_EQ(reader.buffered(), 0u);
  EXPECT_TRUE(std::holds_alternative<NeedData>(reader.Next()));
  reader.Feed("yyy\r\nRSET\r\n");
  EXPECT_THAT(Describe(Drain(reader)), ElementsAre("\"RSET\" @605"));
}

// No input may grow memory without bound: 10 MB without a line end, in
// several chunk sizes, keeps at most a line's worth buffered.
TEST(LineReaderTest, MemoryStaysBoundedWithoutLineEnds) {
  const std::size_t total = 10 * 1024 * 1024;
  const std::string block(total, 'z');
  for (std::size_t chunk : {std::size_t{1} << 12, std::size_t{65537}, total}) {
    SCOPED_TRACE(chunk);
    LineReader reader;
    std::vector<std::string> events;
    std::size_t max_buffered = 0;
    for (std::size_t at = 0; at < total; at += chunk) {
      reader.Feed(std::string_view(block).substr(at, chunk));
      max_buffered = std::max(max_buffered, reader.buffered());
      for (const std::string& e : Describe(Drain(reader))) events.push_back(e);
      max_buffered = std::max(max_buffered, reader.buffered());
    }
    EXPECT_LE(max_buffered, kCommandLineMax);
    reader.Feed("\r\nQUIT\r\n");
    for (const std::string& e : Describe(Drain(reader))) events.push_back(e);
    EXPECT_THAT(events, ElementsAre("!line-too-long @0",
                                    "\"QUIT\" @" + std::to_string(total + 2)));
  }
}

// Lines waiting unread keep the bytes after them whole (they may belong to
// another reader); the too-long check then happens when they are read.
TEST(LineReaderTest, UndrainedBytesAreCheckedWhenRead) {
  LineReader reader;
  reader.Feed("A\r\n" + std::string(600, 'x'));
  reader.Feed("x");
  EXPECT_EQ(reader.buffered(), 604u);
  reader.Feed("\r\nB\r\n");
  EXPECT_THAT(Describe(Drain(reader)),
              ElementsAre("\"A\" @0", "!line-too-long @3", "\"B\" @606"));
  reader.Feed("C\r\n");
  EXPECT_THAT(Describe(Drain(reader)), ElementsAre("\"C\" @609"));
}

TEST(LineReaderTest, UndrainedPartialLineCrossingTheLimit) {
  LineReader reader;
  reader.Feed("A\r\n" + std::string(600, 'x'));
  EXPECT_THAT(Describe(reader.Next()), "\"A\" @0");
  // Not drained to NeedData: Feed finds the partial line too long.
  reader.Feed("x\r\nB\r\n");
  EXPECT_THAT(Describe(Drain(reader)),
              ElementsAre("!line-too-long @3", "\"B\" @606"));
}

// RFC 5321 2.3.8 and 4.1.1.4: by default a bare LF ends no line. The line
// runs on to the CRLF, and is one Problem at its first bare LF; nothing
// after a bare LF is ever delivered as a line.
TEST(LineReaderTest, BareLfRejectedByDefault) {
  EXPECT_THAT(Read("EHLO a\nMAIL FROM:<>\nNOOP\r\nRSET\r\n"),
              ElementsAre("!bare-lf @6", "\"RSET\" @26"));
}

// RFC 5321 2.3.8: "Conforming implementations MUST NOT recognize or
// generate any other character or character sequence as a line
// terminator." "RSET<LF>RSET<CRLF>" is one line, so one Problem (one 500),
// carrying the whole line with its bare LF, in every chunking.
TEST(LineReaderTest, BareLfIsInsideOneLine) {
  auto events = ReadEverySplit(Reader(), "RSET\nRSET\r\nNOOP\r\n");
  ASSERT_THAT(Describe(events), ElementsAre("!bare-lf @4", "\"NOOP\" @11"));
  const Problem& problem = std::get<Problem>(events[0]);
  EXPECT_EQ(problem.line, "RSET\nRSET");
  EXPECT_THAT(problem.reason, ::testing::HasSubstr("RFC 5321 2.3.8"));
  // The same, a byte at a time with Next() drained after each byte: the
  // Problem comes only when the CRLF arrives.
  LineReader reader;
  std::vector<std::string> seen;
  for (char c : std::string_view("RSET\nRSET\r\n")) {
    EXPECT_THAT(seen, IsEmpty());
    reader.Feed(std::string_view(&c, 1));
    for (const std::string& e : Describe(Drain(reader))) seen.push_back(e);
  }
  EXPECT_THAT(seen, ElementsAre("!bare-lf @4"));
  // Several bare LFs, and an LF as the line's first octet: still one line.
  EXPECT_THAT(Read("\n\nA\nB\r\n"), ElementsAre("!bare-lf @0"));
}

// RFC 5321 2.3.8 and 4.5.3.1: a bare LF does not reset the length count,
// and a too-long line is discarded up to its CRLF, not its first bare LF.
TEST(LineReaderTest, BareLfsCountTowardTheLineLimit) {
  std::string lfs;
  while (lfs.size() < 600) lfs += "a\n";
  EXPECT_THAT(Read(lfs + "x\r\nQUIT\r\n"),
              ElementsAre("!line-too-long @0", "\"QUIT\" @603"));
  // Exactly at the limit: 510 octets with two bare LFs, then CRLF.
  const std::string l512 =
      std::string(254, 'a') + "\n" + std::string(254, 'b') + "\n" + "\r\n";
  ASSERT_EQ(l512.size(), kCommandLineMax);
  EXPECT_THAT(Read(l512 + "Q\r\n"), ElementsAre("!bare-lf @254", "\"Q\" @512"));
  EXPECT_THAT(Read("x" + l512 + "Q\r\n"),
              ElementsAre("!line-too-long @0", "\"Q\" @513"));
  // Memory stays bounded when a client sends only bare LFs.
  LineReader reader;
  for (int i = 0; i < 100000; ++i) {
    reader.Feed("NOOP\n");
    Drain(reader);
    EXPECT_LT(reader.buffered(), kCommandLineMax);
  }
}

// SMTP smuggling: "<LF>.<CRLF>" must not yield a "." line that would end
// DATA; nor "<CR><LF>.<LF>" (the LF after "." is bare).
TEST(LineReaderTest, NoLineStartsAfterABareLf) {
  const Policy text{.max_line = kTextLineMax};
  for (std::string_view input :
       {"body\n.\r\nMAIL FROM:<x>\r\n", "body\r\n.\nMAIL FROM:<x>\r\n",
        "body\n\n.\r\n"}) {
    SCOPED_TRACE(::testing::PrintToString(input));
    for (const auto& event : ReadEverySplit(Reader(text), input)) {
      if (const Line* line = std::get_if<Line>(&event)) {
        EXPECT_NE(line->text, ".");
      }
    }
  }
  EXPECT_THAT(Read("body\n.\r\nMAIL FROM:<x>\r\n", text),
              ElementsAre("!bare-lf @4", "\"MAIL FROM:<x>\" @8"));
}

TEST(LineReaderTest, BareLfAcceptedIsNoticed) {
  EXPECT_THAT(Read("EHLO a\nQUIT\r\n", kLenient),
              ElementsAre("\"EHLO a\" @0 LF +bare-lf @6", "\"QUIT\" @7"));
}

// The CR before an LF may arrive in an earlier chunk than the LF, also
// inside a too-long line being discarded.
TEST(LineReaderTest, CrlfAcrossChunksAfterTooLongLine) {
  EXPECT_THAT(Read(std::string(600, 'x') + "\r\nB\r\n"),
              ElementsAre("!line-too-long @0", "\"B\" @602"));
  // Rejected, the bare LF ends nothing: "B" belongs to the long line.
  EXPECT_THAT(Read(std::string(600, 'x') + "\nB\r\nC\r\n"),
              ElementsAre("!line-too-long @0", "\"C\" @604"));
  EXPECT_THAT(Read(std::string(600, 'x') + "\nB\r\n", kLenient),
              ElementsAre("!line-too-long @0", "\"B\" @601"));
}

// RFC 5321 2.3.8: CR only in CRLF.
TEST(LineReaderTest, BareCr) {
  EXPECT_THAT(Read("NO\rOP\r\n\r\r\nQUIT\r\n"),
              ElementsAre("!bare-cr @2", "!bare-cr @7", "\"QUIT\" @10"));
  EXPECT_THAT(
      Read("NO\rOP\r\n\r\r\n", kLenient),
      ElementsAre("\"NO\\rOP\" @0 +bare-cr @2", "\"\\r\" @7 +bare-cr @7"));
}

// The check works a word at a time: a CR or NUL at any position of a line
// of any length must still be found.
TEST(LineReaderTest, BareCrAndNulFoundAtEveryPosition) {
  for (std::size_t size = 1; size <= 40; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      for (char bad : {'\r', '\0'}) {
        std::string line(size, '\xe9');
        line[at] = bad;
        LineReader reader;
        reader.Feed(line + "\r\n");
        EXPECT_THAT(
            Describe(reader.Next()),
            (bad == '\r' ? "!bare-cr @" : "!nul @") + std::to_string(at))
            << size;
      }
    }
  }
}

TEST(LineReaderTest, Nul) {
  const std::string input("NO\0OP\r\nQUIT\r\n", 13);
  EXPECT_THAT(Read(input), ElementsAre("!nul @2", "\"QUIT\" @7"));
  EXPECT_THAT(Read(input, kLenient),
              ElementsAre("\"NO\\0OP\" @0 +nul @2", "\"QUIT\" @7"));
}

TEST(LineReaderTest, ProblemsCarryTheLineAndAReason) {
  auto events =
      ReadEverySplit(Reader(), std::string("A\rB\r\nC\0\r\nD\nE\r\n", 14));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(std::get<Problem>(events[0]).line, "A\rB");
  EXPECT_EQ(std::get<Problem>(events[1]).line, std::string("C\0", 2));
  EXPECT_EQ(std::get<Problem>(events[2]).line, "D\nE");
  for (const auto& event : events) {
    EXPECT_THAT(std::get<Problem>(event).reason, ::testing::HasSubstr("RFC"));
  }
}

// After DATA's 354 (RFC 5321 4.1.1.4) or BDAT (RFC 3030) the bytes that
// follow go to another reader, with the offset they start at.
TEST(LineReaderTest, HandsOffBufferedBytes) {
  LineReader reader;
  reader.Feed("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n");
  EXPECT_THAT(Describe(reader.Next()), "\"DATA\" @0");
  EXPECT_EQ(reader.offset(), 6u);
  EXPECT_EQ(reader.TakeBuffered(), "Subject: x\r\n\r\nbody\r\n.\r\n");
  EXPECT_EQ(reader.buffered(), 0u);
  EXPECT_EQ(reader.offset(), 29u);
  EXPECT_TRUE(std::holds_alternative<NeedData>(reader.Next()));
  reader.Feed("QUIT\r\n");
  EXPECT_THAT(Describe(reader.Next()), "\"QUIT\" @29");
}

// RFC 3207 6, CVE-2011-0411: a command pipelined after STARTTLS in the same
// packet is plaintext injected into the TLS session; it must be detectable.
TEST(LineReaderTest, BytesAfterStarttlsAreVisible) {
  LineReader reader;
  reader.Feed("STARTTLS\r\nRSET\r\n");
  EXPECT_THAT(Describe(reader.Next()), "\"STARTTLS\" @0");
  EXPECT_EQ(reader.buffered(), 6u);
  LineReader clean;
  clean.Feed("STARTTLS\r\n");
  EXPECT_THAT(Describe(clean.Next()), "\"STARTTLS\" @0");
  EXPECT_EQ(clean.buffered(), 0u);
}

// The fast path takes only clean lines and leaves anything else, unread,
// to NextView.
TEST(LineReaderTest, NextCleanTakesOnlyCleanLines) {
  LineReader reader;
  reader.Feed(std::string("A\r\nB\n\r\nC\rD\r\nE\0\r\n", 16) +
              std::string(600, 'x') + "\r\nF\r\nG");
  std::string_view text;
  std::size_t offset = 99;
  ASSERT_TRUE(reader.NextClean(&text, &offset));
  EXPECT_EQ(text, "A");
  EXPECT_EQ(offset, 0u);
  std::vector<std::string> rest;
  while (true) {
    if (reader.NextClean(&text, &offset)) {
      rest.push_back("clean " + std::string(text) + " @" +
                     std::to_string(offset));
      continue;
    }
    Event<LineView> event = reader.NextView();
    if (std::holds_alternative<NeedData>(event)) break;
    rest.push_back(std::holds_alternative<Problem>(event)
                       ? Describe(std::get<Problem>(event))
                       : "view");
  }
  EXPECT_THAT(rest, ElementsAre("!bare-lf @4", "!bare-cr @8", "!nul @13",
                                "!line-too-long @16", "clean F @618"));
  EXPECT_FALSE(reader.NextClean(&text, &offset));
  EXPECT_EQ(reader.buffered(), 1u);  // "G" waits for its line end
}

// Property: for random bytes rich in CR, LF and NUL, under every policy and
// a small limit, the events do not depend on the chunking, offsets only
// grow, a delivered line never holds LF, and the reader's memory stays
// within the limit whenever it has been drained.
TEST(LineReaderTest, RandomInputsAreSplitIndependent) {
  std::uint32_t seed = 12345;
  auto random = [&seed](std::uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % n;
  };
  constexpr char kAlphabet[] = {'a',  'b', ' ',  '\r',   '\n',
                                '\0', '.', '\t', '\xe9', '\x0e'};
  for (int round = 0; round < 300; ++round) {
    std::string input;
    const std::size_t size = random(40);
    for (std::size_t i = 0; i < size; ++i) {
      input += kAlphabet[random(sizeof kAlphabet)];
    }
    const Policy policy{.max_line = random(4) == 0 ? 40 : 2 + random(8),
                        .accept_bare_lf = random(2) == 1,
                        .accept_bare_cr = random(2) == 1,
                        .accept_nul = random(2) == 1};
    SCOPED_TRACE(::testing::PrintToString(input) + " max " +
                 std::to_string(policy.max_line));
    std::size_t last = 0;
    for (const auto& event : ReadEverySplit(Reader(policy), input)) {
      std::visit(
          [&](const auto& e) {
            if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Line>) {
              EXPECT_EQ(e.text.find('\n'), std::string::npos);
              EXPECT_LE(e.text.size() + 1, policy.max_line);
              // Defects the Policy rejects never reach a line; those it
              // accepts come with a notice each.
              const auto crs = std::count(e.text.begin(), e.text.end(), '\r');
              const auto nuls = std::count(e.text.begin(), e.text.end(), '\0');
              if (!policy.accept_bare_cr) {
                EXPECT_EQ(crs, 0);
              }
              if (!policy.accept_nul) {
                EXPECT_EQ(nuls, 0);
              }
              EXPECT_EQ(e.notices.size(),
                        static_cast<std::size_t>(crs + nuls +
                                                 (e.end == LineEnd::kBareLf)));
            }
            if constexpr (!std::is_same_v<std::decay_t<decltype(e)>,
                                          NeedData>) {
              EXPECT_GE(e.offset, last);
              last = e.offset;
            }
          },
          event);
    }
    LineReader bytewise(policy);
    for (char c : input) {
      bytewise.Feed(std::string_view(&c, 1));
      Drain(bytewise);
      EXPECT_LT(bytewise.buffered(), policy.max_line);
    }
  }
}

}  // namespace
}  // namespace smtpspec::wire
