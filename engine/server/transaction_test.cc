// The mail transaction on the server machine: MAIL, RCPT, DATA, their
// parameters, the backend's decisions, postmaster, and the recipient and
// size limits (RFC 5321 3.3, 4.1.1.2-4, 4.5.1, 4.5.3.1; RFC 1870); and
// server::Transaction, the object that holds it.
#include "engine/server/transaction.h"

#include <string>
#include <vector>

#include "engine/ext/eightbitmime.h"
#include "engine/ext/size.h"
#include "engine/server/machine.h"
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

// Finishes DATA with `content` and returns the one reply's summary.
std::string EndData(Driver& d, std::string_view content, bool too_big = false) {
  d.machine().FinishData(content, too_big, At(5));
  std::vector<Reply> replies = d.Take();
  if (replies.size() != 1) return "<" + std::to_string(replies.size()) + ">";
  return Summary(replies[0]);
}

// RFC 5321 3.3 / 4.1.1.4: the whole transaction, and what the backend sees.
TEST(ServerTransaction, HappyPath) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Code("MAIL FROM:<alice@example.org> SIZE=100 BODY=8BITMIME"),
            250);
  EXPECT_EQ(d.machine().state(), State::kMail);
  EXPECT_EQ(d.Code("RCPT TO:<bob@example.org>"), 250);
  EXPECT_EQ(d.Code("RCPT TO:<\"carol smith\"@example.net>"), 250);
  EXPECT_EQ(d.machine().state(), State::kRcpt);
  EXPECT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(d.machine().state(), State::kData);
  EXPECT_EQ(EndData(d, "Subject: hi\r\n\r\nHello\r\n"),
            "250 2.0.0 OK: message accepted");
  EXPECT_EQ(d.machine().state(), State::kReady);
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kMessageAccepted));

  ASSERT_EQ(d.handler().messages.size(), 1u);
  const testing::FakeHandler::Message& m = d.handler().messages[0];
  EXPECT_EQ(m.content, "Subject: hi\r\n\r\nHello\r\n");
  EXPECT_EQ(m.envelope.helo, "client.example");
  EXPECT_TRUE(m.envelope.extended);
  EXPECT_FALSE(m.envelope.tls);
  EXPECT_EQ(m.envelope.reverse_path.mailbox.local_part, "alice");
  ASSERT_EQ(m.envelope.mail_parameters.size(), 2u);
  EXPECT_EQ(m.envelope.mail_parameters[1].keyword, "BODY");
  ASSERT_EQ(m.envelope.recipients.size(), 2u);
  EXPECT_EQ(m.envelope.recipients[1].path.mailbox.local_part, "carol smith");
  EXPECT_THAT(d.handler().calls,
              ElementsAre("EHLO client.example", "MAIL <alice@example.org>",
                          "RCPT <bob@example.org>",
                          "RCPT <\"carol smith\"@example.net>", "DATA 22"));
  EXPECT_EQ(d.handler().resets, 1);  // transaction over

  // A second transaction in the same session starts with MAIL again.
  EXPECT_EQ(d.Code("RCPT TO:<bob@example.org>"), 503);
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(EndData(d, ""), "250 2.0.0 OK: message accepted");
  EXPECT_EQ(d.handler().messages.size(), 2u);
}

// RFC 5321 4.5.5 / 6.1: the null reverse-path <> is a valid sender.
TEST(ServerTransaction, NullReversePath) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Code("MAIL FROM:<>"), 250);
  EXPECT_EQ(d.machine().envelope().reverse_path.kind, Path::Kind::kNull);
}

// RFC 5321 4.1.2 / appendix C: a source route is accepted and ignored.
TEST(ServerTransaction, SourceRouteAccepted) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(d.Code("RCPT TO:<@relay.example:bob@example.org>"), 250);
}

