// The client machine over parsed replies. Each test names the RFC section
// whose behaviour it checks.
#include "engine/client_machine.h"

#include <string>
#include <vector>

#include "engine/client_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::client {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kStart;
using testing::Mail;
using testing::MakeReply;
using testing::P;

// Drives a Machine and writes its actions as short strings, so a test
// reads like a transcript: "EHLO client.example", "<body>", "<close>".
class Session {
 public:
  explicit Session(std::vector<Message> messages,
                   Config config = testing::TestConfig())
      : machine_(std::move(config), std::move(messages), kStart) {}

  std::vector<std::string> Reply(int code,
                                 std::vector<std::string> lines = {"ok"}) {
    machine_.OnReply(MakeReply(code, std::move(lines)), now_);
    return Take();
  }
  std::vector<std::string> Take() {
    std::vector<std::string> out;
    for (Action& action : machine_.TakeActions()) {
      switch (action.kind) {
        case Action::Kind::kSendCommand:
          out.push_back(action.command.name +
                        (action.command.argument.empty()
                             ? ""
                             : " " + action.command.argument));
          break;
        case Action::Kind::kSendBody:
          body_ = action.body;
          out.push_back("<body>");
          break;
        case Action::Kind::kStartTls:
          out.push_back("<starttls>");
          break;
        case Action::Kind::kClose:
          out.push_back("<close>");
          break;
      }
    }
    return out;
  }
  // The usual opening: 220 greeting and a 250 EHLO with `keywords`.
  std::vector<std::string> Open(std::vector<std::string> keywords = {}) {
    EXPECT_THAT(Reply(220, {"server.example ESMTP"}),
                ElementsAre("EHLO client.example"));
    keywords.insert(keywords.begin(), "server.example");
    return Reply(250, keywords);
  }
  void Advance(Duration d) { now_ += d; }

  Machine& machine() { return machine_; }
  const Outcome& outcome() { return machine_.outcome(); }
  const std::string& body() const { return body_; }
  Time now() const { return now_; }

 private:
  Machine machine_;
  Time now_ = kStart;
  std::string body_;
};

// RFC 5321 3.3 and appendix D.1: the whole mail transaction.
TEST(ClientMachineTest, HappyPath) {
  Session s({Mail({"bob@example.com"}, "Hello\r\n")});
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
  Session s({Mail({"bob@example.com"}, "caf\xc3\xa9\r\n")});
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
  Session s({Mail({"bob@example.com"})});
  s.Reply(220);
  s.Reply(GetParam());
  EXPECT_THAT(s.Reply(250), ElementsAre("MAIL FROM:<alice@example.org>"));
}

INSTANTIATE_TEST_SUITE_P(Codes, EhloFallbackTest, ::testing::Values(500, 502));

// RFC 5321 4.1.1.1: EHLO and HELO both refused: nothing can be sent.
TEST(ClientMachineTest, HeloRefusedEndsSession) {
  Session s({Mail({"bob@example.com"})});
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
  Session s({Mail({"bob@example.com"})});
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
  Session s({Mail({"a@x.example", "b@x.example", "c@x.example"})});
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
  Session s({Mail({"a@x.example", "b@x.example"})});
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
  Session s({Mail({"a@x.example"})});
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
  Session s({Mail({"a@x.example"})});
  s.Open();
  EXPECT_THAT(s.Reply(451), ElementsAre("RSET"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kTransientFailure);
  EXPECT_EQ(s.outcome().transactions[0].recipients[0].disposition,
            Disposition::kNotAttempted);
}

// RFC 5321 4.1.1.4: 554 instead of 354 refuses the message.
TEST(ClientMachineTest, DataRejected554) {
  Session s({Mail({"a@x.example"})});
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
  Session s({Mail({"a@x.example"})});
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
  Session s({Mail({"a@x.example", "b@x.example"}), Mail({"c@x.example"})});
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
  Session s({Mail({"a@x.example"})});
  EXPECT_THAT(s.Reply(421), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kServiceClosing);
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kNotAttempted);
}

