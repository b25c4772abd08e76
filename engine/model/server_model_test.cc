#include "engine/model/server_model.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::model {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

Reply R(int code, std::vector<std::string> lines = {"OK"},
        std::optional<EnhancedCode> enhanced = std::nullopt) {
  return Reply{code, enhanced, std::move(lines)};
}

Command C(Verb verb, std::string name, std::string argument = "") {
  return Command{verb, std::move(name), std::move(argument)};
}

auto Is(const std::string& rfc, Level level) {
  return AllOf(Field(&Finding::rfc, rfc), Field(&Finding::level, level));
}

// A finding under this rule; its level is the catalogue's.
auto Under(const std::string& rule) { return Field(&Finding::rule, rule); }

// A model that has seen a 220 greeting and an accepted EHLO.
ServerModel Greeted(std::vector<std::string> ehlo_lines = {"mx.example.org"},
                    ServerModel::Options options = {}) {
  ServerModel model(std::move(options));
  EXPECT_THAT(model.OnGreeting(R(220, {"mx.example.org ESMTP"})), IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kEhlo, "EHLO", "client.example"),
                               R(250, ehlo_lines)),
              IsEmpty());
  return model;
}

TEST(ServerModelTest, ConformantTransactionHasNoFindings) {
  ServerModel model = Greeted();
  EXPECT_THAT(
      model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), R(250)),
      IsEmpty());
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), R(250)),
      IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(354, {"go"})),
              IsEmpty());
  EXPECT_THAT(model.OnDataEnd(R(250)), IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kQuit, "QUIT"), R(221, {"bye"})),
              IsEmpty());
  EXPECT_THAT(model.OnClose(), IsEmpty());
}

// RFC 5321 3.3 and 4.1.4: RCPT without MAIL MUST get 503.
TEST(ServerModelTest, RcptBeforeMailAcceptedIsMustFinding) {
  ServerModel model = Greeted();
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), R(250)),
      ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

TEST(ServerModelTest, RcptBeforeMailRejectedWithWrongCodeIsFinding) {
  ServerModel model = Greeted();
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), R(550)),
      ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), R(503)),
      IsEmpty());
}

// RFC 5321 4.1.4: an accepted EHLO clears the transaction like RSET.
TEST(ServerModelTest, EhloMidTransactionResetsIt) {
  ServerModel model = Greeted();
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  ASSERT_THAT(model.OnExchange(C(Verb::kEhlo, "EHLO", "c.example"),
                               R(250, {"mx.example.org"})),
              IsEmpty());
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), R(250)),
      ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

// RFC 5321 4.1.1.5: RSET clears the transaction.
TEST(ServerModelTest, RsetClearsTransaction) {
  ServerModel model = Greeted();
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  ASSERT_THAT(model.OnExchange(C(Verb::kRset, "RSET"), R(250)), IsEmpty());
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), R(250)),
      ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

// RFC 5321 4.1.4: DATA out of order MUST get 503.
TEST(ServerModelTest, DataWithoutRecipientsAcceptedIsFinding) {
  ServerModel model = Greeted();
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  ASSERT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<x@y.example>"), R(550)),
      IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(354)),
              ElementsAre(AllOf(Under("rfc5321/3.3-order-server"),
                                Is("RFC 5321 3.3", Level::kMust))));
}

TEST(ServerModelTest, DataWithoutMailRejectedIsFine) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(503)), IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(554)), IsEmpty());
}

// RFC 5321 4.5.1: postmaster, case-insensitive, with or without a domain.
TEST(ServerModelTest, PostmasterRejectionIsMustFinding) {
  for (const char* arg :
       {"TO:<Postmaster>", "TO:<POSTMASTER>", "to:<postmaster>",
        "TO:<postmaster@mx.example.org>", "TO:<PostMaster@MX.EXAMPLE.ORG>"}) {
    ServerModel model =
        Greeted({"mx.example.org"}, {.served_domains = {"mx.example.org"}});
    ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
                IsEmpty());
    EXPECT_THAT(model.OnExchange(C(Verb::kRcpt, "RCPT", arg), R(550)),
                ElementsAre(Is("RFC 5321 4.5.1", Level::kMust)))
        << arg;
  }
}

// A syntax error in the command is not a refusal of postmaster.
TEST(ServerModelTest, PostmasterSyntaxErrorIsNotRefusal) {
  ServerModel model =
      Greeted({"mx.example.org"}, {.served_domains = {"mx.example.org"}});
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<Postmaster>\t"), R(501)),
      IsEmpty());
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<Postmaster> X=1"), R(555)),
      IsEmpty());
}

