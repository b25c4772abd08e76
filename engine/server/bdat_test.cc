// CHUNKING (RFC 3030 2) in the server: BDAT at the command level (Machine)
// and on the byte stream (Session), where every conversation is fed whole,
// one byte at a time and split in two at every point.
#include <string>
#include <vector>

#include "engine/server/machine.h"
#include "engine/server/session.h"
#include "engine/server/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::server {
namespace {

using namespace std::string_literals;
using testing::At;
using testing::ConverseEveryWay;
using testing::Driver;
using ::testing::ElementsAre;
using testing::FakeBackend;
using testing::HasEvent;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Summary;
using testing::Transcript;

constexpr std::string_view kAccepted = "250 2.0.0 OK: message accepted";
constexpr std::string_view kNeedMail =
    "503 5.5.1 Need MAIL and RCPT before BDAT";
constexpr std::string_view kFailedBefore =
    "503 5.5.1 An earlier BDAT of this transaction failed; send RSET";

// ---------------------------------------------------------------------------
// The machine.

// RFC 3030 2: one chunk with LAST is the whole message; its reply is the
// transaction's, after the backend stored it (RFC 5321 4.1.1.4).
TEST(ServerBdat, OneChunkLast_Rfc3030_2) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("7 LAST", "a\r\n.\r\nb"), kAccepted);
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.handler().messages[0].content, "a\r\n.\r\nb");
  EXPECT_EQ(d.handler().messages[0].envelope.recipients.size(), 1u);
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kMessageAccepted));
  EXPECT_EQ(d.machine().state(), State::kReady);
  EXPECT_EQ(d.handler().resets, 1);
}

// "A 250 response MUST be sent to each successful BDAT data block"; the
// message is the chunks in order; a zero-size chunk is legal anywhere.
TEST(ServerBdat, SeveralChunks_Rfc3030_2) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction(2));
  EXPECT_EQ(d.Bdat("3", "abc"), "250 2.0.0 3 octets received");
  EXPECT_EQ(d.Bdat("0", ""), "250 2.0.0 0 octets received");
  EXPECT_EQ(d.Say("NOOP"), "250 2.0.0 OK");  // between chunks: fine
  EXPECT_EQ(d.Bdat("2", "\0\n"s), "250 2.0.0 2 octets received");
  EXPECT_TRUE(d.handler().messages.empty());
  EXPECT_EQ(d.Bdat("1 last", "z"), kAccepted);  // LAST in any case (2.4)
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.handler().messages[0].content, "abc\0\nz"s);
  EXPECT_EQ(d.handler().messages[0].envelope.recipients.size(), 2u);
}

// "The last BDAT command MAY have a byte-count of zero"; alone, it sends
// an empty message.
TEST(ServerBdat, ZeroLast_Rfc3030_2) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("5", "hello"), "250 2.0.0 5 octets received");
  EXPECT_EQ(d.Bdat("0 LAST", ""), kAccepted);
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.handler().messages[0].content, "hello");

  ASSERT_EQ(d.Code("MAIL FROM:<>"), 250);
  ASSERT_EQ(d.Code("RCPT TO:<b@example.org>"), 250);
  EXPECT_EQ(d.Bdat("0 LAST", ""), kAccepted);
  ASSERT_EQ(d.handler().messages.size(), 2u);
  EXPECT_EQ(d.handler().messages[1].content, "");
}

// Out of sequence: 503, and the chunk is still awaited and read (RFC 3030
// 2). The refusal changes nothing, as a refused DATA changes nothing.
TEST(ServerBdat, OutOfSequenceIs503AndTheChunkIsRead_Rfc3030_2) {
  Driver d;
  // Before EHLO (and so before ENHANCEDSTATUSCODES, RFC 2034 3).
  EXPECT_EQ(d.Bdat("4 LAST", "NOOP"), "503 Need MAIL and RCPT before BDAT");
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Bdat("6", "RSET\r\n"), kNeedMail);  // before MAIL
  EXPECT_EQ(d.machine().state(), State::kReady);
  ASSERT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
  // As DATA without a recipient (RFC 5321 4.1.1.4).
  EXPECT_EQ(d.Bdat("1 LAST", "x"), "503 5.5.1 No valid recipients");
  EXPECT_EQ(d.machine().state(), State::kMail);
  ASSERT_EQ(d.Code("RCPT TO:<b@example.org>"), 250);
  EXPECT_EQ(d.Bdat("1 LAST", "y"), kAccepted);
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.handler().messages[0].content, "y");
  EXPECT_EQ(d.handler().resets, 1);
}