// RFC 3207 4: TLS required but STARTTLS not advertised: QUIT, error.
TEST(ClientMachineTest, StartTlsRequiredNotAdvertised) {
  Config config = testing::TestConfig();
  config.tls = TlsPolicy::kRequired;
  Session s({Mail({"a@x.example"})}, config);
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
  Session s({Mail({"a@x.example"})}, config);
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
  Session s({Mail({"a@x.example"})}, config);
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
  Session s({Mail({"a@x.example"})}, config);
  EXPECT_THAT(s.Open({"STARTTLS", "SIZE 100"}), ElementsAre("STARTTLS"));
  EXPECT_THAT(s.Reply(454),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=4"));
  EXPECT_FALSE(s.machine().tls_active());
}

TEST(ClientMachineTest, StartTlsRefusedRequired) {
  Config config = testing::TestConfig();
  config.tls = TlsPolicy::kRequired;
  Session s({Mail({"a@x.example"})}, config);
  s.Open({"STARTTLS"});
  EXPECT_THAT(s.Reply(454), ElementsAre("QUIT"));
  EXPECT_EQ(s.outcome().ending, Ending::kTlsUnavailable);
}

TEST(ClientMachineTest, StartTlsOffIgnoresAdvertisement) {
  Session s({Mail({"a@x.example"})});
  EXPECT_THAT(s.Open({"STARTTLS"}),
              ElementsAre("MAIL FROM:<alice@example.org>"));
}

// RFC 1870 6: declare SIZE when advertised; never send a message larger
// than the advertised maximum. SIZE 0 means no fixed maximum (RFC 1870 4).
TEST(ClientMachineTest, SizeDeclaredAndEnforced) {
  std::string big(2000, 'x');
  big += "\r\n";
  Session s({Mail({"a@x.example"}, big), Mail({"b@x.example"}, "ab")});
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
  Session s(
      {Mail({"a@x.example"}, "a\nb\rc\r\n"), Mail({"a@x.example"}, "d\n")});
  EXPECT_THAT(s.Open({"SIZE 100"}),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=9"));
  s.Reply(550);
  EXPECT_THAT(s.Reply(250),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=3"));
}

TEST(ClientMachineTest, SizeZeroMeansNoLimit) {
  Session s({Mail({"a@x.example"}, std::string(5000, 'x'))});
  EXPECT_THAT(s.Open({"size 0"}),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=5002"));
}

TEST(ClientMachineTest, CallerParametersAreKept) {
  Message m = Mail({"a@x.example"});
  m.mail_parameters = {Parameter{.keyword = "size", .value = "99"},
                       Parameter{.keyword = "RET", .value = "HDRS"}};
  Session s({m});
  EXPECT_THAT(s.Open({"SIZE", "DSN"}),
              ElementsAre("MAIL FROM:<alice@example.org> size=99 RET=HDRS"));
}

// RFC 6152 2-3: an 8-bit body goes with BODY=8BITMIME, and only to a
// server that advertises 8BITMIME.
TEST(ClientMachineTest, EightBitMime) {
  Session s({Mail({"a@x.example"}, "caf\xc3\xa9\r\n")});
  EXPECT_THAT(s.Open({"8BITMIME"}),
              ElementsAre("MAIL FROM:<alice@example.org> BODY=8BITMIME"));
}

TEST(ClientMachineTest, EightBitWithoutExtensionIsRefusedLocally) {
  Session s({Mail({"a@x.example"}, "caf\xc3\xa9\r\n"), Mail({"b@x.example"})});
  EXPECT_THAT(s.Open({"SIZE"}),
              ElementsAre("MAIL FROM:<alice@example.org> SIZE=4"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kPermanentFailure);
  EXPECT_NE(s.outcome().transactions[0].reason.find("8BITMIME"),
            std::string::npos);
}

// RFC 5321 4.1.1.3: a transaction needs at least one RCPT.
TEST(ClientMachineTest, MessageWithoutRecipients) {
  Session s({Mail({})});
  EXPECT_THAT(s.Open(), ElementsAre("QUIT"));
  EXPECT_EQ(s.outcome().transactions[0].disposition,
            Disposition::kPermanentFailure);
}

// RFC 5321 4.1.2: a local-part with CR or LF cannot be carried even quoted;
// the client refuses that recipient itself and sends the others.
TEST(ClientMachineTest, UnrenderableRecipientIsRefusedLocally) {
  Message m = Mail({"a@x.example", "b@x.example"});
  m.recipients[0].mailbox.local_part = "evil\r\nRSET";
  Session s({m});
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
  Session s({m});
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
  Session s({m});
  EXPECT_THAT(s.Open(), ElementsAre("MAIL FROM:<>"));
  EXPECT_THAT(s.Reply(250), ElementsAre("RCPT TO:<\"john smith\"@y.example>"));
}

// Several messages in one session: MAIL follows a success directly; a
// failure is followed by RSET first (RFC 5321 4.1.1.5).
TEST(ClientMachineTest, SeveralMessages) {
  Session s({Mail({"a@x.example"}, "one\r\n"), Mail({"b@x.example"}, "two\r\n"),
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
  Session s({Mail({"a@x.example"})});
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
  Session s({});
  EXPECT_THAT(s.Open(), ElementsAre("QUIT"));
  s.machine().OnConnectionClosed(s.now());
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kQuit);
}

// RFC 5321 4.2.1 / 4.3.2: codes outside 2yz-5yz, or a positive code that
// does not fit the command, are protocol errors: QUIT and stop.
TEST(ClientMachineTest, InvalidCodeIsProtocolError) {
  for (int code : {100, 199, 600, 999, 0}) {
    Session s({Mail({"a@x.example"})});
    s.Open();
    EXPECT_THAT(s.Reply(code), ElementsAre("QUIT")) << code;
    EXPECT_EQ(s.outcome().ending, Ending::kProtocolError) << code;
    EXPECT_EQ(s.outcome().steps[2].reply_class, ReplyClass::kInvalid);
    EXPECT_EQ(s.outcome().transactions[0].disposition,
              Disposition::kTransientFailure);
  }
}

TEST(ClientMachineTest, WrongPositiveCodeIsProtocolError) {
  Session s({Mail({"a@x.example"})});
  s.Open();
  s.Reply(250);
  s.Reply(250);
  EXPECT_THAT(s.Reply(250), ElementsAre("QUIT"));  // 250 to DATA, not 354
  EXPECT_EQ(s.outcome().ending, Ending::kProtocolError);
  EXPECT_NE(s.outcome().error->reason.find("354"), std::string::npos);
}

TEST(ClientMachineTest, MalformedReplyCloses) {
  Session s({Mail({"a@x.example"})});
  s.Open();
  s.machine().OnMalformedReply(Error{42, "mixed codes"}, "250-a\r\n251 b\r\n",
                               s.now());
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kMalformedReply);
  EXPECT_EQ(s.outcome().error, (Error{42, "mixed codes"}));
  EXPECT_EQ(s.outcome().offending_bytes, "250-a\r\n251 b\r\n");
}

// RFC 5321 4.5.3.2: every wait has its own deadline, exposed as data. Each
// case drives the session to one wait and checks the deadline and that it
// fires exactly at it, not a millisecond before.
struct TimeoutCase {
  const char* name;
  int replies;  // how many of the scripted replies to give first
  Duration Timeouts::*timeout;
  const char* section;
};

class ClientTimeoutTest : public ::testing::TestWithParam<TimeoutCase> {};

TEST_P(ClientTimeoutTest, FiresAtDeadline) {
  const TimeoutCase& c = GetParam();
  Config config = testing::TestConfig();
  // Distinct small values, so a wrong timer is caught.
  config.timeouts = Timeouts{.greeting = seconds(1),
                             .mail = seconds(2),
                             .rcpt = seconds(3),
                             .data_initiation = seconds(4),
                             .data_block = seconds(5),
                             .data_termination = seconds(6),
                             .other = seconds(7)};
  Session s({Mail({"a@x.example"})}, config);
  const int script[] = {220, 250, 250, 250, 354};
  for (int i = 0; i < c.replies; ++i) {
    s.Advance(seconds(100));  // timers restart at every step
    s.Reply(script[i]);
  }
  ASSERT_TRUE(s.machine().deadline().has_value());
  Duration expected = config.timeouts.*(c.timeout);
  EXPECT_EQ(*s.machine().deadline(), s.now() + expected);
  s.machine().OnTimer(s.now() + expected - Duration(1));
  EXPECT_THAT(s.Take(), IsEmpty());
  s.machine().OnTimer(s.now() + expected);
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kTimeout);
  EXPECT_NE(s.outcome().error->reason.find(c.section), std::string::npos)
      << s.outcome().error->reason;
  Disposition expected_disposition = c.replies >= 2
                                         ? Disposition::kTransientFailure
                                         : Disposition::kNotAttempted;
  EXPECT_EQ(s.outcome().transactions[0].disposition, expected_disposition);
}

INSTANTIATE_TEST_SUITE_P(
    Stages, ClientTimeoutTest,
    ::testing::Values(
        TimeoutCase{"Greeting", 0, &Timeouts::greeting, "4.5.3.2.1"},
        TimeoutCase{"Ehlo", 1, &Timeouts::other, "4.5.3.2"},
        TimeoutCase{"Mail", 2, &Timeouts::mail, "4.5.3.2.2"},
        TimeoutCase{"Rcpt", 3, &Timeouts::rcpt, "4.5.3.2.3"},
        TimeoutCase{"DataInitiation", 4, &Timeouts::data_initiation,
                    "4.5.3.2.4"},
        TimeoutCase{"DataBlock", 5, &Timeouts::data_block, "4.5.3.2.5"}),
    [](const auto& info) { return std::string(info.param.name); });

// RFC 5321 4.5.3.2.5-6: each block written restarts the data block timer;
// once "." is out, the longer DATA termination timer runs.
TEST(ClientMachineTest, BodyTimers) {
  Config config = testing::TestConfig();
  config.timeouts.data_block = seconds(3);
  config.timeouts.data_termination = seconds(10);
  Session s({Mail({"a@x.example"})}, config);
  s.Open();
  s.Reply(250);
  s.Reply(250);
  s.Reply(354);
  EXPECT_EQ(s.machine().deadline(), s.now() + seconds(3));
  s.Advance(seconds(2));
  s.machine().OnBodyProgress(s.now());
  EXPECT_EQ(s.machine().deadline(), s.now() + seconds(3));
  s.Advance(seconds(2));
  s.machine().OnBodySent(s.now());
  EXPECT_EQ(s.machine().deadline(), s.now() + seconds(10));
  s.machine().OnTimer(s.now() + seconds(9));
  EXPECT_THAT(s.Take(), IsEmpty());
  s.machine().OnTimer(s.now() + seconds(10));
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_NE(s.outcome().error->reason.find("4.5.3.2.6"), std::string::npos);
}

TEST(ClientMachineTest, DefaultTimeoutsAreTheRfcMinimums) {
  Timeouts t;
  EXPECT_EQ(t.greeting, std::chrono::minutes(5));
  EXPECT_EQ(t.mail, std::chrono::minutes(5));
  EXPECT_EQ(t.rcpt, std::chrono::minutes(5));
  EXPECT_EQ(t.data_initiation, std::chrono::minutes(2));
  EXPECT_EQ(t.data_block, std::chrono::minutes(3));
  EXPECT_EQ(t.data_termination, std::chrono::minutes(10));
}

// RFC 5321 4.2.1: the first digit decides.
TEST(ClientMachineTest, Classify) {
  EXPECT_EQ(Classify(220), ReplyClass::kPositive);
  EXPECT_EQ(Classify(354), ReplyClass::kIntermediate);
  EXPECT_EQ(Classify(452), ReplyClass::kTransient);
  EXPECT_EQ(Classify(554), ReplyClass::kPermanent);
  EXPECT_EQ(Classify(199), ReplyClass::kInvalid);
  EXPECT_EQ(Classify(600), ReplyClass::kInvalid);
}

// RFC 5321 4.1.1.1: keywords are case-insensitive; unknown ones ignored.
TEST(ClientExtensionsTest, FromEhlo) {
  Reply reply =
      MakeReply(250, {"server.example hello", "size 12345", "8bitmime",
                      "StartTLS", "X-UNKNOWN a b", "PIPELINING"});
  Extensions e = ExtensionsFromEhlo(reply);
  EXPECT_TRUE(e.starttls);
  EXPECT_TRUE(e.eight_bit_mime);
  EXPECT_TRUE(e.size);
  EXPECT_EQ(e.size_limit, 12345u);
  // The greeting line is not a keyword, even when it looks like one.
  Extensions none = ExtensionsFromEhlo(MakeReply(250, {"SIZE"}));
  EXPECT_EQ(none, Extensions{});
  Extensions garbled = ExtensionsFromEhlo(
      MakeReply(250, {"s", "SIZE 12x", "SIZE 99999999999999999999"}));
  EXPECT_TRUE(garbled.size);
  EXPECT_EQ(garbled.size_limit, 0u);
}

}  // namespace
}  // namespace smtpspec::client
