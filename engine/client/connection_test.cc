// The byte-level client session: replies split anywhere, commands rendered
// exactly, the body dot-stuffed, malformed replies turned into a session
// error. Each test names the RFC section it checks.
#include "engine/client/connection.h"

#include <string>
#include <utility>
#include <vector>

#include "engine/client/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::client {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kStart;
using testing::Mail;
using testing::TestConfig;

// One round: what the client must have written, then what the server says.
struct Exchange {
  std::string client;
  std::string server;
};

// How each server reply is cut before feeding: whole, one byte at a time,
// or in two pieces at `at`.
struct Split {
  enum class Kind { kWhole, kBytes, kAt } kind = Kind::kWhole;
  std::size_t at = 0;
};

void FeedSplit(Connection& c, const std::string& bytes, Split split, Time now) {
  switch (split.kind) {
    case Split::Kind::kWhole:
      c.Feed(bytes, now);
      break;
    case Split::Kind::kBytes:
      for (char b : bytes) c.Feed(std::string_view(&b, 1), now);
      break;
    case Split::Kind::kAt: {
      std::size_t at = std::min(split.at, bytes.size());
      c.Feed(std::string_view(bytes).substr(0, at), now);
      c.Feed(std::string_view(bytes).substr(at), now);
      break;
    }
  }
}

// Plays `script` against a fresh connection, checking every byte the client
// writes. Returns the connection for checks on its outcome.
Connection Play(std::vector<Message> messages,
                const std::vector<Exchange>& script, Split split,
                Config config = TestConfig()) {
  Connection c(std::move(config), std::move(messages), kStart);
  for (const Exchange& exchange : script) {
    EXPECT_EQ(c.TakeOutput(kStart), exchange.client);
    FeedSplit(c, exchange.server, split, kStart);
  }
  return c;
}

const std::vector<Exchange> kHappy = {
    {"", "220 server.example ESMTP\r\n"},
    {"EHLO client.example\r\n",
     "250-server.example hello\r\n250-SIZE 1000000\r\n250-8BITMIME\r\n"
     "250 PIPELINING\r\n"},
    {"MAIL FROM:<alice@example.org> SIZE=13\r\n", "250 2.1.0 Ok\r\n"},
    {"RCPT TO:<bob@example.com>\r\n", "250 2.1.5 Ok\r\n"},
    {"DATA\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n"},
    {"..hidden\r\nok\r\n.\r\n", "250 2.0.0 queued as 1\r\n"},
    {"QUIT\r\n", "221 2.0.0 bye\r\n"},
};

void ExpectHappyOutcome(Connection& c) {
  EXPECT_TRUE(c.done());
  EXPECT_THAT(c.TakeEvents(), ElementsAre(Event{Event::Kind::kClose}));
  const Outcome& o = c.outcome();
  EXPECT_EQ(o.ending, Ending::kQuit);
  ASSERT_EQ(o.transactions.size(), 1u);
  EXPECT_EQ(o.transactions[0].disposition, Disposition::kAccepted);
  ASSERT_TRUE(o.transactions[0].reply.has_value());
  // The reply reader took the enhanced code apart (RFC 2034 3).
  EXPECT_EQ(o.transactions[0].reply->enhanced, (EnhancedCode{2, 0, 0}));
  EXPECT_EQ(o.transactions[0].reply->lines,
            std::vector<std::string>{"queued as 1"});
  EXPECT_EQ(o.steps.size(), 7u);
}

// RFC 5321 3.3 and D.1, with the body's leading dot stuffed (4.5.2): the
// same session whatever way the replies are cut.
TEST(ClientConnectionTest, HappyPathWhole) {
  Connection c =
      Play({Mail({"bob@example.com"}, ".hidden\r\nok\r\n")}, kHappy, Split{});
  ExpectHappyOutcome(c);
}

TEST(ClientConnectionTest, HappyPathOneByteAtATime) {
  Connection c = Play({Mail({"bob@example.com"}, ".hidden\r\nok\r\n")}, kHappy,
                      Split{Split::Kind::kBytes});
  ExpectHappyOutcome(c);
}

