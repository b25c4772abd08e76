// The server machine's sequencing and replies, command by command and
// state by state (RFC 5321 3.1, 4.1.1, 4.1.4, 4.2, 4.3.2; RFC 2034).
// MAIL/RCPT/DATA details are in transaction_test.cc; STARTTLS and
// timers in tls_timer_test.cc.
#include "engine/server/machine.h"

#include <string>
#include <vector>

#include "engine/server/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::server {
namespace {

using testing::At;
using testing::Driver;
using ::testing::ElementsAre;
using testing::HasEvent;
using ::testing::HasSubstr;
using testing::Summary;

// RFC 5321 4.2 / 3.1: Greeting = "220 " Domain [SP text], no enhanced code
// (RFC 2034 3).
TEST(ServerGreeting, Is220WithHostname) {
  Config config;
  config.hostname = "mx.example.org";
  Driver d(config);
  EXPECT_EQ(Summary(d.greeting()), "220 mx.example.org ESMTP smtpspec");
  EXPECT_EQ(d.machine().state(), State::kConnected);
}

// RFC 5321 3.1 / 4.3.2: a 554 greeting, then 503 to everything but QUIT.
TEST(ServerGreeting, Refused554ThenOnly503UntilQuit) {
  Config config;
  config.greeting = Greeting::kRefuse;
  config.greeting_text = "No SMTP service here";
  Driver d(config);
  EXPECT_EQ(Summary(d.greeting()), "554 localhost No SMTP service here");
  EXPECT_EQ(d.machine().state(), State::kRefused);
  for (const char* line : {"EHLO client.example", "HELO client.example",
                           "MAIL FROM:<a@example.org>", "NOOP", "RSET",
                           "VRFY user", "HELP", "XYZZY"}) {
    EXPECT_EQ(d.Code(line), 503) << line;
  }
  EXPECT_EQ(d.Code("QUIT"), 221);
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kClose));
  EXPECT_EQ(d.machine().state(), State::kClosed);
}

// RFC 5321 3.1: a backend that refuses the connection gets the 554 greeting
// with its own reason.
TEST(ServerGreeting, BackendRefusal) {
  testing::FakeHandler handler;
  Machine machine(Config{}, handler);
  machine.Refuse(Error{554, std::nullopt, "Go away\r\nnow"}, At(0));
  std::vector<Reply> replies = machine.TakeReplies();
  ASSERT_EQ(replies.size(), 1u);
  // CR and LF from the backend never reach the wire (RFC 5321 4.2).
  EXPECT_EQ(Summary(replies[0]), "554 localhost Go away??now");
  EXPECT_EQ(machine.state(), State::kRefused);
  machine.Start(At(0));  // too late: no second greeting
  EXPECT_TRUE(machine.TakeReplies().empty());
}

// RFC 5321 4.1.1.1: the EHLO response lists the extensions, one per line,
// without enhanced codes (RFC 2034 3); STARTTLS only when TLS is available
// (RFC 3207 4).
TEST(ServerEhlo, ListsConfiguredExtensions) {
  Driver d;
  EXPECT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_THAT(
      d.last().lines,
      ElementsAre("localhost greets client.example", "8BITMIME", "PIPELINING",
                  "SIZE 10485760", "ENHANCEDSTATUSCODES", "CHUNKING"));
  EXPECT_FALSE(d.last().enhanced);
  EXPECT_EQ(d.machine().state(), State::kReady);
  EXPECT_THAT(d.handler().calls, ElementsAre("EHLO client.example"));
}

TEST(ServerEhlo, ExtensionsCanBeSwitched) {
  Config config;
  ext::Disable(config.extensions, "pipelining");
  ext::Disable(config.extensions, "size");
  ext::Enable(config.extensions, "starttls");
  ext::Enable(config.extensions, "smtputf8");
  ext::Disable(config.extensions, "chunking");
  Driver d(config);
  EXPECT_EQ(d.Code("EHLO [192.0.2.1]"), 250);
  EXPECT_THAT(d.last().lines,
              ElementsAre("localhost greets [192.0.2.1]", "8BITMIME",
                          "ENHANCEDSTATUSCODES", "STARTTLS", "SMTPUTF8"));
}

