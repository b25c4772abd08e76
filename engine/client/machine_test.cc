// The client machine over parsed replies. Each test names the RFC section
// whose behaviour it checks.
#include "engine/client/machine.h"

#include <string>
#include <vector>

#include "engine/client/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::client {
namespace {

using std::chrono::seconds;
using testing::Driver;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kStart;
using testing::Mail;
using testing::P;

// RFC 5321 3.3 and appendix D.1: the whole mail transaction.
TEST(ClientMachineTest, HappyPath) {
  Driver s({Mail({"bob@example.com"}, "Hello\r\n")});
  EXPECT_THAT(s.Take(), IsEmpty());  // the server speaks first (3.1)
  EXPECT_THAT(s.Open(), ElementsAre("MAIL FROM:<alice@example.org>"));
  EXPECT_THAT(s.Reply(250), ElementsAre("RCPT TO:<bob@example.com>"));
  EXPECT_THAT(s.Reply(250), ElementsAre("DATA"));
  EXPECT_THAT(s.Reply(354), ElementsAre("<body>"));
  EXPECT_EQ(s.body(), "Hello\r\n");
  s.machine().OnBodySent(s.now());
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
  EXPECT_FALSE(s.machine().done());
  EXPECT_THAT(s.Reply(221), ElementsAre("<close>"));
  EXPECT_TRUE(s.machine().done());
  EXPECT_EQ(s.machine().deadline(), std::nullopt);

  const Outcome& o = s.outcome();
  EXPECT_EQ(o.ending, Ending::kQuit);
  EXPECT_EQ(o.error, std::nullopt);
  ASSERT_EQ(o.transactions.size(), 1u);
  EXPECT_EQ(o.transactions[0].disposition, Disposition::kAccepted);
  ASSERT_TRUE(o.transactions[0].reply.has_value());
  EXPECT_EQ(o.transactions[0].reply->code, 250);
  EXPECT_EQ(o.transactions[0].recipients[0].disposition,
            Disposition::kAccepted);
  std::vector<Stage> stages;
  for (const Step& step : o.steps) {
    stages.push_back(step.stage);
    EXPECT_TRUE(step.reply.has_value());
  }
  EXPECT_THAT(stages, ElementsAre(Stage::kGreeting, Stage::kEhlo, Stage::kMail,
                                  Stage::kRcpt, Stage::kData, Stage::kEndOfData,
                                  Stage::kQuit));
  EXPECT_EQ(o.steps[0].command, std::nullopt);
  EXPECT_EQ(o.steps[1].command->verb, Verb::kEhlo);
  EXPECT_EQ(o.steps[4].reply_class, ReplyClass::kIntermediate);
  EXPECT_EQ(o.steps[6].reply_class, ReplyClass::kPositive);
}

// RFC 5321 3.2 and 4.1.1.1: an old server answers EHLO with 500 or 502 and
// the client falls back to HELO, with no extensions.
class EhloFallbackTest : public ::testing::TestWithParam<int> {};

TEST_P(EhloFallbackTest, FallsBackToHelo) {
  Driver s({Mail({"bob@example.com"}, "caf\xc3\xa9\r\n")});
  s.Reply(220);
  EXPECT_THAT(s.Reply(GetParam()), ElementsAre("HELO client.example"));
  // After HELO there is no 8BITMIME, so the 8-bit body cannot go (RFC 6152
  // 3) and the session ends with QUIT.
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kPermanentFailure);
  EXPECT_EQ(s.outcome().steps[2].stage, Stage::kHelo);
}

TEST_P(EhloFallbackTest, HeloThenTransaction) {
  Driver s({Mail({"bob@example.com"})});
  s.Reply(220);
  s.Reply(GetParam());
  EXPECT_THAT(s.Reply(250), ElementsAre("MAIL FROM:<alice@example.org>"));
}

INSTANTIATE_TEST_SUITE_P(Codes, EhloFallbackTest, ::testing::Values(500, 502));

