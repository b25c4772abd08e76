#include "engine/wire/command_reader.h"

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
using testing_util::Describe;
using testing_util::ReadEverySplit;

std::vector<std::string> Read(std::string_view input, Policy policy = {}) {
  return Describe(
      ReadEverySplit([policy] { return CommandReader(policy); }, input));
}

// RFC 5321 4.1.1: verb, one space, argument; the argument is verbatim.
TEST(CommandReaderTest, SplitsVerbAndArgumentAtTheFirstSpace) {
  EXPECT_THAT(
      Read("EHLO client.example.org\r\n"
           "MAIL FROM:<a@example.org> SIZE=1000 BODY=8BITMIME\r\n"
           "RCPT TO:<b@example.org>\r\n"
           "DATA\r\n"),
      ElementsAre(
          "EHLO \"EHLO\" \"client.example.org\" @0",
          "MAIL \"MAIL\" \"FROM:<a@example.org> SIZE=1000 BODY=8BITMIME\" @25",
          "RCPT \"RCPT\" \"TO:<b@example.org>\" @76",
          "DATA \"DATA\" \"\" @101"));
}

// Only the first space splits; further spaces, even doubled ones, belong to
// the argument, which the per-verb parsers judge.
TEST(CommandReaderTest, ArgumentIsVerbatim) {
  EXPECT_THAT(Read("MAIL  FROM:<>\r\nHELP  \r\nNOOP \r\n"),
              ElementsAre("MAIL \"MAIL\" \" FROM:<>\" @0",
                          "HELP \"HELP\" \" \" @15", "NOOP \"NOOP\" \"\" @23"));
}

// RFC 5321 2.4: verbs are case-insensitive; the spelling is kept.
TEST(CommandReaderTest, VerbsAreCaseInsensitive) {
  EXPECT_THAT(
      Read("ehlo x\r\nMaIl FROM:<>\r\nstartTLS\r\nquit\r\n"),
      ElementsAre("EHLO \"ehlo\" \"x\" @0", "MAIL \"MaIl\" \"FROM:<>\" @8",
                  "STARTTLS \"startTLS\" \"\" @22", "QUIT \"quit\" \"\" @32"));
}

// An unknown verb is still a command, for the server to answer 500
// (RFC 5321 4.2.4); so is one with punctuation.
TEST(CommandReaderTest, UnknownVerbsAreCommands) {
  EXPECT_THAT(
      Read("XCLIENT ADDR=1.2.3.4\r\nM@IL x\r\n"),
      ElementsAre("? \"XCLIENT\" \"ADDR=1.2.3.4\" @0", "? \"M@IL\" \"x\" @22"));
}

TEST(CommandReaderTest, EmptyLineIsNotACommand) {
  EXPECT_THAT(Read("\r\nNOOP\r\n"),
              ElementsAre("!empty-command @0", "NOOP \"NOOP\" \"\" @2"));
}

// RFC 5321 2.4: commands are US-ASCII. The offset points at the bad byte.
TEST(CommandReaderTest, EightBitOrControlBytesInTheVerbAreFaults) {
  EXPECT_THAT(Read("MA\xc3\x8fL FROM:<>\r\n \r\n MAIL x\r\nMA\tIL\r\nQUIT\r\n"),
              ElementsAre("!bad-verb @2", "!bad-verb @15", "!bad-verb @18",
                          "!bad-verb @29", "QUIT \"QUIT\" \"\" @34"));
}

// 8-bit bytes in the argument are the argument parsers' business (RFC 6531
// allows UTF-8 there).
TEST(CommandReaderTest, EightBitArgumentIsKept) {
  EXPECT_THAT(
      Read("RCPT TO:<j\xc3\xb8rn@example.org>\r\n"),
      ElementsAre("RCPT \"RCPT\" \"TO:<j\\xC3\\xB8rn@example.org>\" @0"));
}

