// Session logs in the transcript format: plain CRLF lines as C:/S:, every
// other byte sequence (bare LF, NUL, 8-bit, glob characters, over-long
// lines; RFC 5321 2.3.8 and 4.5.3.1) written exactly as a raw line.
#include "agents/transcript_log.h"

#include "gtest/gtest.h"

namespace smtpspec::agents::transcript_log {
namespace {

// Feeds `input` split at every point (and byte by byte), checking that the
// log is the same every time, and returns it.
std::string Log(Side side, std::string_view input, std::size_t max = 4096) {
  Formatter whole(side, max);
  std::string expected;
  whole.Feed(input, expected);
  whole.Finish(expected);
  for (std::size_t split = 0; split <= input.size(); ++split) {
    Formatter f(side, max);
    std::string out;
    f.Feed(input.substr(0, split), out);
    f.Feed(input.substr(split), out);
    f.Finish(out);
    EXPECT_EQ(out, expected) << "split at " << split;
  }
  Formatter bytewise(side, max);
  std::string out;
  for (char c : input) bytewise.Feed(std::string_view(&c, 1), out);
  bytewise.Finish(out);
  EXPECT_EQ(out, expected) << "byte by byte";
  return expected;
}

// The bytes a log stands for, decoding C:/S: lines (plus CRLF) and raw
// C!/S! strings; a check that the log loses nothing.
std::string Bytes(std::string_view log) {
  std::string out;
  while (!log.empty()) {
    std::size_t end = log.find('\n');
    std::string_view line = log.substr(0, end);
    log.remove_prefix(end + 1);
    if (line[1] == ':') {
      out.append(line.substr(3));
      out += "\r\n";
      continue;
    }
    std::string_view s = line.substr(4, line.size() - 5);  // inside quotes
    std::size_t repeat = 1;
    for (std::size_t i = 0; i < s.size();) {
      char c = s[i++];
      if (c == '\\') {
        char e = s[i++];
        if (e == '{') {
          std::size_t close = s.find('}', i);
          repeat = std::stoul(std::string(s.substr(i, close - i)));
          i = close + 1;
          continue;
        }
        if (e == 'x') {
          c = static_cast<char>(std::stoi(std::string(s.substr(i, 2)), 0, 16));
          i += 2;
        } else {
          c = e == 'r'   ? '\r'
              : e == 'n' ? '\n'
              : e == 't' ? '\t'
              : e == '0' ? '\0'
                         : e;
        }
      }
      out.append(repeat, c);
      repeat = 1;
    }
  }
  return out;
}

TEST(TranscriptLogTest, PlainCrlfLinesBecomeCAndSLines) {
  std::string input = "EHLO client.example\r\nMAIL FROM:<a@b.example>\r\n";
  std::string log = Log(Side::kClient, input);
  EXPECT_EQ(log, "C: EHLO client.example\nC: MAIL FROM:<a@b.example>\n");
  EXPECT_EQ(Bytes(log), input);
  EXPECT_EQ(Log(Side::kServer, "250-mx hello\r\n250 SIZE 1000\r\n"),
            "S: 250-mx hello\nS: 250 SIZE 1000\n");
}

// RFC 5321 2.3.8: lines end in CRLF; a bare LF must be visible as such.
TEST(TranscriptLogTest, BareLfAndBareCrAreShownExactly) {
  std::string input = "EHLO x\nQUIT\r\ndata\r.\r\n";
  std::string log = Log(Side::kClient, input);
  EXPECT_EQ(log, "C! \"EHLO x\\n\"\nC: QUIT\nC! \"data\\r.\\r\\n\"\n");
  EXPECT_EQ(Bytes(log), input);
}

TEST(TranscriptLogTest, BinaryAndSpecialCharactersGoRaw) {
  std::string input = std::string("MAIL\0\xff\t\"x\"\r\n", 12) +
                      "RCPT TO:<a*b@c>\r\n" + "NOOP ${x} # not a comment\r\n" +
                      "\r\n" + " leading\r\n" + "trailing \r\n" + "...\r\n";
  std::string log = Log(Side::kClient, input);
  EXPECT_EQ(log,
            "C! \"MAIL\\0\\xff\\t\\\"x\\\"\\r\\n\"\n"
            "C! \"RCPT TO:<a*b@c>\\r\\n\"\n"
            "C! \"NOOP \\${x} # not a comment\\r\\n\"\n"
            "C! \"\\r\\n\"\n"
            "C! \" leading\\r\\n\"\n"
            "C! \"trailing \\r\\n\"\n"
            "C! \"...\\r\\n\"\n");
  EXPECT_EQ(Bytes(log), input);
}

// RFC 5321 4.5.3.1.4: a hostile over-long command line. The log holds at
// most max_pending bytes, writes runs compactly, and the tail of a cut line
// is not mistaken for a line of its own.
TEST(TranscriptLogTest, OverLongLinesAreCutIntoBoundedRawPieces) {
  std::string input = std::string(300, 'A') + "\r\nNOOP\r\n";
  std::string log = Log(Side::kClient, input, 128);
  EXPECT_EQ(log,
            "C! \"\\{128}A\"\nC! \"\\{128}A\"\nC! \"\\{44}A\\r\\n\"\n"
            "C: NOOP\n");
  EXPECT_EQ(Bytes(log), input);
}

TEST(TranscriptLogTest, UnfinishedLineIsWrittenRawAtTheEnd) {
  std::string log = Log(Side::kClient, "QUIT");
  EXPECT_EQ(log, "C! \"QUIT\"\n");
}

TEST(TranscriptLogTest, SessionInterleavesBothSidesInOrder) {
  SessionLog session;
  std::string out;
  session.Server("220 mx ready\r\n", out);
  session.Client("EHLO c.example\r\nSTA", out);
  session.Client("RTTLS\r\n", out);
  session.Server("220 go ahead\r\n", out);
  session.StartTls(out);
  session.Client("QU", out);
  session.Server("421 bye\r\n", out);  // the client's half line comes first
  session.Finish(out);
  EXPECT_EQ(out,
            "S: 220 mx ready\n"
            "C: EHLO c.example\n"
            "C: STARTTLS\n"
            "S: 220 go ahead\n"
            "!starttls\n"
            "C! \"QU\"\n"
            "S: 421 bye\n");
}

}  // namespace
}  // namespace smtpspec::agents::transcript_log