// "Any BDAT command sent after the BDAT LAST is illegal and MUST be replied
// to with a 503".
TEST(ServerBdat, BdatAfterLastIs503_Rfc3030_2) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Bdat("2 LAST", "ab"), kAccepted);
  EXPECT_EQ(d.Bdat("2", "cd"), kNeedMail);
  EXPECT_EQ(d.Bdat("2 LAST", "cd"), kNeedMail);
  EXPECT_EQ(d.handler().messages.size(), 1u);
}

// "If a DATA statement is issued after a BDAT for the current transaction,
// a 503 "Bad sequence of commands" MUST be issued. The state resulting from
// this error is indeterminate. A RSET command MUST be sent".
TEST(ServerBdat, DataAfterBdatIs503UntilRset_Rfc3030_2) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Bdat("3", "abc"), "250 2.0.0 3 octets received");
  EXPECT_EQ(d.Say("DATA"),
            "503 5.5.1 DATA after BDAT in one transaction; send RSET (RFC "
            "3030 2)");
  EXPECT_NE(d.machine().state(), State::kData);
  EXPECT_EQ(d.Bdat("1", "d"), kFailedBefore);
  EXPECT_EQ(d.Code("DATA"), 503);
  EXPECT_EQ(d.Say("RSET"), "250 2.0.0 OK");
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("1 LAST", "e"), kAccepted);
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.handler().messages[0].content, "e");  // nothing of "abc"
}

// DATA and BDAT may share a session, not a transaction: a DATA transaction
// ends at its end of data, so a BDAT after it has no transaction (503).
TEST(ServerBdat, BdatAfterDataNeedsANewTransaction_Rfc3030_2) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA"), 354);
  d.machine().FinishData("one\r\n", false, At(2));
  ASSERT_EQ(Summary(d.Take().at(0)), kAccepted);
  EXPECT_EQ(d.Bdat("3 LAST", "two"), kNeedMail);
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("3 LAST", "two"), kAccepted);
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Code("DATA"), 354);  // and DATA again after BDAT
}

// The recipients come before the data (RFC 5321 3.3): once a chunk is in,
// RCPT is a sequence error; MAIL already was (4.1.4).
TEST(ServerBdat, NoRecipientsAfterAChunk_Rfc5321_3_3) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Bdat("1", "a"), "250 2.0.0 1 octets received");
  EXPECT_EQ(d.Say("RCPT TO:<c@example.org>"),
            "503 5.5.1 RCPT after BDAT; send RSET first");
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org>"), 503);
  EXPECT_EQ(d.Bdat("1 LAST", "b"), kAccepted);
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.handler().messages[0].envelope.recipients.size(), 1u);
}

// RFC 3030's grammar; an argument that is wrong gets 501. When the size
// reads, the chunk is read all the same (its octets are data whatever the
// reply); when it does not, nothing is awaited and the next bytes are
// commands. Inside a transaction either failure leaves it indeterminate
// until RSET (RFC 3030 2).
TEST(ServerBdat, MalformedArgumentIs501_Rfc3030_2) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Say("BDAT 5x LAST"),
            "501 5.5.4 Syntax: BDAT chunk-size [LAST]: the chunk size must be "
            "decimal digits");
  EXPECT_FALSE(d.machine().awaited_chunk());
  EXPECT_EQ(d.Bdat("1 LAST", "a"), kFailedBefore);
  EXPECT_EQ(d.machine().state(), State::kReady);  // LAST ends it anyway
  EXPECT_TRUE(d.handler().messages.empty());

  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("3 LAT", "abc"),
            "501 5.5.4 Syntax: BDAT chunk-size [LAST]: only LAST may follow "
            "the chunk size (RFC 3030 2)");
  EXPECT_EQ(d.Bdat("1", "d"), kFailedBefore);
  EXPECT_EQ(d.Code("RSET"), 250);

  EXPECT_EQ(d.Say("BDAT"),
            "501 5.5.4 Syntax: BDAT chunk-size [LAST]: BDAT needs the chunk "
            "size in octets");
  EXPECT_EQ(d.Code("BDAT 99999999999999999999"), 501);
  EXPECT_EQ(d.Code("BDAT -1"), 501);
  EXPECT_FALSE(d.machine().awaited_chunk());
  // Trailing blanks are dropped before parsing, as for every command
  // (RFC 5321 4.1.1).
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("1 LAST \t", "x"), kAccepted);
}