// RFC 5321 4.1.1.1: HELO gets a one-line 250.
TEST(ServerEhlo, HeloIsOneLine) {
  Driver d;
  EXPECT_EQ(d.Say("HELO client.example"),
            "250 localhost greets client.example");
  EXPECT_EQ(d.last().lines.size(), 1u);
  EXPECT_EQ(d.machine().state(), State::kReady);
}

// RFC 5321 4.1.1.1: "EHLO" SP (Domain / address-literal); anything else is
// 501 (4.3.2), still without enhanced code (RFC 2034 3).
TEST(ServerEhlo, BadArgumentIs501) {
  Driver d;
  for (const char* line : {"EHLO", "EHLO -bad.example", "EHLO a b", "HELO",
                           "HELO [300.1.1.1]", "EHLO a..b"}) {
    EXPECT_EQ(d.Code(line), 501) << line;
    EXPECT_FALSE(d.last().enhanced) << line;
  }
  EXPECT_EQ(d.machine().state(), State::kConnected);
}

// A backend may refuse the greeting; the client stays un-greeted.
TEST(ServerEhlo, BackendRefusal) {
  Driver d;
  d.handler().hello_answer = Error{550, EnhancedCode{5, 7, 1}, "Not you"};
  EXPECT_EQ(d.Say("EHLO client.example"), "550 Not you");
  EXPECT_EQ(d.machine().state(), State::kConnected);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org>"), 503);
}

// RFC 5321 4.1.4: after a refused EHLO "the SMTP server MUST stay in the
// same state ... it was in before the EHLO was received": an open
// transaction survives a bad or refused EHLO/HELO.
TEST(ServerEhlo, RefusedEhloKeepsState) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction(1));
  EXPECT_EQ(d.Code("EHLO"), 501);
  EXPECT_EQ(d.Code("HELO -x"), 501);
  d.handler().hello_answer = Error{550, std::nullopt, "Not you"};
  EXPECT_EQ(d.Code("EHLO other.example"), 550);
  EXPECT_EQ(d.machine().state(), State::kRcpt);
  EXPECT_EQ(d.machine().envelope().helo, "client.example");
  EXPECT_EQ(d.machine().envelope().recipients.size(), 1u);
  EXPECT_EQ(d.handler().resets, 0);
  EXPECT_EQ(d.Code("DATA"), 354);
}

// RFC 5321 4.1.4: a second EHLO is allowed and starts the session over.
TEST(ServerEhlo, SecondEhloAllowed) {
  Driver d;
  EXPECT_EQ(d.Code("EHLO one.example"), 250);
  EXPECT_EQ(d.Code("EHLO two.example"), 250);
  EXPECT_EQ(d.Code("HELO three.example"), 250);
  EXPECT_EQ(d.machine().envelope().helo, "three.example");
}

// RFC 5321 4.1.4: EHLO or HELO in mid-transaction abandons it, like RSET.
TEST(ServerEhlo, ResetsTransaction) {
  for (const char* hello : {"EHLO again.example", "HELO again.example"}) {
    Driver d;
    ASSERT_TRUE(d.OpenTransaction(2));
    EXPECT_EQ(d.Code(hello), 250) << hello;
    EXPECT_EQ(d.machine().state(), State::kReady);
    EXPECT_TRUE(d.machine().envelope().recipients.empty());
    EXPECT_EQ(d.handler().resets, 1);
    EXPECT_EQ(d.Code("RCPT TO:<b@example.org>"), 503) << hello;
    EXPECT_EQ(d.Code("DATA"), 503) << hello;
  }
}