TEST(ClientConnectionTest, HappyPathEverySplitPoint) {
  std::size_t longest = 0;
  for (const Exchange& e : kHappy) longest = std::max(longest, e.server.size());
  for (std::size_t at = 0; at <= longest; ++at) {
    SCOPED_TRACE(at);
    Connection c = Play({Mail({"bob@example.com"}, ".hidden\r\nok\r\n")},
                        kHappy, Split{Split::Kind::kAt, at});
    ExpectHappyOutcome(c);
  }
}

// RFC 5321 4.2: "a sender-SMTP MUST be prepared to handle codes not
// specified in this document and MUST do so by interpreting the first
// digit only": 257 to RCPT accepts the recipient, 359 to DATA invites the
// body; whole, one byte at a time and at every split point.
TEST(ClientConnectionTest, UnknownCodesByTheirFirstDigit) {
  const std::vector<Exchange> script = {
      {"", "220 server.example ESMTP\r\n"},
      {"EHLO client.example\r\n", "250 server.example hello\r\n"},
      {"MAIL FROM:<alice@example.org>\r\n", "250 Ok\r\n"},
      {"RCPT TO:<bob@example.com>\r\n", "257-fine in a way\r\n257 yet\r\n"},
      {"DATA\r\n", "359 go on\r\n"},
      {"Hi\r\n.\r\n", "250 queued\r\n"},
      {"QUIT\r\n", "221 bye\r\n"},
  };
  std::vector<Split> splits = {Split{}, Split{Split::Kind::kBytes}};
  for (std::size_t at = 1; at < 40; ++at) {
    splits.push_back(Split{Split::Kind::kAt, at});
  }
  for (const Split& split : splits) {
    SCOPED_TRACE(static_cast<int>(split.kind) * 100 + split.at);
    Connection c = Play({Mail({"bob@example.com"})}, script, split);
    EXPECT_TRUE(c.done());
    const Outcome& o = c.outcome();
    EXPECT_EQ(o.ending, Ending::kQuit);
    ASSERT_EQ(o.transactions.size(), 1u);
    EXPECT_EQ(o.transactions[0].disposition, Disposition::kAccepted);
    EXPECT_EQ(o.transactions[0].recipients[0].reply->code, 257);
  }
}

// RFC 5321 4.5.2 and 4.1.1.4: dot-stuffing, and the CRLF added before the
// final dot of a body that does not end in one.
TEST(ClientConnectionTest, BodyShapes) {
  struct Case {
    std::string body;
    std::string wire;
  };
  const Case cases[] = {
      {"", ".\r\n"},
      {"abc", "abc\r\n.\r\n"},
      {"abc\r\n", "abc\r\n.\r\n"},
      {".\r\n", "..\r\n.\r\n"},
      {"a\r\n.\r\n..b\r\nc.d\r\n", "a\r\n..\r\n...b\r\nc.d\r\n.\r\n"},
      {".", "..\r\n.\r\n"},
      // RFC 5321 2.3.8: a bare LF never leaves the client, even before "."
      // (the smuggling shape).
      {"a\n.\nb", "a\r\n..\r\nb\r\n.\r\n"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.body);
    Connection c(TestConfig(), {Mail({"b@x.example"}, k.body)}, kStart);
    c.Feed("220 x\r\n", kStart);
    c.Feed("250 x\r\n", kStart);   // EHLO, no extensions
    c.Feed("250 ok\r\n", kStart);  // MAIL
    c.Feed("250 ok\r\n", kStart);  // RCPT
    c.TakeOutput(kStart);
    c.Feed("354 go\r\n", kStart);
    EXPECT_EQ(c.TakeOutput(kStart), k.wire);
  }
}

// RFC 5321 4.2.1: a multi-line reply whose lines differ in code is
// malformed; the session ends with the offending bytes and their offset.
TEST(ClientConnectionTest, MalformedMultilineReply) {
  for (Split split : {Split{}, Split{Split::Kind::kBytes}}) {
    Connection c(TestConfig(), {Mail({"b@x.example"})}, kStart);
    c.Feed("220 x\r\n", kStart);
    EXPECT_EQ(c.TakeOutput(kStart), "EHLO client.example\r\n");
    FeedSplit(c, "250-x\r\n251 SIZE\r\n250 ignored\r\n", split, kStart);
    EXPECT_TRUE(c.done());
    EXPECT_THAT(c.TakeEvents(), ElementsAre(Event{Event::Kind::kClose}));
    EXPECT_EQ(c.TakeOutput(kStart), "");  // no QUIT into a broken stream
    const Outcome& o = c.outcome();
    EXPECT_EQ(o.ending, Ending::kMalformedReply);
    ASSERT_TRUE(o.error.has_value());
    EXPECT_EQ(o.error->offset, 14u);  // "251" starts after "220 x\r\n250-x\r\n"
    EXPECT_NE(o.offending_bytes.find("251"), std::string::npos);
  }
}