// RFC 5321 4.3.2: QUIT with an argument SHOULD get 501.
TEST(ServerModelTest, QuitWithArgumentMayGet501) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kQuit, "QUIT", "now"), R(501)),
              IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kQuit, "QUIT"), R(501)),
              ElementsAre(Is("RFC 5321 4.1.1.10", Level::kMust)));
}

TEST(ServerModelTest, PostmasterAtForeignDomainMayBeRejected) {
  ServerModel model =
      Greeted({"mx.example.org"}, {.served_domains = {"mx.example.org"}});
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  EXPECT_THAT(
      model.OnExchange(
          C(Verb::kRcpt, "RCPT", "TO:<postmaster@elsewhere.example>"), R(550)),
      IsEmpty());
}

// RFC 5321 4.5.1 and 4.3.2: required commands must be recognised.
TEST(ServerModelTest, VrfyNotRecognisedIsMust) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kVrfy, "VRFY", "postmaster"), R(500)),
              ElementsAre(AllOf(Under("rfc5321/4.3.2-required-not-500"),
                                Is("RFC 5321 4.3.2", Level::kMust))));
}

// RFC 5321 4.5.1: "The following commands MUST be supported ... VRFY".
TEST(ServerModelTest, VrfyNotImplementedIsMust) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kVrfy, "VRFY", "postmaster"), R(502)),
              ElementsAre(AllOf(Under("rfc5321/4.5.1-vrfy"),
                                Is("RFC 5321 4.5.1", Level::kMust))));
  EXPECT_THAT(model.OnExchange(C(Verb::kVrfy, "VRFY", "postmaster"),
                               R(252, {"cannot VRFY"})),
              IsEmpty());
}

// RFC 5321 4.5.3.1.4: 500 is right for a line over 512 octets.
TEST(ServerModelTest, LineTooLongMayGet500) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<a@b.example>"),
                               R(500, {"line too long"}), 600),
              IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<a@b.example>"),
                               R(500, {"line too long"}), 100),
              ElementsAre(Under("rfc5321/4.3.2-required-not-500")));
}

// RFC 5321 4.2.2: 500 is also "syntax error": fine for a malformed command.
TEST(ServerModelTest, MalformedRequiredCommandMayGet500) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "<a@b.example>"), R(500)),
              IsEmpty());
  EXPECT_THAT(
      model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), R(500)),
      ElementsAre(Under("rfc5321/4.3.2-required-not-500")));
}

TEST(ServerModelTest, RsetNoopQuitMustSucceed) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kRset, "RSET"), R(451)),
              ElementsAre(Is("RFC 5321 4.1.1.5", Level::kMust)));
  EXPECT_THAT(model.OnExchange(C(Verb::kNoop, "NOOP"), R(550)),
              ElementsAre(Is("RFC 5321 4.1.1.9", Level::kMust)));
  EXPECT_THAT(model.OnExchange(C(Verb::kQuit, "QUIT"), R(250)),
              ElementsAre(Is("RFC 5321 4.1.1.10", Level::kMust)));
}

// RFC 5321 4.1.1: "SMTP receivers SHOULD tolerate trailing white space
// before the terminating <CRLF>": 500 to "RSET " (7 octets with CRLF) breaks
// that SHOULD, not RSET's MUST 250, and not 4.3.2's 500-to-required.
TEST(ServerModelTest, RefusedTrailingSpaceIsTheShouldOnly) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kRset, "RSET"), R(500), 7),
              ElementsAre(Under("rfc5321/4.1.1-trailing-space")));
  EXPECT_THAT(model.OnExchange(C(Verb::kQuit, "QUIT", " "), R(501), 8),
              ElementsAre(Under("rfc5321/4.1.1-trailing-space")));
  // Without the blank, the same 500 is the MUST.
  EXPECT_THAT(model.OnExchange(C(Verb::kRset, "RSET"), R(500), 6),
              Contains(Under("rfc5321/4.1.1.5-250")));
  // "EHLO " has no domain: 501 is right, and no trailing-space finding.
  EXPECT_THAT(model.OnExchange(C(Verb::kEhlo, "EHLO"), R(501), 7), IsEmpty());
}

// A NOOP parameter refused with 500 is 4.1.1.9's SHOULD ("servers SHOULD
// ignore it"), once; not also 4.3.2's 500-to-a-required-command MUST.
TEST(ServerModelTest, NoopParameterRefusedIsTheShouldOnce) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kNoop, "NOOP", "x"), R(500)),
              ElementsAre(Under("rfc5321/4.1.1.9-noop-parameter")));
  EXPECT_THAT(model.OnExchange(C(Verb::kNoop, "NOOP"), R(500)),
              Contains(Under("rfc5321/4.3.2-required-not-500")));
}