// RFC 5321 4.1.4: MAIL needs EHLO/HELO first; NOOP, RSET, VRFY, HELP and
// QUIT do not.
TEST(ServerSequence, BeforeEhlo) {
  Driver d;
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org>"), 503);
  EXPECT_EQ(d.Code("RCPT TO:<b@example.org>"), 503);
  EXPECT_EQ(d.Code("DATA"), 503);
  EXPECT_EQ(d.Code("NOOP"), 250);
  EXPECT_EQ(d.Code("RSET"), 250);
  EXPECT_EQ(d.Code("VRFY someone"), 252);
  EXPECT_EQ(d.Code("HELP"), 214);
  EXPECT_EQ(d.machine().state(), State::kConnected);
  EXPECT_EQ(d.Code("QUIT"), 221);
}

// RFC 5321 4.1.4 / 3.3: RCPT before MAIL, DATA before RCPT, nested MAIL are
// 503 with 5.5.1 (RFC 3463).
TEST(ServerSequence, BadSequenceIs503) {
  Driver d;
  EXPECT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Say("RCPT TO:<b@example.org>"),
            "503 5.5.1 Need MAIL before RCPT");
  EXPECT_EQ(d.Code("DATA"), 503);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(d.Say("DATA"), "503 5.5.1 No valid recipients");
  EXPECT_EQ(d.Say("MAIL FROM:<a@example.org>"),
            "503 5.5.1 Nested MAIL command");
  EXPECT_EQ(d.machine().state(), State::kMail);
  EXPECT_EQ(d.Code("RCPT TO:<b@example.org>"), 250);
  EXPECT_EQ(d.Code("MAIL FROM:<c@example.org>"), 503);
  EXPECT_EQ(d.machine().state(), State::kRcpt);
}

// RFC 5321 4.1.4: NOOP, RSET, VRFY (and HELP) are valid in every state but
// DATA; each state answers them with 250/252/214.
TEST(ServerSequence, AnytimeCommandsInEveryState) {
  for (int recipients : {-1, 0, 1}) {  // ready, mail, rcpt
    for (const char* line : {"NOOP", "NOOP whatever", "VRFY user", "HELP"}) {
      Driver d;
      ASSERT_EQ(d.Code("EHLO client.example"), 250);
      if (recipients >= 0) {
        ASSERT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
      }
      if (recipients >= 1) {
        ASSERT_EQ(d.Code("RCPT TO:<b@example.org>"), 250);
      }
      State before = d.machine().state();
      int code = d.Code(line);
      EXPECT_TRUE(code == 250 || code == 252 || code == 214) << line;
      EXPECT_EQ(d.machine().state(), before) << line;
    }
  }
}

// RFC 5321 4.1.1.5: RSET clears the transaction but keeps the EHLO.
TEST(ServerSequence, RsetClearsTransactionNotEhlo) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction(3));
  EXPECT_EQ(d.Say("RSET"), "250 2.0.0 OK");
  EXPECT_EQ(d.machine().state(), State::kReady);
  EXPECT_TRUE(d.machine().envelope().recipients.empty());
  EXPECT_EQ(d.handler().resets, 1);
  EXPECT_EQ(d.Code("DATA"), 503);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);  // no new EHLO needed
  EXPECT_TRUE(d.last().enhanced);                       // still ESMTP
  // rset = "RSET" CRLF: an argument is a syntax error (4.1.1.5, 4.3.2).
  EXPECT_EQ(d.Say("RSET now"), "501 5.5.4 RSET takes no argument");
  EXPECT_EQ(d.machine().state(), State::kMail);
}

// RFC 5321 4.1.1.10: QUIT gets 221 and the server closes; the backend is
// told once; later commands are ignored.
TEST(ServerSequence, QuitCloses) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Say("QUIT"),
            "221 2.0.0 localhost Service closing transmission channel");
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kClose));
  EXPECT_EQ(d.machine().state(), State::kClosed);
  EXPECT_FALSE(d.machine().Deadline());
  EXPECT_EQ(d.handler().logouts, 1);
  EXPECT_EQ(d.handler().resets, 1);  // the open transaction was abandoned
  EXPECT_EQ(d.Say("NOOP"), "<none>");
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kBytesAfterClose));
  EXPECT_EQ(d.handler().logouts, 1);
}