// RFC 5321 4.5.3.1.5: a reply line is at most 512 octets; beyond that the
// reader stops with an error rather than buffering without bound.
TEST(ClientConnectionTest, OverlongReplyLine) {
  Connection c(TestConfig(), {}, kStart);
  std::string line = "220 " + std::string(100000, 'x');
  for (std::size_t i = 0; i < line.size(); i += 1000) {
    c.Feed(std::string_view(line).substr(i, 1000), kStart);
  }
  EXPECT_TRUE(c.done());
  EXPECT_EQ(c.outcome().ending, Ending::kMalformedReply);
  EXPECT_EQ(c.outcome().error->offset, 0u);
  EXPECT_LE(c.outcome().offending_bytes.size(), 512u);
}

// RFC 5321 2.3.8: a reply ending in bare LF is refused by default.
TEST(ClientConnectionTest, BareLfInReply) {
  Connection c(TestConfig(), {}, kStart);
  c.Feed("220 x\n", kStart);
  c.Feed("250 y\r\n", kStart);
  EXPECT_EQ(c.outcome().ending, Ending::kMalformedReply);
}

// RFC 3207 4.2 and 5: after 220 to STARTTLS nothing is read in clear; the
// handshake is the caller's, then EHLO goes again through TLS.
TEST(ClientConnectionTest, StartTls) {
  Config config = TestConfig();
  config.tls = TlsPolicy::kRequired;
  Connection c(config, {Mail({"b@x.example"})}, kStart);
  c.Feed("220 x\r\n", kStart);
  c.TakeOutput(kStart);
  c.Feed("250-x\r\n250 STARTTLS\r\n", kStart);
  EXPECT_EQ(c.TakeOutput(kStart), "STARTTLS\r\n");
  c.Feed("220 go ahead\r\n", kStart);
  EXPECT_THAT(c.TakeEvents(), ElementsAre(Event{Event::Kind::kStartTls}));
  EXPECT_EQ(c.TakeOutput(kStart), "");
  c.TlsEstablished(kStart);
  EXPECT_EQ(c.TakeOutput(kStart), "EHLO client.example\r\n");
  c.Feed("250 x\r\n", kStart);
  EXPECT_EQ(c.TakeOutput(kStart), "MAIL FROM:<alice@example.org>\r\n");
  EXPECT_TRUE(c.machine().tls_active());
}

// RFC 3207 6 (CVE-2011-0411 seen from the client): bytes after the 220 in
// the same read, or before the handshake, are an injection.
TEST(ClientConnectionTest, PlaintextAfterStartTlsIsRejected) {
  for (bool same_read : {true, false}) {
    Config config = TestConfig();
    config.tls = TlsPolicy::kOpportunistic;
    Connection c(config, {Mail({"b@x.example"})}, kStart);
    c.Feed("220 x\r\n", kStart);
    c.Feed("250-x\r\n250 STARTTLS\r\n", kStart);
    c.TakeOutput(kStart);
    if (same_read) {
      c.Feed("220 go\r\n250-x\r\n", kStart);
    } else {
      c.Feed("220 go\r\n", kStart);
      c.Feed("250-x\r\n", kStart);
    }
    EXPECT_TRUE(c.done());
    EXPECT_EQ(c.outcome().ending, Ending::kMalformedReply);
    EXPECT_EQ(c.outcome().offending_bytes, "250-x\r\n");
    EXPECT_EQ(c.outcome().error->offset, 36u) << same_read;
    EXPECT_NE(c.outcome().error->reason.find("RFC 3207 6"), std::string::npos);
  }
}

