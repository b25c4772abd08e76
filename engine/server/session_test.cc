// The byte-level server session: bytes in, reply bytes and events out.
// Every conversation is fed whole, one byte at a time and split in two at
// every point, and must give the same bytes, events and messages
// (RFC 5321 2.3.8, 4.1.1.4, 4.2, 4.5.3.1.4, 4.5.3.2; RFC 2920; RFC 3207).
#include "engine/server/session.h"

#include <random>
#include <string>
#include <vector>

#include "engine/server/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::server {
namespace {

using testing::At;
using testing::Chunkings;
using testing::Converse;
using ::testing::ElementsAre;
using testing::FakeBackend;
using testing::HasEvent;
using ::testing::HasSubstr;
using testing::Transcript;

constexpr std::string_view kGreeting = "220 localhost ESMTP smtpspec\r\n";
constexpr std::string_view kEhloReply =
    "250-localhost greets client.example\r\n"
    "250-8BITMIME\r\n"
    "250-PIPELINING\r\n"
    "250-SIZE 10485760\r\n"
    "250-ENHANCEDSTATUSCODES\r\n"
    "250 CHUNKING\r\n";

// Feeds `input` in every chunking; all must agree with the whole feed,
// which is returned.
constexpr auto Every = testing::ConverseEveryWay;

std::vector<event::Kind> Kinds(const std::vector<Event>& events) {
  std::vector<event::Kind> kinds;
  for (const Event& e : events) kinds.push_back(e.kind);
  return kinds;
}

// RFC 5321 3.3 / 4.1.1.4 / 4.2.1: a whole transaction, exact reply bytes,
// with dot-unstuffing (4.5.2); PIPELINING (RFC 2920) needs no special case.
TEST(ServerSession, PipelinedTransactionExactBytes) {
  std::string input =
      "EHLO client.example\r\n"
      "MAIL FROM:<a@example.org>\r\n"
      "RCPT TO:<b@example.org>\r\n"
      "DATA\r\n"
      "Subject: x\r\n"
      "\r\n"
      "..leading dot\r\n"
      ".\r\n"
      "QUIT\r\n";
  Transcript t = Every(Config{}, input);
  EXPECT_EQ(t.output, std::string(kGreeting) + std::string(kEhloReply) +
                          "250 2.1.0 OK\r\n"
                          "250 2.1.5 OK\r\n"
                          "354 End data with <CR><LF>.<CR><LF>\r\n"
                          "250 2.0.0 OK: message accepted\r\n"
                          "221 2.0.0 localhost Service closing transmission "
                          "channel\r\n");
  ASSERT_EQ(t.messages.size(), 1u);
  EXPECT_EQ(t.messages[0].content, "Subject: x\r\n\r\n.leading dot\r\n");
  EXPECT_THAT(Kinds(t.events),
              ElementsAre(event::Kind::kMessageAccepted, event::Kind::kClose));
  EXPECT_EQ(t.events[0].offset, 79u);  // first content byte, after "DATA\r\n"
  EXPECT_EQ(t.state, State::kClosed);
}

// Two transactions back to back, the second pipelined right after the end
// of the first's data, and an empty message (RFC 5321 4.1.1.4).
TEST(ServerSession, BytesAfterEndOfDataAreCommands) {
  std::string input =
      "HELO c.example\r\n"
      "MAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
      ".\r\n"
      "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
      "one\r\n.\r\nNOOP\r\n";
  Transcript t = Every(Config{}, input);
  ASSERT_EQ(t.messages.size(), 2u);
  EXPECT_EQ(t.messages[0].content, "");
  EXPECT_EQ(t.messages[1].content, "one\r\n");
  EXPECT_THAT(t.output, HasSubstr("250 OK: message accepted\r\n250 OK\r\n"));
  EXPECT_EQ(t.state, State::kReady);
}

// RFC 5321 4.5.3.1.4 / 4.2.2: an over-long command line is 500 and the
// reader resynchronises at the next line.
TEST(ServerSession, LineTooLongThen500AndResync) {
  std::string input = "NOOP " + std::string(600, 'x') + "\r\nNOOP\r\n";
  Transcript t = Every(Config{}, input);
  EXPECT_EQ(t.output, std::string(kGreeting) +
                          "500 Line too long\r\n"
                          "250 OK\r\n");
  ASSERT_THAT(Kinds(t.events), ElementsAre(event::Kind::kLineTooLong));
  EXPECT_EQ(t.events[0].offset, 0u);
}

// The limit is configurable; exactly 512 octets with CRLF is fine.
TEST(ServerSession, LineAtLimitAccepted) {
  std::string line = "NOOP " + std::string(512 - 5 - 2, 'y') + "\r\n";
  ASSERT_EQ(line.size(), 512u);
  EXPECT_EQ(Every(Config{}, line).output,
            std::string(kGreeting) + "250 OK\r\n");
  std::string longer = "NOOP " + std::string(512 - 5 - 1, 'y') + "\r\n";
  EXPECT_THAT(Converse(Config{}, {longer}).output, HasSubstr("500"));
  Config wide;
  wide.max_command_line = 1024;
  EXPECT_THAT(Converse(wide, {longer}).output, HasSubstr("250 OK"));
}

// RFC 5321 2.3.8 / 4.1.1.4: a bare LF does not end a command line unless
// the policy says so; reported either way. Strict, "NOOP<LF>NOOP<CRLF>" is
// one line, answered once.
TEST(ServerSession, BareLfPolicy) {
  std::string input = "NOOP\nNOOP\r\n";
  Transcript strict = Every(Config{}, input);
  EXPECT_EQ(strict.output, std::string(kGreeting) +
                               "500 Bare LF received; lines end with CRLF\r\n");
  EXPECT_TRUE(HasEvent(strict.events, event::Kind::kBareLf));

  Config lenient;
  lenient.accept_bare_lf = true;
  Transcript t = Every(lenient, input);
  EXPECT_EQ(t.output, std::string(kGreeting) + "250 OK\r\n250 OK\r\n");
  ASSERT_THAT(Kinds(t.events), ElementsAre(event::Kind::kBareLf));
  EXPECT_EQ(t.events[0].offset, 4u);
}

// RFC 5321 4.1.1: "SMTP receivers SHOULD tolerate trailing white space
// before the terminating <CRLF>": MAIL and RCPT with SP or HTAB after the
// path are accepted, in every chunking.
TEST(ServerSession, TrailingWhiteSpaceTolerated) {
  Transcript t = Every(Config{},
                       "EHLO client.example\r\n"
                       "MAIL FROM:<a@example.org> \r\n"
                       "RCPT TO:<b@example.org>\t\r\n"
                       "QUIT\r\n");
  EXPECT_EQ(t.output, std::string(kGreeting) + std::string(kEhloReply) +
                          "250 2.1.0 OK\r\n"
                          "250 2.1.5 OK\r\n"
                          "221 2.0.0 localhost Service closing transmission "
                          "channel\r\n");
}

// Not a command at all: empty line, NUL, 8-bit verb: 500 and go on.
TEST(ServerSession, NotCommands) {
  std::string input =
      std::string("\r\nNO\0OP\r\n\xC3\xA9HLO x\r\nNOOP\r\n", 24);
  Transcript t = Every(Config{}, input);
  EXPECT_EQ(t.output, std::string(kGreeting) +
                          "500 Command unrecognized\r\n"
                          "500 NUL byte in command line\r\n"
                          "500 Command unrecognized\r\n"
                          "250 OK\r\n");
  EXPECT_THAT(Kinds(t.events),
              ElementsAre(event::Kind::kBadCommand, event::Kind::kNul,
                          event::Kind::kBadCommand));
}

// SMTP smuggling (RFC 5321 4.1.1.4, 2.3.8): <LF>.<LF> is content for a
// conformant server, and reported; the "smuggled" MAIL is message text.
TEST(ServerSession, SmugglingIsContentAndReported) {
  std::string input =
      "EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n"
      "RCPT TO:<b@example.org>\r\nDATA\r\n"
      "Hi\n.\nMAIL FROM:<evil@example.org>\r\n.\r\n";
  Transcript t = Every(Config{}, input);
  ASSERT_EQ(t.messages.size(), 1u);
  EXPECT_EQ(t.messages[0].content, "Hi\n.\nMAIL FROM:<evil@example.org>\r\n");
  EXPECT_TRUE(HasEvent(t.events, event::Kind::kSmuggling));
  EXPECT_THAT(t.calls, ::testing::Not(::testing::Contains(HasSubstr("evil"))));

  // A deliberately broken server that ends data on <LF>.<LF> runs the
  // smuggled command: what smtpspec must be able to build and detect.
  Config broken;
  broken.accepted_data_ends = {data::notice::Kind::kLfDotLf};
  Transcript b = Every(broken, input);
  EXPECT_THAT(b.calls, ::testing::Contains("MAIL <evil@example.org>"));
  EXPECT_TRUE(HasEvent(b.events, event::Kind::kSmuggling));
}

// RFC 1870 6.2 / RFC 5321 4.5.3.1.10: too big: read to the end, answer 552,
// and carry on with the commands after it.
TEST(ServerSession, MessageTooBig) {
  Config config;
  config.max_message_size = 20;
  std::string input =
      "EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n"
      "RCPT TO:<b@example.org>\r\nDATA\r\n" +
      std::string(30, 'z') + "\r\n.\r\nNOOP\r\n";
  Transcript t = Every(config, input);
  EXPECT_THAT(t.output,
              HasSubstr("354 End data with <CR><LF>.<CR><LF>\r\n"
                        "552 5.3.4 Message size exceeds fixed maximum message "
                        "size\r\n250 2.0.0 OK\r\n"));
  EXPECT_TRUE(t.messages.empty());
}

// RFC 3207 6 / CVE-2011-0411: commands pipelined after STARTTLS in the same
// plaintext packet must be discarded, never executed after the handshake.
TEST(ServerSession, StartTlsDiscardsPipelinedPlaintext) {
  Config config;
  ext::Enable(config.extensions, "starttls");
  std::string input =
      "EHLO client.example\r\nSTARTTLS\r\nMAIL FROM:<evil@example.org>\r\n";
  for (const auto& chunks : Chunkings(input)) {
    FakeBackend backend;
    Session session(config, backend, ConnectionInfo{}, At(0));
    for (std::string_view chunk : chunks) session.Feed(chunk, At(1));
    std::string out = session.TakeOutput();
    EXPECT_THAT(out, HasSubstr("250-STARTTLS\r\n250 CHUNKING\r\n"
                               "220 2.0.0 Ready to start TLS\r\n"));
    EXPECT_THAT(out, ::testing::EndsWith("Ready to start TLS\r\n"));
    std::vector<Event> events = session.TakeEvents();
    ASSERT_TRUE(HasEvent(events, event::Kind::kStartTls));
    ASSERT_TRUE(HasEvent(events, event::Kind::kPlaintextAfterStarttls));
    int reports = 0;
    for (const Event& e : events) {
      if (e.kind == event::Kind::kPlaintextAfterStarttls) {
        ++reports;
        EXPECT_EQ(e.offset, 31u);  // where "MAIL" began
      }
    }
    EXPECT_EQ(reports, 1);
    EXPECT_EQ(session.state(), State::kStartingTls);

    session.TlsEstablished(At(2));
    session.Feed("MAIL FROM:<a@example.org>\r\nEHLO client.example\r\n", At(3));
    out = session.TakeOutput();
    EXPECT_THAT(out, ::testing::StartsWith("503 Send EHLO or HELO first\r\n"));
    EXPECT_THAT(out, ::testing::Not(HasSubstr("STARTTLS")));
    EXPECT_THAT(backend.handler.calls,
                ElementsAre("EHLO client.example", "EHLO client.example"));
  }
}

// RFC 3207 4.2 / RFC 8314: implicit TLS: no STARTTLS offered, envelope.tls.
TEST(ServerSession, ImplicitTls) {
  Config config;
  ext::Enable(config.extensions, "starttls");
  FakeBackend backend;
  ConnectionInfo info;
  info.tls = true;
  Session session(config, backend, info, At(0));
  session.Feed(
      "EHLO c.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>"
      "\r\nDATA\r\nx\r\n.\r\n",
      At(1));
  EXPECT_THAT(session.TakeOutput(), ::testing::Not(HasSubstr("STARTTLS")));
  ASSERT_EQ(backend.handler.messages.size(), 1u);
  EXPECT_TRUE(backend.handler.messages[0].envelope.tls);
  EXPECT_TRUE(backend.connections[0].tls);
}

// RFC 5321 3.1: a backend that refuses the connection: 554 greeting, 503
// to all but QUIT.
TEST(ServerSession, BackendRefusesConnection) {
  FakeBackend backend;
  backend.refuse = Error{554, std::nullopt, "Too many connections"};
  Session session(Config{}, backend,
                  ConnectionInfo{"192.0.2.9:1234", "", false}, At(0));
  session.Feed("EHLO c.example\r\nQUIT\r\n", At(1));
  EXPECT_EQ(session.TakeOutput(),
            "554 localhost Too many connections\r\n"
            "503 No SMTP service here; only QUIT is accepted\r\n"
            "221 localhost Service closing transmission channel\r\n");
  EXPECT_TRUE(session.closed());
  EXPECT_EQ(backend.connections[0].remote_address, "192.0.2.9:1234");
}

// RFC 5321 4.1.1.10: after QUIT nothing more is read.
TEST(ServerSession, NothingAfterQuit) {
  Transcript t = Every(Config{}, "QUIT\r\nNOOP\r\n");
  EXPECT_EQ(t.output, std::string(kGreeting) +
                          "221 localhost Service closing transmission "
                          "channel\r\n");
  EXPECT_TRUE(HasEvent(t.events, event::Kind::kBytesAfterClose));
}

// RFC 5321 4.5.3.2.7 timers as data: Deadline() is exposed; a Feed or Tick
// at or past it gives 421 and close, and late bytes are ignored.
TEST(ServerSession, Timeouts) {
  Config config;
  config.timeouts.command = std::chrono::seconds(300);
  config.timeouts.data_block = std::chrono::seconds(180);
  FakeBackend backend;
  Session session(config, backend, ConnectionInfo{}, At(0));
  EXPECT_EQ(session.Deadline(), At(300));
  session.Feed("EHLO c.example\r\nMAIL FROM:<a@example.org>\r\n", At(100));
  EXPECT_EQ(session.Deadline(), At(400));
  session.Feed("RCPT TO:<b@example.org>\r\nDATA\r\npartial", At(200));
  EXPECT_EQ(session.Deadline(), At(380));  // data block timer
  session.Feed(" content", At(300));
  EXPECT_EQ(session.Deadline(), At(480));
  session.TakeOutput();
  session.Feed("\r\n.\r\n", At(480));  // too late
  EXPECT_EQ(session.TakeOutput(),
            "421 4.4.2 localhost Error: timeout exceeded\r\n");
  EXPECT_TRUE(session.closed());
  EXPECT_FALSE(session.Deadline());
  std::vector<Event> events = session.TakeEvents();
  EXPECT_TRUE(HasEvent(events, event::Kind::kTimeout));
  EXPECT_TRUE(HasEvent(events, event::Kind::kBytesAfterClose));
  EXPECT_TRUE(backend.handler.messages.empty());
  EXPECT_EQ(backend.handler.logouts, 1);
}

TEST(ServerSession, TickTimesOut) {
  FakeBackend backend;
  Session session(Config{}, backend, ConnectionInfo{}, At(0));
  session.TakeOutput();
  session.Tick(At(299));
  EXPECT_EQ(session.TakeOutput(), "");
  session.Tick(At(300));
  EXPECT_EQ(session.TakeOutput(), "421 localhost Error: timeout exceeded\r\n");
  EXPECT_TRUE(session.closed());
}

// RFC 5321 3.8: the agent shuts down with 421, even mid-DATA.
TEST(ServerSession, Shutdown) {
  FakeBackend backend;
  Session session(Config{}, backend, ConnectionInfo{}, At(0));
  session.Feed("EHLO c.example\r\nMAIL FROM:<a@example.org>\r\n", At(1));
  session.TakeOutput();
  session.Shutdown(At(2));
  EXPECT_EQ(session.TakeOutput(),
            "421 4.3.2 localhost Service not available, closing transmission "
            "channel\r\n");
  EXPECT_TRUE(HasEvent(session.TakeEvents(), event::Kind::kClose));
  EXPECT_EQ(backend.handler.resets, 1);
  EXPECT_EQ(backend.handler.logouts, 1);
}

// No input grows memory without bound: a long line without LF is cut at
// the limit (RFC 5321 4.5.3.1.4), a huge message is counted, not kept.
TEST(ServerSession, BoundedMemory) {
  Config config;
  config.max_message_size = 1000;
  FakeBackend backend;
  Session session(config, backend, ConnectionInfo{}, At(0));
  std::string junk(1 << 16, 'a');
  for (int i = 0; i < 64; ++i) session.Feed(junk, At(1));  // 4 MiB, no LF
  session.Feed(
      "\r\nEHLO c.example\r\nMAIL FROM:<a@example.org>\r\n"
      "RCPT TO:<b@example.org>\r\nDATA\r\n",
      At(1));
  std::string line = std::string(998, 'b') + "\r\n";
  for (int i = 0; i < 4096; ++i) session.Feed(line, At(1));  // 4 MiB
  session.Feed(".\r\n", At(1));
  std::string out = session.TakeOutput();
  EXPECT_THAT(out, HasSubstr("500 Line too long\r\n"));
  EXPECT_THAT(out, ::testing::EndsWith("552 5.3.4 Message size exceeds fixed "
                                       "maximum message size\r\n"));
  EXPECT_LE(session.TakeEvents().size(), 10u);
}

// No input crashes the session or makes it buffer without bound: random
// mixtures of command fragments, CR, LF, NUL, dots and 8-bit bytes, fed in
// random chunks (deterministic seed). Whatever happens, the output is
// whole reply lines and the session ends closed after QUIT or a timeout.
TEST(ServerSession, RandomBytesNeverBreakIt) {
  const std::vector<std::string> pieces = {"EHLO c.example\r\n",
                                           "MAIL FROM:<a@example.org>\r\n",
                                           "RCPT TO:<b@example.org>\r\n",
                                           "DATA\r\n",
                                           "\r\n.\r\n",
                                           ".",
                                           "\r",
                                           "\n",
                                           std::string(1, '\0'),
                                           "\xff\xfe",
                                           "STARTTLS\r\n",
                                           "RSET\r\n",
                                           std::string(700, 'x'),
                                           "BDAT 5 LAST\r\n",
                                           "QUIT",
                                           " ",
                                           ":<>"};
  std::mt19937 rng(2920);
  for (int round = 0; round < 200; ++round) {
    std::string input;
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    for (int i = 0; i < 40; ++i) input += pieces[pick(rng)];
    Config config;
    if (round % 2 == 0) ext::Enable(config.extensions, "starttls");
    config.max_message_size = 500;
    FakeBackend backend;
    Session session(config, backend, ConnectionInfo{}, At(0));
    std::size_t at = 0;
    while (at < input.size()) {
      std::size_t n = std::uniform_int_distribution<std::size_t>(1, 64)(rng);
      session.Feed(std::string_view(input).substr(at, n), At(1));
      at += n;
      if (session.state() == State::kStartingTls && round % 4 == 0) {
        session.TlsEstablished(At(1));
      }
    }
    std::string out = session.TakeOutput();
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.substr(out.size() - 2), "\r\n") << round;
    EXPECT_EQ(out.find('\0'), std::string::npos);
    session.Tick(At(10000));  // whatever state it is in, this ends it
    EXPECT_TRUE(session.closed()) << round;
  }
}

}  // namespace
}  // namespace smtpspec::server