TEST(ServerSequence, QuitWithArgumentIs501) {
  Driver d;
  EXPECT_EQ(d.Code("QUIT now"), 501);
  EXPECT_EQ(d.machine().state(), State::kConnected);
}

// RFC 5321 3.8 / 4.2.3: the agent shuts down: 421 in any state, then close.
TEST(ServerSequence, Shutdown421) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA"), 354);
  d.machine().Shutdown(At(2));
  std::vector<Reply> replies = d.Take();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(Summary(replies[0]),
            "421 4.3.2 localhost Service not available, closing transmission "
            "channel");
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kClose));
  EXPECT_EQ(d.machine().state(), State::kClosed);
  EXPECT_EQ(d.handler().logouts, 1);
  d.machine().Shutdown(At(3));  // only once
  EXPECT_TRUE(d.Take().empty());
}

// RFC 5321 4.2.2 / 4.2.4: unknown verb 500, known but not implemented 502;
// RFC 3463 5.5.1 either way.
TEST(ServerCommands, UnknownAndNotImplemented) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Say("XYZZY plugh"), "500 5.5.1 Command unrecognized: XYZZY");
  EXPECT_EQ(d.Say("EXPN staff"), "502 5.5.1 Command not implemented: EXPN");
  EXPECT_EQ(d.Code("AUTH PLAIN"), 502);
  EXPECT_EQ(d.machine().state(), State::kReady);
}

// RFC 5321 4.1.1.8: HELP is optional: 214 when offered, else 502.
TEST(ServerCommands, Help) {
  Driver d;
  EXPECT_THAT(d.Say("HELP"), HasSubstr("214 Commands: EHLO HELO MAIL"));
  Config config;
  ext::Disable(config.extensions, "help");
  Driver off(config);
  EXPECT_EQ(off.Code("HELP"), 502);
}

// RFC 5321 3.5.3 / 4.1.1.6: VRFY needs an argument; the answer depends on
// the configured mode; 252 is the polite refusal.
TEST(ServerCommands, VrfyModes) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Say("VRFY"), "501 5.5.4 VRFY needs a user name or mailbox");
  EXPECT_EQ(d.Say("VRFY bob"),
            "252 2.5.0 Cannot VRFY user, but will accept message and attempt "
            "delivery");

  Config off;
  off.vrfy = VrfyMode::kNotImplemented;
  Driver d2(off);
  EXPECT_EQ(d2.Code("VRFY bob"), 502);

  Config ask;
  ask.vrfy = VrfyMode::kAskBackend;
  Driver d3(ask);
  ASSERT_EQ(d3.Code("EHLO client.example"), 250);
  EXPECT_EQ(d3.Say("VRFY bob"), "250 2.1.5 User OK");
  d3.handler().vrfy_answer =
      Reply{550, EnhancedCode{5, 1, 1}, {"No such user"}};
  EXPECT_EQ(d3.Say("VRFY eve"), "550 5.1.1 No such user");
  // A backend answering nonsense does not put it on the wire.
  d3.handler().vrfy_answer = Reply{999, std::nullopt, {}};
  EXPECT_EQ(d3.Code("VRFY eve"), 451);
  EXPECT_THAT(d3.handler().calls, ElementsAre("EHLO client.example", "VRFY bob",
                                              "VRFY eve", "VRFY eve"));
}

// RFC 5321 4.2.2: a line that is not a command (too long, empty) is 500 and
// the session carries on.
TEST(ServerCommands, RejectLine) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  d.machine().RejectLine("Line too long", At(1));
  std::vector<Reply> replies = d.Take();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(Summary(replies[0]), "500 5.5.2 Line too long");
  EXPECT_EQ(d.Code("NOOP"), 250);
}