// RFC 5321 4.1.1.2-3 / 4.3.2: bad syntax in the argument is 501 5.5.2, and
// changes nothing.
TEST(ServerTransaction, SyntaxErrors501) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  for (const char* line :
       {"MAIL", "MAIL FROM:", "MAIL FROM:a@example.org",
        "MAIL TO:<a@example.org>", "MAIL FROM:<a@b",
        "MAIL FROM:<a..b@example.org>", "MAIL FROM: <a@example.org>"}) {
    EXPECT_THAT(d.Say(line), HasSubstr("501 5.5.2 Syntax error in MAIL"))
        << line;
    EXPECT_EQ(d.machine().state(), State::kReady) << line;
  }
  ASSERT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
  for (const char* line : {"RCPT", "RCPT TO:", "RCPT TO:<>", "RCPT FROM:<b@c>",
                           "RCPT TO:<b@-example.org>"}) {
    EXPECT_THAT(d.Say(line), HasSubstr("501 5.5.2 Syntax error in RCPT"))
        << line;
    EXPECT_EQ(d.machine().state(), State::kMail) << line;
  }
  EXPECT_TRUE(d.handler().calls.size() == 2);  // the backend saw none of them
}

// RFC 5321 4.1.1: "SMTP receivers SHOULD tolerate trailing white space
// before the terminating <CRLF>". SP and HTAB after the argument are
// dropped for every verb before its argument is parsed.
TEST(ServerTransaction, TrailingWhiteSpaceTolerated) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example \t"), 250);
  EXPECT_EQ(d.machine().envelope().helo, "client.example");
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org> "), 250);
  EXPECT_EQ(d.Code("RCPT TO:<b@example.org>\t"), 250);
  EXPECT_EQ(d.Code("RCPT TO:<c@example.org> \t \t"), 250);
  EXPECT_EQ(d.Code("RSET \t"), 250);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org> SIZE=100\t "), 250);
  ASSERT_EQ(d.machine().envelope().mail_parameters.size(), 1u);
  EXPECT_EQ(d.machine().envelope().mail_parameters[0].value, "100");
  EXPECT_EQ(d.Code("RCPT TO:<b@example.org> "), 250);
  EXPECT_EQ(d.Code("DATA  "), 354);
  EXPECT_EQ(EndData(d, ""), "250 2.0.0 OK: message accepted");
  EXPECT_THAT(
      d.handler().calls,
      ElementsAre("EHLO client.example", "MAIL <a@example.org>",
                  "RCPT <b@example.org>", "RCPT <c@example.org>",
                  "MAIL <a@example.org>", "RCPT <b@example.org>", "DATA 0"));
  // Only trailing blanks go: one inside the argument is still an error.
  EXPECT_EQ(d.Code("MAIL FROM: <a@example.org> "), 501);
  EXPECT_EQ(d.Code("QUIT \t"), 221);
}

// RFC 5321 4.1.1.11: unknown MAIL/RCPT parameters are 555; RFC 1870 6.1:
// a declared SIZE above the limit is 552 5.3.4; RFC 6152: BODY values.
TEST(ServerTransaction, MailParameters) {
  Config config;
  config.max_message_size = 1000;
  Driver d(config);
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  struct Case {
    const char* args;
    const char* want;
  } cases[] = {
      {" SIZE=1000", "250 2.1.0"},
      {" size=999 body=7bit", "250 2.1.0"},
      {" BODY=8BITMIME", "250 2.1.0"},
      {" SIZE=1001", "552 5.3.4"},
      {" SIZE=99999999999999999999", "552 5.3.4"},
      {" SIZE=abc", "501 5.5.4"},
      {" SIZE", "501 5.5.4"},
      {" SIZE=1 SIZE=2", "501 5.5.4"},
      {" BODY=BINARYMIME", "504 5.5.4"},
      {" BODY=9BIT", "501 5.5.4"},
      {" SMTPUTF8", "555 5.5.4"},  // extension off by default
      {" RET=HDRS", "555 5.5.4"},  // DSN not offered
      {" X-UNKNOWN=1", "555 5.5.4"},
  };
  for (const Case& c : cases) {
    std::string summary =
        d.Say(std::string("MAIL FROM:<a@example.org>") + c.args);
    EXPECT_THAT(summary, HasSubstr(c.want)) << c.args;
    if (d.machine().state() == State::kMail) {
      ASSERT_EQ(d.Code("RSET"), 250);
    }
  }
}

// ESMTP parameters need EHLO (RFC 5321 2.2.1): after HELO they are 555.
TEST(ServerTransaction, ParametersNeedEhlo) {
  Driver d;
  ASSERT_EQ(d.Code("HELO client.example"), 250);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org> SIZE=10"), 555);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
}