// RFC 1870 6.2 / RFC 5321 4.5.3.1.10: the size limit counts every chunk of
// the message. The chunk that passes it is read and refused 552; the rest
// of the transaction is refused 503 until RSET.
TEST(ServerBdat, SizeLimitAcrossChunks_Rfc1870_6_2) {
  Config config;
  config.max_message_size = 10;
  Driver d(config);
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("6", "aaaaaa"), "250 2.0.0 6 octets received");
  EXPECT_EQ(d.Bdat("5", "bbbbb"),
            "552 5.3.4 Message size exceeds fixed maximum message size");
  EXPECT_EQ(d.Bdat("1 LAST", "c"), kFailedBefore);
  EXPECT_TRUE(d.handler().messages.empty());
  EXPECT_EQ(d.machine().state(), State::kReady);

  // Exactly the limit is fine; a single chunk over it is 552 at once.
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("6", "aaaaaa"), "250 2.0.0 6 octets received");
  EXPECT_EQ(d.Bdat("4 LAST", "bbbb"), kAccepted);
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("11 LAST", "ccccccccccc"),
            "552 5.3.4 Message size exceeds fixed maximum message size");
  EXPECT_EQ(d.machine().state(), State::kReady);
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.handler().messages[0].content, "aaaaaabbbb");
  // A size that cannot fit anywhere is 552 too, and still awaited.
  ASSERT_TRUE(d.OpenTransaction());
  d.Say("BDAT 18446744073709551615");
  EXPECT_EQ(d.machine().awaited_chunk(), UINT64_MAX);
}

// RFC 5321 4.1.1.5 and RFC 3030 2: RSET, and EHLO (4.1.4), drop the chunks
// received so far.
TEST(ServerBdat, RsetAndEhloDiscardChunks_Rfc5321_4_1_1_5) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Bdat("3", "abc"), "250 2.0.0 3 octets received");
  EXPECT_EQ(d.Code("RSET"), 250);
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Bdat("3", "def"), "250 2.0.0 3 octets received");
  ASSERT_TRUE(d.OpenTransaction());  // EHLO again
  EXPECT_EQ(d.Bdat("2 LAST", "gh"), kAccepted);
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.handler().messages[0].content, "gh");
  EXPECT_EQ(d.handler().resets, 3);
}

// The backend decides about the message, as for DATA: its refusal is the
// reply to BDAT LAST, and the transaction is over.
TEST(ServerBdat, BackendRefusalAtLast) {
  Driver d;
  d.handler().data_answer = Error{554, EnhancedCode{5, 6, 0}, "Rejected"};
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Bdat("1", "a"), "250 2.0.0 1 octets received");
  EXPECT_EQ(d.Bdat("1 LAST", "b"), "554 5.6.0 Rejected");
  EXPECT_THAT(d.handler().calls, ::testing::Contains("DATA 2"));
  EXPECT_EQ(d.machine().state(), State::kReady);
  EXPECT_FALSE(HasEvent(d.events(), event::Kind::kMessageAccepted));
}

// CHUNKING off: not advertised (RFC 3030 2), not in HELP, BDAT 502 (RFC
// 5321 4.2.4), the transaction untouched. The chunk is read all the same.
TEST(ServerBdat, ChunkingOff) {
  Config config;
  ext::Disable(config.extensions, "chunking");
  Driver d(config);
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_THAT(d.last().lines, Not(::testing::Contains("CHUNKING")));
  EXPECT_THAT(d.Say("HELP"), Not(HasSubstr("BDAT")));
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Bdat("4 LAST", "QUIT"),
            "502 5.5.1 Command not implemented: BDAT");
  EXPECT_EQ(d.machine().state(), State::kRcpt);
  EXPECT_EQ(d.Code("DATA"), 354);

  Driver on;
  EXPECT_THAT(on.Say("HELP"), HasSubstr(" BDAT"));
}

// After a 554 greeting everything but QUIT is 503 (RFC 5321 3.1); a BDAT's
// chunk is still read as data (RFC 3030 2).
TEST(ServerBdat, RefusedSession_Rfc5321_3_1) {
  Config config;
  config.greeting = Greeting::kRefuse;
  Driver d(config);
  EXPECT_EQ(d.Bdat("4 LAST", "QUIT"),
            "503 No SMTP service here; only QUIT is accepted");
  EXPECT_EQ(d.Code("BDAT x"), 503);
  EXPECT_EQ(d.machine().state(), State::kRefused);
}