// RFC 5321 4.3.2: RSET with an argument SHOULD get 501.
TEST(ServerModelTest, RsetWithArgumentMayGet501) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kRset, "RSET", "now"), R(501)),
              IsEmpty());
}

// RFC 2034 section 4.
TEST(ServerModelTest, EnhancedStatusCodesRequiredOnceAdvertised) {
  ServerModel model = Greeted({"mx.example.org", "ENHANCEDSTATUSCODES"});
  EXPECT_THAT(model.OnExchange(C(Verb::kNoop, "NOOP"), R(250)),
              ElementsAre(Is("RFC 2034 4", Level::kMust)));
  EXPECT_THAT(model.OnExchange(C(Verb::kNoop, "NOOP"),
                               R(250, {"OK"}, EnhancedCode{2, 0, 0})),
              IsEmpty());
  // The reader leaves a code whose class disagrees in the text.
  std::vector<Finding> findings =
      model.OnExchange(C(Verb::kNoop, "NOOP"), R(250, {"5.0.0 OK"}));
  ASSERT_THAT(findings, ElementsAre(Is("RFC 2034 4", Level::kMust)));
  EXPECT_THAT(findings[0].message, ::testing::HasSubstr("disagrees"));
  // 3xx replies carry none.
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"),
                               R(250, {"OK"}, EnhancedCode{2, 1, 0})),
              IsEmpty());
  ASSERT_THAT(model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"),
                               R(250, {"OK"}, EnhancedCode{2, 1, 5})),
              IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(354, {"go"})),
              IsEmpty());
  EXPECT_THAT(model.OnDataEnd(R(250, {"queued"})),
              ElementsAre(Is("RFC 2034 4", Level::kMust)));
}

TEST(ServerModelTest, EhloReplyNeedsNoEnhancedCode) {
  ServerModel model = Greeted({"mx.example.org", "ENHANCEDSTATUSCODES"});
  EXPECT_THAT(
      model.OnExchange(C(Verb::kEhlo, "EHLO", "c.example"),
                       R(250, {"mx.example.org", "ENHANCEDSTATUSCODES"})),
      IsEmpty());
}

// RFC 5321 4.2 (greeting syntax) and 4.3.2 (greeting codes).
TEST(ServerModelTest, Greetings) {
  ServerModel bad_name;
  EXPECT_THAT(bad_name.OnGreeting(R(220, {"-bad- ready"})),
              ElementsAre(Is("RFC 5321 4.2", Level::kMust)));
  ServerModel bad_code;
  EXPECT_THAT(bad_code.OnGreeting(R(250, {"mx.example.org"})),
              ElementsAre(AllOf(Under("rfc5321/4.2-greeting"),
                                Is("RFC 5321 4.2", Level::kMust))));
  ServerModel literal;
  EXPECT_THAT(literal.OnGreeting(R(220, {"[192.0.2.1]"})), IsEmpty());
}

// RFC 5321 3.1: after a 554 greeting, 503 to everything but QUIT.
TEST(ServerModelTest, RefusedSessionAnswers503) {
  ServerModel model;
  ASSERT_THAT(model.OnGreeting(R(554, {"no service"})), IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kEhlo, "EHLO", "c.example"), R(503)),
              IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              ElementsAre(Is("RFC 5321 3.1", Level::kShould)));
  EXPECT_THAT(model.OnExchange(C(Verb::kQuit, "QUIT"), R(221)), IsEmpty());
}

// RFC 5321 3.8: 421 closes; nothing after it is judged.
TEST(ServerModelTest, After421NothingIsJudged) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(421)),
              IsEmpty());
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"), R(250)),
      IsEmpty());
  EXPECT_THAT(model.OnClose(), IsEmpty());
}

// RFC 5321 3.8 and 4.1.1.10: no close before QUIT is answered.
TEST(ServerModelTest, EarlyCloseIsFinding) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnClose(), ElementsAre(Is("RFC 5321 3.8", Level::kMust)));
}

// RFC 5321 4.5.3.1.8: at least 100 recipients must be buffered.
TEST(ServerModelTest, TooManyRecipientsBefore100IsFinding) {
  ServerModel model = Greeted();
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(
        model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"), R(250)),
        IsEmpty());
  }
  EXPECT_THAT(model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"),
                               R(452, {"Too many recipients"})),
              ElementsAre(Is("RFC 5321 4.5.3.1.8", Level::kMust)));
}