// RFC 5321 4.1.1.1: EHLO and HELO both refused: nothing can be sent.
TEST(ClientMachineTest, HeloRefusedEndsSession) {
  Driver s({Mail({"bob@example.com"})});
  s.Reply(220);
  s.Reply(502);
  EXPECT_THAT(s.Reply(550), ElementsAre("QUIT"));
  EXPECT_THAT(s.Reply(221), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kHelloRefused);
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kNotAttempted);
}

// RFC 5321 3.1: a 554 greeting means "no service"; the client sends QUIT.
TEST(ClientMachineTest, GreetingRefused554) {
  Driver s({Mail({"bob@example.com"})});
  EXPECT_THAT(s.Reply(554, {"go away"}), ElementsAre("QUIT"));
  EXPECT_THAT(s.Reply(221), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kGreetingRefused);
  ASSERT_TRUE(s.outcome().error.has_value());
  EXPECT_NE(s.outcome().error->reason.find("3.1"), std::string::npos);
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kNotAttempted);
}

// RFC 5321 3.3: a refused recipient does not stop the transaction; the
// message goes to the others.
TEST(ClientMachineTest, PartialRecipientFailure) {
  Driver s({Mail({"a@x.example", "b@x.example", "c@x.example"})});
  s.Open();
  EXPECT_THAT(s.Reply(250), ElementsAre("RCPT TO:<a@x.example>"));
  EXPECT_THAT(s.Reply(250), ElementsAre("RCPT TO:<b@x.example>"));
  EXPECT_THAT(s.Reply(550, {"no such user"}),
              ElementsAre("RCPT TO:<c@x.example>"));
  EXPECT_THAT(s.Reply(251), ElementsAre("DATA"));
  s.Reply(354);
  s.machine().OnBodySent(s.now());
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
  const Transaction& t = s.outcome().transactions[0];
  EXPECT_EQ(t.disposition, Disposition::kAccepted);
  ASSERT_EQ(t.recipients.size(), 3u);
  EXPECT_EQ(t.recipients[0].disposition, Disposition::kAccepted);
  EXPECT_EQ(t.recipients[1].disposition, Disposition::kPermanentFailure);
  EXPECT_EQ(t.recipients[1].reply->lines,
            std::vector<std::string>{"no such user"});
  EXPECT_EQ(t.recipients[2].disposition, Disposition::kAccepted);
  EXPECT_EQ(t.recipients[2].recipient, P("c@x.example"));
}

// RFC 5321 3.3 and 4.1.1.5: every recipient refused: no DATA, RSET, QUIT.
TEST(ClientMachineTest, AllRecipientsRejected) {
  Driver s({Mail({"a@x.example", "b@x.example"})});
  s.Open();
  s.Reply(250);
  s.Reply(550);
  EXPECT_THAT(s.Reply(553), ElementsAre("RSET"));
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
  EXPECT_THAT(s.Reply(221), ElementsAre("<close>"));
  const Transaction& t = s.outcome().transactions[0];
  EXPECT_EQ(t.disposition, Disposition::kPermanentFailure);
  EXPECT_FALSE(t.reason.empty());
  EXPECT_EQ(s.outcome().ending, Ending::kQuit);
  for (const Step& step : s.outcome().steps) {
    EXPECT_NE(step.stage, Stage::kData);
  }
}

// RFC 5321 4.2.1 and 4.5.3.1.10: 452 "too many recipients" is transient;
// the message may be retried.
TEST(ClientMachineTest, TransientRecipientFailure452) {
  Driver s({Mail({"a@x.example"})});
  s.Open();
  s.Reply(250);
  EXPECT_THAT(s.Reply(452), ElementsAre("RSET"));
  const Transaction& t = s.outcome().transactions[0];
  EXPECT_EQ(t.recipients[0].disposition, Disposition::kTransientFailure);
  EXPECT_EQ(t.disposition, Disposition::kTransientFailure);
  EXPECT_EQ(s.outcome().steps.back().stage, Stage::kRset);
  EXPECT_EQ(s.outcome().steps[3].reply_class, ReplyClass::kTransient);
}