// A chunk is a data block: the server waits data_block for it (RFC 5321
// 4.5.3.2.5 by analogy with DATA), then the command timeout again.
TEST(ServerBdat, ChunkUsesTheDataBlockTimeout_Rfc5321_4_5_3_2) {
  Config config;
  config.timeouts.command = std::chrono::seconds(300);
  config.timeouts.data_block = std::chrono::seconds(180);
  Driver d(config);
  ASSERT_TRUE(d.OpenTransaction());
  d.Say("BDAT 3", 10);
  EXPECT_EQ(d.machine().Deadline(), At(190));
  d.machine().ChunkData("abc");
  d.machine().EndChunk(At(20));
  d.Take();
  EXPECT_EQ(d.machine().Deadline(), At(320));
  d.Say("BDAT 3", 30);
  d.machine().Tick(At(210));
  std::vector<Reply> replies = d.Take();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].code, 421);
  EXPECT_EQ(d.machine().state(), State::kClosed);
  EXPECT_FALSE(d.machine().awaited_chunk());
}

// ---------------------------------------------------------------------------
// The session: the chunk is octets on the stream.

constexpr std::string_view kEhlo =
    "EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n"
    "RCPT TO:<b@example.org>\r\n";
constexpr std::string_view kOpened =
    "220 localhost ESMTP smtpspec\r\n"
    "250-localhost greets client.example\r\n"
    "250-8BITMIME\r\n"
    "250-PIPELINING\r\n"
    "250-SIZE 10485760\r\n"
    "250-ENHANCEDSTATUSCODES\r\n"
    "250 CHUNKING\r\n"
    "250 2.1.0 OK\r\n"
    "250 2.1.5 OK\r\n";

// Pipelined BDAT commands with their chunks (RFC 3030 2 requires a server
// to accept them so, RFC 2920): the chunks hold what DATA would treat as
// the end of data, dot-stuffing, bare CR and LF, NUL and command lines,
// all data; the next command follows each chunk in the same read.
TEST(ServerBdatSession, PipelinedChunksAreOctets_Rfc3030_2) {
  const std::string chunk1 = "Subject: x\r\n\r\n.\r\n..\r\nQUIT\r\n";
  const std::string chunk2 = "a\nb\rc\0d\r\n.\n"s;
  const std::string input = std::string(kEhlo) + "BDAT " +
                            std::to_string(chunk1.size()) + "\r\n" + chunk1 +
                            "BDAT " + std::to_string(chunk2.size()) +
                            " LAST\r\n" + chunk2 + "NOOP\r\nQUIT\r\n";
  Transcript t = ConverseEveryWay(Config{}, input);
  EXPECT_EQ(t.output, std::string(kOpened) + "250 2.0.0 " +
                          std::to_string(chunk1.size()) +
                          " octets received\r\n"
                          "250 2.0.0 OK: message accepted\r\n"
                          "250 2.0.0 OK\r\n"
                          "221 2.0.0 localhost Service closing transmission "
                          "channel\r\n");
  ASSERT_EQ(t.messages.size(), 1u);
  EXPECT_EQ(t.messages[0].content, chunk1 + chunk2);
  // Nothing in a chunk is judged as lines: no bare CR/LF or smuggling.
  ASSERT_EQ(t.events.size(), 2u);
  EXPECT_EQ(t.events[0].kind, event::Kind::kMessageAccepted);
  EXPECT_EQ(t.events[0].size, chunk1.size() + chunk2.size());
  // At the LAST chunk's first octet.
  EXPECT_EQ(t.events[0].offset, input.find(chunk2));
  EXPECT_EQ(t.events[1].kind, event::Kind::kClose);
  EXPECT_EQ(t.state, State::kClosed);
}

// BDAT before MAIL: one 503, and the chunk (two good NOOP commands) is
// read and dropped, not run (RFC 3030 2).
TEST(ServerBdatSession, RefusedChunkIsNotRunAsCommands_Rfc3030_2) {
  Transcript t = ConverseEveryWay(
      Config{},
      "EHLO client.example\r\nBDAT 12 LAST\r\nNOOP\r\nNOOP\r\nQUIT\r\n");
  EXPECT_THAT(t.output, HasSubstr("250 CHUNKING\r\n"
                                  "503 5.5.1 Need MAIL and RCPT before BDAT\r\n"
                                  "221 2.0.0 localhost Service closing"));
  EXPECT_THAT(t.output, Not(HasSubstr("250 2.0.0 OK\r\n")));
  EXPECT_EQ(t.state, State::kClosed);
}