TEST(ServerModelTest, TooManyRecipientsAfter100IsFine) {
  ServerModel model = Greeted();
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  for (int i = 0; i < 100; ++i) {
    ASSERT_THAT(
        model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"), R(250)),
        IsEmpty());
  }
  EXPECT_THAT(model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"),
                               R(452, {"Too many recipients"})),
              IsEmpty());
}

// RFC 5321 4.3.2 lists the replies per command.
TEST(ServerModelTest, UnlistedCodeIsShould) {
  ServerModel model = Greeted();
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"),
                               R(554, {"relay denied"})),
              ElementsAre(Under("rfc5321/4.3.2-sequences")));
  EXPECT_THAT(model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"),
                               R(530, {"auth required"})),
              IsEmpty());
}

// RFC 5321 4.1.4: NOOP etc. SHOULD work before EHLO. The sentence names the
// 503 ("SHOULD process these normally (that is, not return a 503 code) even
// if no EHLO command has yet been received"), so a 503 then breaks that
// SHOULD alone, not the MUST 250 of 4.1.1.9 or 4.1.1.5; other refusals do.
TEST(ServerModelTest, NoopBeforeEhloShouldNotGet503) {
  ServerModel model;
  ASSERT_THAT(model.OnGreeting(R(220, {"mx.example.org"})), IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kNoop, "NOOP"), R(503)),
              ElementsAre(Is("RFC 5321 4.1.4", Level::kShould)));
  EXPECT_THAT(model.OnExchange(C(Verb::kRset, "RSET"), R(503)),
              ElementsAre(Under("rfc5321/4.1.4-before-ehlo-no-503")));
  EXPECT_THAT(model.OnExchange(C(Verb::kRset, "RSET"), R(550)),
              Contains(Under("rfc5321/4.1.1.5-250")));
  EXPECT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(503)),
              IsEmpty());
}

// RFC 3207 4.2: after TLS the session starts over.
TEST(ServerModelTest, TlsRestartsSession) {
  ServerModel model = Greeted({"mx.example.org", "ENHANCEDSTATUSCODES"});
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"),
                               R(250, {"OK"}, EnhancedCode{2, 1, 0})),
              IsEmpty());
  model.OnTlsStarted();
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"), R(250)),
      ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

TEST(ServerModelTest, DataEndCodes) {
  ServerModel model = Greeted();
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  ASSERT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"), R(250)),
      IsEmpty());
  ASSERT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(354)), IsEmpty());
  EXPECT_THAT(model.OnDataEnd(R(200)),
              ElementsAre(Under("rfc5321/4.3.2-data-end-replies")));
  // The transaction ended: a new RCPT needs a new MAIL.
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"), R(250)),
      ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

// A model inside a transaction with one recipient, after an EHLO reply
// offering CHUNKING (RFC 3030 2).
ServerModel InTransaction() {
  ServerModel model = Greeted({"mx.example.org", "CHUNKING"});
  EXPECT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"), R(250)),
      IsEmpty());
  return model;
}

Command Bdat(std::string argument) {
  return C(Verb::kBdat, "BDAT", std::move(argument));
}

// RFC 3030 2: 250 per chunk; LAST ends the transaction; a BDAT after it
// MUST get 503.
TEST(ServerModelTest, BdatTransaction_Rfc3030_2) {
  ServerModel model = InTransaction();
  EXPECT_THAT(model.OnExchange(Bdat("3"), R(250)), IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("0 LAST"), R(250)), IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("1 LAST"), R(503)), IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("1 LAST"), R(250)),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));
  EXPECT_THAT(model.OnExchange(Bdat("1"), R(554)),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));
  // The transaction is over: RCPT needs a new MAIL.
  EXPECT_THAT(
      model.OnExchange(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>"), R(250)),
      ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
  // A new transaction starts over.
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("1 LAST"), R(503)), IsEmpty());
}

// Message data out of order: BDAT accepted without MAIL or RCPT.
TEST(ServerModelTest, BdatOutOfOrder_Rfc5321_3_3) {
  ServerModel model = Greeted({"mx.example.org", "CHUNKING"});
  EXPECT_THAT(model.OnExchange(Bdat("4"), R(503)), IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("4"), R(250)),
              ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
  ASSERT_THAT(model.OnExchange(C(Verb::kMail, "MAIL", "FROM:<>"), R(250)),
              IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("4 LAST"), R(250)),
              ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

// RFC 3030 2: "If a DATA statement is issued after a BDAT for the current
// transaction, a 503 ... MUST be issued."
TEST(ServerModelTest, DataAfterBdat_Rfc3030_2) {
  ServerModel model = InTransaction();
  ASSERT_THAT(model.OnExchange(Bdat("3"), R(250)), IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(503)), IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(354)),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));
}