// Line faults come through as Problems; tolerated ones as notices.
TEST(CommandReaderTest, LineFaultsAndNotices) {
  EXPECT_THAT(Read("NOOP\nQUIT\r\n" + std::string(600, 'a') + "\r\nRSET\r\n"),
              ElementsAre("!bare-lf @4", "!line-too-long @11",
                          "RSET \"RSET\" \"\" @613"));
  EXPECT_THAT(Read("NOOP\nQUIT\r\n", {.accept_bare_lf = true}),
              ElementsAre("NOOP \"NOOP\" \"\" @0 +bare-lf @4",
                          "QUIT \"QUIT\" \"\" @5"));
}

// RFC 5321 4.5.3.1.4 at the boundary: 512 octets with CRLF pass, 513 fail.
TEST(CommandReaderTest, CommandLineLimit) {
  const std::string arg510 = "TO:<" + std::string(500, 'x') + ">";  // 505
  const std::string ok = "RCPT " + arg510 + "\r\n";                 // 512
  const std::string too_long = "RCPT " + arg510 + "y\r\n";          // 513
  auto events = ReadEverySplit([] { return CommandReader(); }, ok + too_long);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<Received<Command>>(events[0]).value.argument, arg510);
  EXPECT_EQ(std::get<Problem>(events[1]).fault, Fault::kLineTooLong);
  EXPECT_EQ(std::get<Problem>(events[1]).offset, 512u);
}

TEST(CommandReaderTest, ParseCommandAlone) {
  std::variant<Command, Problem> parsed = ParseCommand("vrfy postmaster", 7);
  ASSERT_TRUE(std::holds_alternative<Command>(parsed));
  EXPECT_EQ(std::get<Command>(parsed),
            (Command{Verb::kVrfy, "vrfy", "postmaster"}));
  parsed = ParseCommand("", 7);
  ASSERT_TRUE(std::holds_alternative<Problem>(parsed));
  EXPECT_EQ(std::get<Problem>(parsed).offset, 7u);
  EXPECT_THAT(std::get<Problem>(parsed).reason,
              ::testing::HasSubstr("RFC 5321"));
}

// NextView gives what Next gives, as views, in every chunking.
TEST(CommandReaderTest, ViewsMatchCommands) {
  const std::string input = "EHLO x\r\nmail FROM:<a>\r\n\r\nNOOP\nRSET\r\n" +
                            std::string(600, 'y') + "\r\nQUIT \r\nX\tY\r\n";
  const auto commands = ReadEverySplit([] { return CommandReader(); }, input);
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    CommandReader reader;
    std::vector<Event<Received<Command>>> views;
    for (std::string_view piece :
         testing_util::Cut(input, cut == 0 ? std::vector<std::size_t>{}
                                           : std::vector<std::size_t>{cut})) {
      reader.Feed(piece);
      for (auto event = reader.NextView();
           !std::holds_alternative<NeedData>(event);
           event = reader.NextView()) {
        if (auto* view = std::get_if<Received<CommandView>>(&event)) {
          views.push_back(Received<Command>{
              {view->value.verb, std::string(view->value.name),
               std::string(view->value.argument)},
              view->offset,
              view->notices});
        } else {
          views.push_back(std::get<Problem>(event));
        }
      }
    }
    EXPECT_EQ(views, commands) << "cut at " << cut;
  }
}

// After DATA the bytes that follow belong to the data reader; after
// STARTTLS any buffered byte is an injection attempt (RFC 3207 6).
TEST(CommandReaderTest, HandOffAndStarttlsInjection) {
  CommandReader reader;
  reader.Feed("STARTTLS\r\nMAIL FROM:<evil>\r\n");
  EXPECT_EQ(Describe(reader.Next()), "STARTTLS \"STARTTLS\" \"\" @0");
  EXPECT_EQ(reader.buffered(), 18u);
  EXPECT_EQ(reader.offset(), 10u);
  EXPECT_EQ(reader.TakeBuffered(), "MAIL FROM:<evil>\r\n");
  EXPECT_EQ(reader.buffered(), 0u);
  EXPECT_TRUE(std::holds_alternative<NeedData>(reader.Next()));
}

}  // namespace
}  // namespace smtpspec::wire