// RFC 5321 4.1.1.2: MAIL refused: RSET (4.1.1.5), then QUIT.
TEST(ClientMachineTest, MailRefused) {
  Driver s({Mail({"a@x.example"})});
  s.Open();
  EXPECT_THAT(s.Reply(451), ElementsAre("RSET"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kTransientFailure);
  EXPECT_EQ(s.outcome().transactions[0].recipients[0].disposition,
            Disposition::kNotAttempted);
}

// RFC 5321 4.1.1.4: 554 instead of 354 refuses the message.
TEST(ClientMachineTest, DataRejected554) {
  Driver s({Mail({"a@x.example"})});
  s.Open();
  s.Reply(250);
  s.Reply(250);
  EXPECT_THAT(s.Reply(554), ElementsAre("RSET"));
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
  const Transaction& t = s.outcome().transactions[0];
  EXPECT_EQ(t.disposition, Disposition::kPermanentFailure);
  EXPECT_EQ(t.reply->code, 554);
}

// RFC 5321 4.1.1.4 and RFC 1870 6.2: 552 after end of data is permanent.
TEST(ClientMachineTest, FinalReply552) {
  Driver s({Mail({"a@x.example"})});
  s.Open();
  s.Reply(250);
  s.Reply(250);
  s.Reply(354);
  s.machine().OnBodySent(s.now());
  EXPECT_THAT(s.Reply(552), ElementsAre("RSET"));
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
  const Transaction& t = s.outcome().transactions[0];
  EXPECT_EQ(t.disposition, Disposition::kPermanentFailure);
  EXPECT_EQ(t.reply->code, 552);
  EXPECT_EQ(s.outcome().steps[5].stage, Stage::kEndOfData);
  EXPECT_EQ(s.outcome().steps[5].reply_class, ReplyClass::kPermanent);
}

// RFC 5321 3.8: 421 ends the session at any point; no QUIT follows, the
// open transaction counts as transient and later ones are not attempted.
TEST(ClientMachineTest, ServiceClosing421MidSession) {
  Driver s({Mail({"a@x.example", "b@x.example"}), Mail({"c@x.example"})});
  s.Open();
  s.Reply(250);
  EXPECT_THAT(s.Reply(421, {"shutting down"}), ElementsAre("<close>"));
  EXPECT_TRUE(s.machine().done());
  const Outcome& o = s.outcome();
  EXPECT_EQ(o.ending, Ending::kServiceClosing);
  EXPECT_EQ(o.transactions[0].disposition, Disposition::kTransientFailure);
  EXPECT_EQ(o.transactions[0].reply->code, 421);
  EXPECT_EQ(o.transactions[1].disposition, Disposition::kNotAttempted);
  // Anything after the close is ignored.
  EXPECT_THAT(s.Reply(250), IsEmpty());
}

TEST(ClientMachineTest, ServiceClosing421AsGreeting) {
  Driver s({Mail({"a@x.example"})});
  EXPECT_THAT(s.Reply(421), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kServiceClosing);
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kNotAttempted);
}

// RFC 3207 4: TLS required but STARTTLS not advertised: QUIT, error.
TEST(ClientMachineTest, StartTlsRequiredNotAdvertised) {
  Config config = testing::TestConfig();
  config.tls = TlsPolicy::kRequired;
  Driver s({Mail({"a@x.example"})}, config);
  EXPECT_THAT(s.Open({"SIZE 1000", "8BITMIME"}), ElementsAre("QUIT"));
  EXPECT_THAT(s.Reply(221), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kTlsUnavailable);
  EXPECT_NE(s.outcome().error->reason.find("RFC 3207"), std::string::npos);
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kNotAttempted);
}