// 8BITMIME switched off: BODY is not offered, so 555 (RFC 5321 4.1.1.11).
TEST(ServerTransaction, ParameterOfExtensionSwitchedOff) {
  Config config;
  ext::Disable(config.extensions, "8bitmime");
  ext::Enable(config.extensions, "smtputf8");
  Driver d(config);
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org> BODY=8BITMIME"), 555);
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org> SMTPUTF8"), 250);
}

// No RCPT parameter is offered (no DSN): 555 (RFC 5321 4.1.1.11).
TEST(ServerTransaction, RcptParameters) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Say("RCPT TO:<c@example.org> NOTIFY=NEVER"),
            "555 5.5.4 Parameter not recognized or not implemented: NOTIFY");
  EXPECT_EQ(d.machine().envelope().recipients.size(), 1u);
}

// RFC 5321 4.1.1.2-3: the backend decides about senders and mailboxes
// (550/553); a refusal changes no state.
TEST(ServerTransaction, BackendRefusals) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  d.handler().mail_answer = Error{553, EnhancedCode{5, 1, 8}, "Bad sender"};
  EXPECT_EQ(d.Say("MAIL FROM:<spam@example.org>"), "553 5.1.8 Bad sender");
  EXPECT_EQ(d.machine().state(), State::kReady);
  d.handler().mail_answer.reset();
  ASSERT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
  d.handler().rcpt_answer = [](const Path& path) -> std::optional<Error> {
    if (path.mailbox.local_part == "nobody") {
      return Error{550, EnhancedCode{5, 1, 1}, "No such user"};
    }
    if (path.mailbox.local_part == "later") {
      return Error{450, EnhancedCode{4, 2, 1}, "Mailbox busy"};
    }
    return std::nullopt;
  };
  EXPECT_EQ(d.Say("RCPT TO:<nobody@example.org>"), "550 5.1.1 No such user");
  EXPECT_EQ(d.machine().state(), State::kMail);
  EXPECT_EQ(d.Say("RCPT TO:<later@example.org>"), "450 4.2.1 Mailbox busy");
  EXPECT_EQ(d.Code("DATA"), 503);  // still no valid recipient
  EXPECT_EQ(d.Code("RCPT TO:<bob@example.org>"), 250);
  ASSERT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(EndData(d, "x\r\n"), "250 2.0.0 OK: message accepted");
  ASSERT_EQ(d.handler().messages.size(), 1u);
  ASSERT_EQ(d.handler().messages[0].envelope.recipients.size(), 1u);
}

// RFC 5321 4.1.1.4: the backend may refuse the content; the transaction is
// over either way.
TEST(ServerTransaction, BackendRefusesData) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA"), 354);
  d.handler().data_answer = Error{554, EnhancedCode{5, 6, 0}, "Rejected"};
  EXPECT_EQ(EndData(d, "spam\r\n"), "554 5.6.0 Rejected");
  EXPECT_EQ(d.machine().state(), State::kReady);
  EXPECT_FALSE(HasEvent(d.events(), event::Kind::kMessageAccepted));
  EXPECT_EQ(d.handler().resets, 1);
  d.handler().data_answer = Error{451, EnhancedCode{4, 3, 0}, "Disk full"};
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(EndData(d, "x\r\n"), "451 4.3.0 Disk full");
}

// RFC 5321 4.1.1.4: data = "DATA" CRLF.
TEST(ServerTransaction, DataWithArgumentIs501) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Say("DATA now"), "501 5.5.4 DATA takes no argument");
  EXPECT_EQ(d.machine().state(), State::kRcpt);
}

// RFC 1870 6.2 / RFC 5321 4.5.3.1.10: content over the limit is answered
// 552 5.3.4 after the end of data; the backend never sees it.
TEST(ServerTransaction, MessageTooBig) {
  Config config;
  config.max_message_size = 10;
  Driver d(config);
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(EndData(d, "", /*too_big=*/true),
            "552 5.3.4 Message size exceeds fixed maximum message size");
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(EndData(d, "0123456789!"),
            "552 5.3.4 Message size exceeds fixed "
            "maximum message size");
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(EndData(d, "0123456789"), "250 2.0.0 OK: message accepted");
  EXPECT_EQ(d.handler().messages.size(), 1u);
  EXPECT_EQ(d.machine().state(), State::kReady);
}