// No size, no chunk: the 501 is followed by the next line as a command.
TEST(ServerBdatSession, MalformedSizeThenCommands_Rfc3030_2) {
  Transcript t = ConverseEveryWay(
      Config{}, "EHLO client.example\r\nBDAT 1x LAST\r\nNOOP\r\n");
  EXPECT_THAT(t.output,
              HasSubstr("250 CHUNKING\r\n"
                        "501 5.5.4 Syntax: BDAT chunk-size [LAST]: the chunk "
                        "size must be decimal digits\r\n"
                        "250 2.0.0 OK\r\n"));
}

// The size limit over chunks on the wire: the chunk past it is read to its
// end and answered 552; the next command is read right after it.
TEST(ServerBdatSession, SizeExceededAcrossChunks_Rfc1870_6_2) {
  Config config;
  config.max_message_size = 20;
  Transcript t = ConverseEveryWay(
      config, std::string(kEhlo) + "BDAT 15\r\n" + std::string(15, 'a') +
                  "BDAT 12\r\nRSET\r\nRSET\r\n" + "BDAT 0 LAST\r\nRSET\r\n");
  EXPECT_THAT(t.output,
              HasSubstr("250 2.0.0 15 octets received\r\n"
                        "552 5.3.4 Message size exceeds fixed maximum message "
                        "size\r\n"
                        "503 5.5.1 An earlier BDAT of this transaction failed; "
                        "send RSET\r\n"
                        "250 2.0.0 OK\r\n"));
  EXPECT_TRUE(t.messages.empty());
  EXPECT_EQ(t.state, State::kReady);
}

// A huge announced chunk costs no memory when it is refused, and is read to
// its end all the same.
TEST(ServerBdatSession, HugeRefusedChunkIsCountedNotStored) {
  Config config;
  config.max_message_size = 1000;
  FakeBackend backend;
  Session session(config, backend, ConnectionInfo{}, At(0));
  session.Feed(std::string(kEhlo) + "BDAT 5000000 LAST\r\n", At(1));
  const std::string block(65536, 'x');
  std::size_t sent = 0;
  while (sent + block.size() <= 5000000) {
    session.Feed(block, At(1));
    sent += block.size();
    ASSERT_TRUE(session.reading_chunk());
  }
  session.Feed(std::string(5000000 - sent, 'y') + "NOOP\r\n", At(1));
  EXPECT_FALSE(session.reading_chunk());
  EXPECT_THAT(session.TakeOutput(),
              ::testing::EndsWith("552 5.3.4 Message size exceeds fixed "
                                  "maximum message size\r\n250 2.0.0 OK\r\n"));
  EXPECT_TRUE(backend.handler.messages.empty());
}

// A client that stops in the middle of a chunk times out (RFC 5321
// 4.5.3.2.7); a shutdown in the middle of one is 421 (3.8).
TEST(ServerBdatSession, TimeoutAndShutdownInAChunk_Rfc5321_4_5_3_2) {
  Config config;
  config.timeouts.data_block = std::chrono::seconds(180);
  FakeBackend backend;
  {
    Session session(config, backend, ConnectionInfo{}, At(0));
    session.Feed(std::string(kEhlo) + "BDAT 10 LAST\r\nabc", At(1));
    EXPECT_TRUE(session.reading_chunk());
    EXPECT_EQ(session.Deadline(), At(181));
    session.TakeOutput();
    session.Tick(At(181));
    EXPECT_THAT(session.TakeOutput(), ::testing::StartsWith("421 4.4.2"));
    EXPECT_TRUE(session.closed());
    session.Feed("defghij", At(182));  // ignored
    EXPECT_EQ(session.TakeOutput(), "");
  }
  {
    Session session(config, backend, ConnectionInfo{}, At(0));
    session.Feed(std::string(kEhlo) + "BDAT 10 LAST\r\nabc", At(1));
    session.TakeOutput();
    session.Shutdown(At(2));
    EXPECT_THAT(session.TakeOutput(), ::testing::StartsWith("421 4.3.2"));
    EXPECT_TRUE(session.closed());
  }
  EXPECT_TRUE(backend.handler.messages.empty());
}

}  // namespace
}  // namespace smtpspec::server