// After a failed chunk the state is indeterminate until RSET (RFC 3030 2):
// nothing about BDAT or DATA is judged; a malformed BDAT is not either.
TEST(ServerModelTest, FailedChunkIsNotJudged_Rfc3030_2) {
  ServerModel model = InTransaction();
  ASSERT_THAT(model.OnExchange(Bdat("3"), R(250)), IsEmpty());
  ASSERT_THAT(model.OnExchange(Bdat("30000000"), R(552)), IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("1 LAST"), R(250)), IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kData, "DATA"), R(354)), IsEmpty());
  EXPECT_THAT(model.OnDataEnd(R(250)), IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("1x"), R(250)), IsEmpty());
  ASSERT_THAT(model.OnExchange(C(Verb::kRset, "RSET"), R(250)), IsEmpty());
  EXPECT_THAT(model.OnExchange(Bdat("1 LAST"), R(250)),
              ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

// RFC 2034 4 holds for BDAT's replies too.
TEST(ServerModelTest, BdatRepliesCarryEnhancedCodes_Rfc2034_4) {
  ServerModel model =
      Greeted({"mx.example.org", "ENHANCEDSTATUSCODES", "CHUNKING"});
  EXPECT_THAT(model.OnExchange(Bdat("1"), R(503, {"Need MAIL"})),
              ElementsAre(Is("RFC 2034 4", Level::kMust)));
  EXPECT_THAT(
      model.OnExchange(Bdat("1"), R(503, {"Need MAIL"}, EnhancedCode{5, 5, 1})),
      IsEmpty());
}

// RFC 5321 4.1.1.9: "The receiver MUST send a '250 OK' reply" (MUST), but
// "If a parameter string is specified, servers SHOULD ignore it" (SHOULD).
TEST(ServerModelTest, NoopRefusedIsMustButWithAParameterShould) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kNoop, "NOOP"), R(502)),
              Contains(AllOf(Under("rfc5321/4.1.1.9-noop-250"),
                             Field(&Finding::level, Level::kMust))));
  EXPECT_THAT(model.OnExchange(C(Verb::kNoop, "NOOP", "x"), R(501)),
              ElementsAre(AllOf(Under("rfc5321/4.1.1.9-noop-parameter"),
                                Field(&Finding::level, Level::kShould))));
}

// A finding's message says what arrived, not only the code's name.
TEST(ServerModelTest, MessageQuotesTheReply) {
  ServerModel model = Greeted();
  std::vector<Finding> f = model.OnExchange(
      C(Verb::kRset, "RSET"), R(500, {"5.5.1 Command not implemented"}));
  ASSERT_FALSE(f.empty());
  EXPECT_NE(f.front().message.find("'500 5.5.1 Command not implemented'"),
            std::string::npos)
      << f.front().message;
}

// RFC 5321 4.1.4: a second EHLO is legal; refusing it with 503 is not one
// of the refusals 4.1.4 allows (501, 500, 502, 550).
TEST(ServerModelTest, SecondEhloRefusedWith503IsMust) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kEhlo, "EHLO", "client.example"),
                               R(503, {"5.5.1 Already identified"})),
              ElementsAre(AllOf(Under("rfc5321/4.1.4-ehlo-refused"),
                                Field(&Finding::level, Level::kMust))));
  EXPECT_THAT(model.OnExchange(C(Verb::kEhlo, "EHLO", "client.example"),
                               R(550, {"no"})),
              IsEmpty());
  EXPECT_THAT(model.OnExchange(C(Verb::kEhlo, "EHLO", "client.example"),
                               R(421, {"bye"})),
              IsEmpty());
}

// "QUIT x" is not the QUIT that MUST get 221; 4.3.2 asks for 501 (SHOULD).
TEST(ServerModelTest, QuitWithArgumentRefusedIsShould) {
  ServerModel model = Greeted();
  EXPECT_THAT(model.OnExchange(C(Verb::kQuit, "QUIT", "now"), R(500)),
              ElementsAre(AllOf(Under("rfc5321/4.3.2-501-arguments"),
                                Field(&Finding::level, Level::kShould))));
}

}  // namespace
}  // namespace smtpspec::model