// RFC 5321 4.5.3.1.8: at least 100 recipients; 4.5.3.1.10: past the
// limit, 452 4.5.3 (RFC 3463), and the transaction goes on.
TEST(ServerTransaction, RecipientLimitAt100) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction(100));
  EXPECT_EQ(d.machine().envelope().recipients.size(), 100u);
  EXPECT_EQ(d.Say("RCPT TO:<one-more@example.org>"),
            "452 4.5.3 Too many recipients");
  EXPECT_EQ(d.Code("RCPT TO:<and-another@example.org>"), 452);
  EXPECT_EQ(d.machine().state(), State::kRcpt);
  ASSERT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(EndData(d, "x\r\n"), "250 2.0.0 OK: message accepted");
  EXPECT_EQ(d.handler().messages[0].envelope.recipients.size(), 100u);
  // The next transaction starts counting again.
  ASSERT_TRUE(d.OpenTransaction(100));
}

TEST(ServerTransaction, RecipientLimitConfigurable) {
  Config config;
  config.max_recipients = 150;
  Driver d(config);
  ASSERT_TRUE(d.OpenTransaction(150));
  EXPECT_EQ(d.Code("RCPT TO:<x@example.org>"), 452);
  // Refused recipients do not count against the limit.
  Config three;
  three.max_recipients = 3;
  Driver small(three);
  ASSERT_EQ(small.Code("EHLO client.example"), 250);
  ASSERT_EQ(small.Code("MAIL FROM:<a@example.org>"), 250);
  small.handler().rcpt_answer = [](const Path& p) -> std::optional<Error> {
    if (p.mailbox.local_part == "no") return Error{550, std::nullopt, "No"};
    return std::nullopt;
  };
  EXPECT_EQ(small.Code("RCPT TO:<no@example.org>"), 550);
  EXPECT_EQ(small.Code("RCPT TO:<r1@example.org>"), 250);
  EXPECT_EQ(small.Code("RCPT TO:<r2@example.org>"), 250);
  EXPECT_EQ(small.Code("RCPT TO:<r3@example.org>"), 250);
  EXPECT_EQ(small.Code("RCPT TO:<r4@example.org>"), 452);
}

// RFC 5321 4.5.1: postmaster is always accepted, case-insensitively, with
// no domain or at one of the server's domains, whatever the backend says.
TEST(ServerPostmaster, AlwaysAcceptedForOurDomains) {
  Config config;
  config.hostname = "mx.example.org";
  config.domains = {"example.org", "example.net"};
  Driver d(config);
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  ASSERT_EQ(d.Code("MAIL FROM:<a@example.com>"), 250);
  d.handler().rcpt_answer = [](const Path&) -> std::optional<Error> {
    return Error{550, EnhancedCode{5, 1, 1}, "Nobody here"};
  };
  for (const char* rcpt :
       {"<Postmaster>", "<postmaster>", "<POSTMASTER>", "<PostMaster>",
        "<postmaster@mx.example.org>", "<POSTMASTER@MX.EXAMPLE.ORG>",
        "<postmaster@example.org>", "<Postmaster@Example.Net>"}) {
    EXPECT_EQ(d.Say(std::string("RCPT TO:") + rcpt), "250 2.1.5 OK") << rcpt;
  }
  EXPECT_EQ(d.machine().envelope().recipients.size(), 8u);
  int overrides = 0;
  for (const Event& e : d.events()) {
    if (e.kind == event::Kind::kPostmasterOverride) {
      ++overrides;
      EXPECT_THAT(e.detail, HasSubstr("550 Nobody here"));
    }
  }
  EXPECT_EQ(overrides, 8);
  // Other domains' postmasters, and other mailboxes, are the backend's.
  for (const char* rcpt :
       {"<postmaster@example.com>", "<postmaster@[192.0.2.1]>",
        "<post.master@example.org>", "<bob@example.org>"}) {
    EXPECT_EQ(d.Say(std::string("RCPT TO:") + rcpt), "550 5.1.1 Nobody here")
        << rcpt;
  }
  ASSERT_EQ(d.Code("DATA"), 354);
  EXPECT_EQ(EndData(d, "x\r\n"), "250 2.0.0 OK: message accepted");
  EXPECT_EQ(d.handler().messages[0].envelope.recipients.size(), 8u);
}

// <Postmaster> without a domain is an RCPT form only (RFC 5321 4.1.1.3).
TEST(ServerPostmaster, NotASender) {
  Driver d;
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_EQ(d.Code("MAIL FROM:<Postmaster>"), 501);
}