// RFC 3207 4 and 4.2: STARTTLS, 220, handshake, then EHLO again with every
// earlier capability forgotten.
TEST(ClientMachineTest, StartTlsForgetsEarlierExtensions) {
  Config config = testing::TestConfig();
  config.tls = TlsPolicy::kRequired;
  Driver s({Mail({"a@x.example"})}, config);
  EXPECT_THAT(s.Open({"STARTTLS", "SIZE 5000"}), ElementsAre("STARTTLS"));
  EXPECT_TRUE(s.machine().extensions().size);
  EXPECT_THAT(s.Reply(220), ElementsAre("<starttls>"));
  EXPECT_FALSE(s.machine().tls_active());
  // Bytes in clear during the handshake are not replies to anything.
  s.machine().OnTlsEstablished(s.now());
  EXPECT_TRUE(s.machine().tls_active());
  EXPECT_EQ(s.machine().extensions(), Extensions{});
  EXPECT_THAT(s.Take(), ElementsAre("EHLO client.example"));
  // The second EHLO does not list SIZE, so no SIZE= goes with MAIL, and
  // STARTTLS is not sent twice.
  EXPECT_THAT(s.Reply(250, {"server.example", "STARTTLS"}),
              ElementsAre("MAIL FROM:<alice@example.org>"));
}

TEST(ClientMachineTest, ReplyDuringTlsHandshakeIsAnError) {
  Config config = testing::TestConfig();
  config.tls = TlsPolicy::kOpportunistic;
  Driver s({Mail({"a@x.example"})}, config);
  s.Open({"STARTTLS"});
  s.Reply(220);
  // RFC 3207 4.2 (and CVE-2011-0411): nothing may be answered in clear
  // between 220 and the handshake.
  EXPECT_THAT(s.Reply(250), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kProtocolError);
}