// RFC 2034 3: enhanced codes only after EHLO with ENHANCEDSTATUSCODES
// advertised; none after HELO, none when the extension is off, none on
// 354. Codes per RFC 3463.
TEST(ServerEnhancedCodes, OnlyWhenNegotiated) {
  Driver ehlo;
  ASSERT_TRUE(ehlo.OpenTransaction());
  EXPECT_EQ(ehlo.Say("DATA"), "354 End data with <CR><LF>.<CR><LF>");

  Driver helo;
  ASSERT_EQ(helo.Code("HELO client.example"), 250);
  EXPECT_EQ(helo.Say("MAIL FROM:<a@example.org>"), "250 OK");
  EXPECT_EQ(helo.Say("RCPT TO:<b@example.org>"), "250 OK");
  EXPECT_EQ(helo.Say("XYZZY"), "500 Command unrecognized: XYZZY");

  Config config;
  ext::Disable(config.extensions, "enhancedstatuscodes");
  Driver off(config);
  ASSERT_EQ(off.Code("EHLO client.example"), 250);
  EXPECT_EQ(off.Say("MAIL FROM:<a@example.org>"), "250 OK");
  EXPECT_EQ(off.Say("MAIL FROM:<a@example.org>"), "503 Nested MAIL command");

  Driver before;
  EXPECT_EQ(before.Say("NOOP"), "250 OK");  // no EHLO yet
}

// RFC 2034 4: once advertised, the codes stay for the session: a HELO
// after EHLO does not withdraw them (the client has seen the keyword).
// ESMTP parameters, though, need the session to be an EHLO one (RFC 5321
// 2.2.1).
TEST(ServerEnhancedCodes, StayAfterHelo) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  ASSERT_EQ(d.Code("HELO client.example"), 250);
  EXPECT_EQ(d.Say("NOOP"), "250 2.0.0 OK");
  EXPECT_THAT(d.Say("MAIL FROM:<a@example.org> SIZE=1"),
              HasSubstr("555 5.5.4"));
}

TEST(ServerEnhancedCodes, PerReply) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Say("NOOP"), "250 2.0.0 OK");
  EXPECT_EQ(d.Say("MAIL FROM:<a@example.org>"), "250 2.1.0 OK");  // X.1.0
  EXPECT_EQ(d.Say("RCPT TO:<b@example.org>"), "250 2.1.5 OK");    // X.1.5
  EXPECT_THAT(d.Say("RCPT TO:<b@@example.org>"), HasSubstr("501 5.5.2"));
  EXPECT_THAT(d.Say("MAIL FROM:<a@example.org>"), HasSubstr("503 5.5.1"));
  EXPECT_THAT(d.Say("QUIT"), HasSubstr("221 2.0.0"));
}

// A backend Error's enhanced code must agree with its class (RFC 3463 2);
// a backend "refusing" with a success code is a bug, not a success.
TEST(ServerEnhancedCodes, BackendErrorsSanitised) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  d.handler().mail_answer = Error{550, EnhancedCode{4, 7, 1}, "Wrong class"};
  EXPECT_EQ(d.Say("MAIL FROM:<a@example.org>"), "550 Wrong class");
  d.handler().mail_answer = Error{250, std::nullopt, "Looks fine"};
  EXPECT_THAT(d.Say("MAIL FROM:<a@example.org>"), HasSubstr("451 4.3.0"));
  EXPECT_EQ(d.machine().state(), State::kReady);
}

// Valid settings pass; below-RFC minimums are reported (RFC 5321 4.5.3.1).
TEST(ServerConfig, Check) {
  EXPECT_TRUE(CheckConfig(Config{}).ok());
  Config few;
  few.max_recipients = 99;
  Status status = CheckConfig(few);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().reason, HasSubstr("4.5.3.1.8"));
  Config short_lines;
  short_lines.max_command_line = 511;
  EXPECT_FALSE(CheckConfig(short_lines).ok());
  Config nameless;
  nameless.hostname = "";
  EXPECT_FALSE(CheckConfig(nameless).ok());
}

}  // namespace
}  // namespace smtpspec::server