// A backend that accepts postmaster itself causes no override event.
TEST(ServerPostmaster, NoEventWhenBackendAccepts) {
  Driver d;
  ASSERT_TRUE(d.OpenTransaction());
  EXPECT_EQ(d.Code("RCPT TO:<Postmaster>"), 250);
  EXPECT_FALSE(HasEvent(d.events(), event::Kind::kPostmasterOverride));
}

// Transaction: End() forgets the transaction but not the greeting (RFC 5321
// 4.1.1.5); Forget() forgets the greeting too (RFC 3207 4.2).
TEST(Transaction, EndKeepsTheGreetingForgetDoesNot) {
  Transaction t;
  EXPECT_FALSE(t.open());
  t.Greeted("client.example", true);
  ext::Size size;
  ext::States states;
  states.push_back(ext::ModuleState{&size, size.NewState()});
  t.Begin(Path{}, {Parameter{"SIZE", "10"}}, std::move(states));
  t.AddRecipient(Recipient{});
  t.AcceptChunk(/*tls=*/true);
  t.Append("abc");
  t.Spoil();
  EXPECT_TRUE(t.open());
  EXPECT_TRUE(t.chunked());
  EXPECT_TRUE(t.spoilt());
  EXPECT_TRUE(t.envelope().tls);
  EXPECT_EQ(t.message(), "abc");
  EXPECT_EQ(t.envelope().recipients.size(), 1u);
  EXPECT_EQ(t.extensions().size(), 1u);

  EXPECT_TRUE(t.End());
  EXPECT_FALSE(t.End());  // nothing open any more
  EXPECT_FALSE(t.open());
  EXPECT_FALSE(t.chunked());
  EXPECT_FALSE(t.spoilt());
  EXPECT_EQ(t.message(), "");
  EXPECT_TRUE(t.envelope().recipients.empty());
  EXPECT_TRUE(t.envelope().mail_parameters.empty());
  EXPECT_TRUE(t.extensions().empty());
  EXPECT_EQ(t.envelope().helo, "client.example");
  EXPECT_TRUE(t.envelope().extended);

  t.Forget();
  EXPECT_EQ(t.envelope(), Envelope{});
}

TEST(Transaction, TakeMessageLeavesNone) {
  Transaction t;
  t.Append("one");
  t.Append("two");
  EXPECT_EQ(t.TakeMessage(), "onetwo");
  EXPECT_EQ(t.message(), "");
}

// The modules' states live in the machine's transaction: made by MAIL,
// untouched by a refused MAIL or RCPT, gone with RSET.
TEST(ServerTransaction, ExtensionStatesLiveInTheTransaction) {
  Driver d;
  const auto* size =
      static_cast<const ext::Size*>(ext::Find(ext::Defaults(), "size"));
  const auto* body = static_cast<const ext::EightBitMime*>(
      ext::Find(ext::Defaults(), "8bitmime"));
  ASSERT_NE(size, nullptr);
  ASSERT_NE(body, nullptr);
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  // Refused by its second parameter: no transaction, no state.
  EXPECT_EQ(d.Code("MAIL FROM:<a@example.org> SIZE=100 BODY=9BIT"), 501);
  EXPECT_FALSE(d.machine().transaction().open());
  EXPECT_EQ(size->DeclaredSize(d.machine().transaction().extensions()),
            std::nullopt);
  ASSERT_EQ(d.Code("MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME"), 250);
  const ext::States& states = d.machine().transaction().extensions();
  EXPECT_EQ(size->DeclaredSize(states), 100u);
  EXPECT_EQ(body->DeclaredBody(states), ext::EightBitMime::Body::k8BitMime);
  EXPECT_EQ(d.Code("RCPT TO:<b@example.org> NOTIFY=NEVER"), 555);
  EXPECT_EQ(size->DeclaredSize(d.machine().transaction().extensions()), 100u);
  ASSERT_EQ(d.Code("RSET"), 250);
  EXPECT_EQ(size->DeclaredSize(d.machine().transaction().extensions()),
            std::nullopt);
  ASSERT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(size->DeclaredSize(d.machine().transaction().extensions()),
            std::nullopt);
  EXPECT_EQ(body->DeclaredBody(d.machine().transaction().extensions()),
            ext::EightBitMime::Body::kUndeclared);
}

}  // namespace
}  // namespace smtpspec::server