// RFC 3207 4: 454 to STARTTLS. Opportunistic goes on in clear.
TEST(ClientMachineTest, StartTlsRefusedOpportunistic) {
  Config config = testing::TestConfig();
  config.tls = TlsPolicy::kOpportunistic;
  Driver s({Mail({"a@x.example"})}, config);
  EXPECT_THAT(s.Open({"STARTTLS", "SIZE 100"}), ElementsAre("STARTTLS"));
  EXPECT_THAT(s.Reply(454),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=4"));
  EXPECT_FALSE(s.machine().tls_active());
}

TEST(ClientMachineTest, StartTlsRefusedRequired) {
  Config config = testing::TestConfig();
  config.tls = TlsPolicy::kRequired;
  Driver s({Mail({"a@x.example"})}, config);
  s.Open({"STARTTLS"});
  EXPECT_THAT(s.Reply(454), ElementsAre("QUIT"));
  EXPECT_EQ(s.outcome().ending, Ending::kTlsUnavailable);
}

TEST(ClientMachineTest, StartTlsOffIgnoresAdvertisement) {
  Driver s({Mail({"a@x.example"})});
  EXPECT_THAT(s.Open({"STARTTLS"}),
              ElementsAre("MAIL FROM:<alice@example.org>"));
}

// RFC 1870 6: declare SIZE when advertised; never send a message larger
// than the advertised maximum. SIZE 0 means no fixed maximum (RFC 1870 4).
TEST(ClientMachineTest, SizeDeclaredAndEnforced) {
  std::string big(2000, 'x');
  big += "\r\n";
  Driver s({Mail({"a@x.example"}, big), Mail({"b@x.example"}, "ab")});
  // The first is too big; the second gets SIZE with the CRLF the client
  // will add (4 octets).
  EXPECT_THAT(s.Open({"SIZE 1000"}),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=4"));
  const Transaction& t = s.outcome().transactions[0];
  EXPECT_EQ(t.disposition, Disposition::kPermanentFailure);
  EXPECT_NE(t.reason.find("RFC 1870"), std::string::npos);
}

// RFC 1870 6 with RFC 5321 2.3.8: bare line ends go out as CRLF, so they
// count twice in the declared size.
TEST(ClientMachineTest, SizeCountsConvertedLineEnds) {
  Driver s(
      {Mail({"a@x.example"}, "a\nb\rc\r\n"), Mail({"a@x.example"}, "d\n")});
  EXPECT_THAT(s.Open({"SIZE 100"}),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=9"));
  s.Reply(550);
  EXPECT_THAT(s.Reply(250),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=3"));
}

TEST(ClientMachineTest, SizeZeroMeansNoLimit) {
  Driver s({Mail({"a@x.example"}, std::string(5000, 'x'))});
  EXPECT_THAT(s.Open({"size 0"}),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=5002"));
}

TEST(ClientMachineTest, CallerParametersAreKept) {
  Message m = Mail({"a@x.example"});
  m.mail_parameters = {Parameter{.keyword = "size", .value = "99"},
                       Parameter{.keyword = "RET", .value = "HDRS"}};
  Driver s({m});
  EXPECT_THAT(s.Open({"SIZE", "DSN"}),
              ElementsAre("MAIL FROM:<alice@example.org> size=99 RET=HDRS"));
}

// RFC 6152 2-3: an 8-bit body goes with BODY=8BITMIME, and only to a
// server that advertises 8BITMIME.
TEST(ClientMachineTest, EightBitMime) {
  Driver s({Mail({"a@x.example"}, "caf\xc3\xa9\r\n")});
  EXPECT_THAT(s.Open({"8BITMIME"}),
              ElementsAre("MAIL FROM:<alice@example.org> BODY=8BITMIME"));
}

TEST(ClientMachineTest, EightBitWithoutExtensionIsRefusedLocally) {
  Driver s({Mail({"a@x.example"}, "caf\xc3\xa9\r\n"), Mail({"b@x.example"})});
  EXPECT_THAT(s.Open({"SIZE"}),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=4"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kPermanentFailure);
  EXPECT_NE(s.outcome().transactions[0].reason.find("8BITMIME"),
            std::string::npos);
}

// RFC 5321 4.1.1.3: a transaction needs at least one RCPT.
TEST(ClientMachineTest, MessageWithoutRecipients) {
  Driver s({Mail({})});
  EXPECT_THAT(s.Open(), ElementsAre("QUIT"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kPermanentFailure);
}

// RFC 5321 4.1.2: a local-part with CR or LF cannot be carried even quoted;
// the client refuses that recipient itself and sends the others.
TEST(ClientMachineTest, UnrenderableRecipientIsRefusedLocally) {
  Message m = Mail({"a@x.example", "b@x.example"});
  m.recipients[0].mailbox.local_part = "evil\r\nRSET";
  Driver s({m});
  s.Open();
  EXPECT_THAT(s.Reply(250), ElementsAre("RCPT TO:<b@x.example>"));
  const RecipientResult& r = s.outcome().transactions[0].recipients[0];
  EXPECT_EQ(r.disposition, Disposition::kPermanentFailure);
  EXPECT_EQ(r.reply, std::nullopt);
  EXPECT_FALSE(r.reason.empty());
}

TEST(ClientMachineTest, UnrenderableReversePathIsRefusedLocally) {
  Message m = Mail({"a@x.example"});
  m.reverse_path.mailbox.local_part = "a\nb";
  Driver s({m});
  EXPECT_THAT(s.Open(), ElementsAre("QUIT"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kPermanentFailure);
}

// The null reverse-path of bounces (RFC 5321 4.5.5) and quoting of a
// local-part that is not a dot-string (4.1.2).
TEST(ClientMachineTest, NullReversePathAndQuotedLocalPart) {
  Message m = Mail({"x@y.example"});
  m.reverse_path = Path();
  m.reverse_path.kind = Path::Kind::kNull;
  m.recipients[0].mailbox.local_part = "john smith";
  Driver s({m});
  EXPECT_THAT(s.Open(), ElementsAre("MAIL FROM:<>"));
  EXPECT_THAT(s.Reply(250), ElementsAre("RCPT TO:<\"john smith\"@y.example>"));
}

// Several messages in one session: MAIL follows a success directly; a
// failure is followed by RSET first (RFC 5321 4.1.1.5).
TEST(ClientMachineTest, SeveralMessages) {
  Driver s({Mail({"a@x.example"}, "one\r\n"), Mail({"b@x.example"}, "two\r\n"),
            Mail({"c@x.example"}, "three\r\n")});
  s.Open();
  s.Reply(250);
  s.Reply(250);
  s.Reply(354);
  EXPECT_EQ(s.body(), "one\r\n");
  s.machine().OnBodySent(s.now());
  EXPECT_THAT(s.Reply(250), ElementsAre("MAIL FROM:<alice@example.org>"));
  EXPECT_THAT(s.Reply(550), ElementsAre("RSET"));
  EXPECT_THAT(s.Reply(250), ElementsAre("MAIL FROM:<alice@example.org>"));
  EXPECT_THAT(s.Reply(250), ElementsAre("RCPT TO:<c@x.example>"));
  s.Reply(250);
  s.Reply(354);
  EXPECT_EQ(s.body(), "three\r\n");
  s.machine().OnBodySent(s.now());
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
  const Outcome& o = s.outcome();
  EXPECT_EQ(o.transactions[0].disposition, Disposition::kAccepted);
  EXPECT_EQ(o.transactions[1].disposition, Disposition::kPermanentFailure);
  EXPECT_EQ(o.transactions[2].disposition, Disposition::kAccepted);
}

// RFC 5321 3.8: a close without 421 is a lost connection; the open
// transaction is treated as if 451 had been received.
TEST(ClientMachineTest, ConnectionLostMidTransaction) {
  Driver s({Mail({"a@x.example"})});
  s.Open();
  s.Reply(250);
  s.machine().OnConnectionClosed(s.now());
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kConnectionLost);
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kTransientFailure);
  EXPECT_EQ(s.outcome().steps.back().reply_class, ReplyClass::kNoReply);
}

// RFC 5321 4.1.1.10: the server may close right after QUIT.
TEST(ClientMachineTest, CloseAfterQuitIsClean) {
  Driver s({});
  EXPECT_THAT(s.Open(), ElementsAre("QUIT"));
  s.machine().OnConnectionClosed(s.now());
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kQuit);
}

// RFC 5321 4.2.1 / 4.3.2: codes outside 2yz-5yz, or a positive code that
// does not fit the command, are protocol errors: QUIT and stop.
TEST(ClientMachineTest, InvalidCodeIsProtocolError) {
  for (int code : {100, 199, 600, 999, 0}) {
    Driver s({Mail({"a@x.example"})});
    s.Open();
    EXPECT_THAT(s.Reply(code), ElementsAre("QUIT")) << code;
    EXPECT_EQ(s.outcome().ending, Ending::kProtocolError) << code;
    EXPECT_EQ(s.outcome().steps[2].reply_class, ReplyClass::kInvalid);
    EXPECT_EQ(s.outcome().transactions[0].disposition,
              Disposition::kTransientFailure);
  }
}

TEST(ClientMachineTest, WrongPositiveCodeIsProtocolError) {
  Driver s({Mail({"a@x.example"})});
  s.Open();
  s.Reply(250);
  s.Reply(250);
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));  // 250 to DATA, not 354
  EXPECT_EQ(s.outcome().ending, Ending::kProtocolError);
  EXPECT_NE(s.outcome().error->reason.find("354"), std::string::npos);
}

// RFC 5321 4.2: "a sender-SMTP MUST be prepared to handle codes not
// specified in this document and MUST do so by interpreting the first
// digit only" (and 4.3.2). An unknown 2yz is success at every stage, an
// unknown 3yz to DATA is the go-ahead, unknown 4yz and 5yz are transient
// and permanent refusals.
TEST(ClientMachineTest, UnknownCodesByTheirFirstDigit) {
  Driver s({Mail({"bob@example.com", "carol@example.com", "dan@example.com"}),
            Mail({"erin@example.com"})});
  EXPECT_THAT(s.Reply(227), ElementsAre("EHLO client.example"));
  EXPECT_THAT(s.Reply(259), ElementsAre("MAIL FROM:<alice@example.org>"));
  EXPECT_THAT(s.Reply(258), ElementsAre("RCPT TO:<bob@example.com>"));
  EXPECT_THAT(s.Reply(257), ElementsAre("RCPT TO:<carol@example.com>"));
  EXPECT_THAT(s.Reply(459), ElementsAre("RCPT TO:<dan@example.com>"));
  EXPECT_THAT(s.Reply(559), ElementsAre("DATA"));
  EXPECT_THAT(s.Reply(359), ElementsAre("<body>"));
  s.machine().OnBodySent(s.now());
  EXPECT_THAT(s.Reply(256), ElementsAre("MAIL FROM:<alice@example.org>"));
  EXPECT_THAT(s.Reply(250), ElementsAre("RCPT TO:<erin@example.com>"));
  EXPECT_THAT(s.Reply(250), ElementsAre("DATA"));
  EXPECT_THAT(s.Reply(458), ElementsAre("RSET"));
  EXPECT_THAT(s.Reply(299), ElementsAre("QUIT"));
  EXPECT_THAT(s.Reply(221), ElementsAre("<close>"));
  const Outcome& o = s.outcome();
  EXPECT_EQ(o.ending, Ending::kQuit);
  ASSERT_EQ(o.transactions.size(), 2u);
  EXPECT_EQ(o.transactions[0].disposition, Disposition::kAccepted);
  EXPECT_EQ(o.transactions[0].reply->code, 256);
  const std::vector<RecipientResult>& r = o.transactions[0].recipients;
  EXPECT_EQ(r[0].disposition, Disposition::kAccepted);
  EXPECT_EQ(r[1].disposition, Disposition::kTransientFailure);
  EXPECT_EQ(r[2].disposition, Disposition::kPermanentFailure);
  EXPECT_EQ(o.transactions[1].disposition, Disposition::kTransientFailure);
}

// The same for HELO and STARTTLS; a 3yz where a 2yz is due, or a 2yz to
// DATA, is still no answer to the command.
TEST(ClientMachineTest, UnknownCodesOfTheWrongClass) {
  {
    Driver s({Mail({"a@x.example"})});
    s.Reply(220);
    EXPECT_THAT(s.Reply(502), ElementsAre("HELO client.example"));
    EXPECT_THAT(s.Reply(257), ElementsAre("MAIL FROM:<alice@example.org>"));
  }
  {
    Config config = testing::TestConfig();
    config.tls = TlsPolicy::kRequired;
    Driver s({Mail({"a@x.example"})}, config);
    s.Open({"STARTTLS"});
    EXPECT_THAT(s.Reply(229), ElementsAre("<starttls>"));
  }
  {
    Driver s({Mail({"a@x.example"})});
    s.Open();
    EXPECT_THAT(s.Reply(357), ElementsAre("QUIT"));  // to MAIL
    EXPECT_EQ(s.outcome().ending, Ending::kProtocolError);
  }
  {
    Driver s({Mail({"a@x.example"})});
    s.Open();
    s.Reply(250);
    s.Reply(250);
    EXPECT_THAT(s.Reply(257), ElementsAre("QUIT"));  // to DATA
    EXPECT_EQ(s.outcome().ending, Ending::kProtocolError);
  }
}

// RFC 5321 3.1: the greeting is 220 or a refusal; 250 is neither.
TEST(ClientMachineTest, PositiveGreetingOtherThan220IsProtocolError) {
  Driver s({Mail({"a@x.example"})});
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
  EXPECT_EQ(s.outcome().ending, Ending::kProtocolError);
}

// RFC 5321 4.1.1.4: a server may refuse before the body is all written
// (e.g. 554 on a policy check); that reply is the final one.
TEST(ClientMachineTest, EarlyFinalReplyWhileBodyIsWritten) {
  Driver s({Mail({"a@x.example"})});
  s.Open();
  s.Reply(250);
  s.Reply(250);
  EXPECT_THAT(s.Reply(354), ElementsAre("<body>"));
  s.machine().OnBodyProgress(s.now());
  EXPECT_THAT(s.Reply(554), ElementsAre("RSET"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kPermanentFailure);
  // The late OnBodySent of the caller changes nothing.
  s.machine().OnBodySent(s.now());
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));
}

TEST(ClientMachineTest, MalformedReplyCloses) {
  Driver s({Mail({"a@x.example"})});
  s.Open();
  s.machine().OnMalformedReply(Error{42, "mixed codes"}, "250-a\r\n251 b\r\n",
                               s.now());
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kMalformedReply);
  EXPECT_EQ(s.outcome().error, (Error{42, "mixed codes"}));
  EXPECT_EQ(s.outcome().offending_bytes, "250-a\r\n251 b\r\n");
}

}  // namespace
}  // namespace smtpspec::client