TEST(ClientConnectionTest, TlsFailedAborts) {
  Config config = TestConfig();
  config.tls = TlsPolicy::kRequired;
  Connection c(config, {Mail({"b@x.example"})}, kStart);
  c.Feed("220 x\r\n250-x\r\n250 STARTTLS\r\n", kStart);
  c.Feed("220 go\r\n", kStart);
  c.TlsFailed("certificate expired", kStart);
  EXPECT_TRUE(c.done());
  EXPECT_EQ(c.outcome().ending, Ending::kAborted);
  EXPECT_NE(c.outcome().error->reason.find("certificate expired"),
            std::string::npos);
}

// RFC 5321 4.5.3.2.5-6: each TakeOutput of the body is one send; the last
// byte of CRLF.CRLF switches to the DATA termination timer.
TEST(ClientConnectionTest, BodyTimersFollowWrites) {
  Config config = TestConfig();
  config.timeouts.data_block = seconds(3);
  config.timeouts.data_termination = seconds(10);
  Connection c(config, {Mail({"b@x.example"}, std::string(100, 'x'))}, kStart);
  c.Feed("220 x\r\n250 x\r\n", kStart);
  c.Feed("250 ok\r\n250 ok\r\n", kStart);
  c.TakeOutput(kStart);
  c.Feed("354 go\r\n", kStart);
  EXPECT_EQ(c.pending_output(), 105u);
  Time t = kStart;
  std::string sent;
  while (c.pending_output() > 0) {
    EXPECT_EQ(c.deadline(), t + seconds(3));
    t += seconds(2);
    sent += c.TakeOutput(t, 40);
  }
  EXPECT_EQ(sent, std::string(100, 'x') + "\r\n.\r\n");
  EXPECT_EQ(c.deadline(), t + seconds(10));
  c.Tick(t + seconds(10));
  EXPECT_EQ(c.outcome().ending, Ending::kTimeout);
  EXPECT_THAT(c.TakeEvents(), ElementsAre(Event{Event::Kind::kClose}));
}

// RFC 5321 4.5.3.2.1 through the byte layer.
TEST(ClientConnectionTest, GreetingTimeout) {
  Config config = TestConfig();
  config.timeouts.greeting = seconds(1);
  Connection c(config, {}, kStart);
  c.Feed("22", kStart);  // a partial greeting does not stop the timer
  c.Tick(kStart + seconds(1));
  EXPECT_TRUE(c.done());
  EXPECT_EQ(c.outcome().ending, Ending::kTimeout);
}

// RFC 5321 3.8: 421 ends everything; later bytes are ignored.
TEST(ClientConnectionTest, ServiceClosingThenIgnoresInput) {
  Connection c(TestConfig(), {Mail({"b@x.example"})}, kStart);
  c.Feed("220 x\r\n421 4.3.2 shutting down\r\n250 late\r\n", kStart);
  EXPECT_EQ(c.TakeOutput(kStart), "EHLO client.example\r\n");
  EXPECT_EQ(c.outcome().ending, Ending::kServiceClosing);
  c.Feed("garbage\r\n", kStart);
  EXPECT_EQ(c.outcome().ending, Ending::kServiceClosing);
  EXPECT_EQ(c.outcome().steps.size(), 2u);
}

TEST(ClientConnectionTest, ConnectionClosed) {
  Connection c(TestConfig(), {Mail({"b@x.example"})}, kStart);
  c.Feed("220 x\r\n", kStart);
  c.ConnectionClosed(kStart);
  EXPECT_EQ(c.outcome().ending, Ending::kConnectionLost);
  EXPECT_THAT(c.TakeEvents(), ElementsAre(Event{Event::Kind::kClose}));
}

// A domain with a line end could inject a command; the renderer refuses it
// and the session is aborted before anything is written.
TEST(ClientConnectionTest, DomainWithLineEndIsNotSent) {
  Config config = TestConfig();
  config.domain = "evil\r\nRSET";
  Connection c(config, {}, kStart);
  c.Feed("220 x\r\n", kStart);
  EXPECT_EQ(c.TakeOutput(kStart), "");
  EXPECT_EQ(c.outcome().ending, Ending::kAborted);
}

}  // namespace
}  // namespace smtpspec::client
