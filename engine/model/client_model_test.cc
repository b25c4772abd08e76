#include "engine/model/client_model.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::model {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

Reply R(int code) { return Reply{code, std::nullopt, {"text"}}; }

Command C(Verb verb, std::string name, std::string argument = "") {
  return Command{verb, std::move(name), std::move(argument)};
}

auto Is(const std::string& rfc, Level level) {
  return AllOf(Field(&Finding::rfc, rfc), Field(&Finding::level, level));
}

// Sends `command`, expects no findings, then replies `code`.
void Step(ClientModel& model, const Command& command, int code) {
  EXPECT_THAT(model.OnCommand(command), IsEmpty()) << command.name;
  model.OnReply(R(code));
}

ClientModel Greeted() {
  ClientModel model;
  model.OnGreeting(R(220));
  Step(model, C(Verb::kEhlo, "EHLO", "client.example"), 250);
  return model;
}

TEST(ClientModelTest, ConformantSessionHasNoFindings) {
  ClientModel model = Greeted();
  Step(model, C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), 250);
  Step(model, C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), 250);
  Step(model, C(Verb::kData, "DATA"), 354);
  model.OnDataEnd(R(250));
  Step(model, C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), 250);
  Step(model, C(Verb::kRset, "RSET"), 250);
  Step(model, C(Verb::kQuit, "QUIT"), 221);
  EXPECT_THAT(model.OnClose(), IsEmpty());
}

// RFC 5321 4.1.4: EHLO (or HELO) first.
TEST(ClientModelTest, MailBeforeEhloIsMust) {
  ClientModel model;
  model.OnGreeting(R(220));
  EXPECT_THAT(
      model.OnCommand(C(Verb::kMail, "MAIL", "FROM:<>")),
      ElementsAre(AllOf(Field(&Finding::rule, "rfc5321/4.1.1.1-hello-first"),
                        Is("RFC 5321 4.1.1.1", Level::kMust))));
}

// RFC 5321 4.1.4: no MAIL while a transaction is open.
TEST(ClientModelTest, NestedMailIsMust) {
  ClientModel model = Greeted();
  Step(model, C(Verb::kMail, "MAIL", "FROM:<>"), 250);
  EXPECT_THAT(model.OnCommand(C(Verb::kMail, "MAIL", "FROM:<>")),
              ElementsAre(Is("RFC 5321 4.1.4", Level::kMust)));
}

TEST(ClientModelTest, MailAgainAfterRejectedMailIsFine) {
  ClientModel model = Greeted();
  Step(model, C(Verb::kMail, "MAIL", "FROM:<>"), 451);
  Step(model, C(Verb::kMail, "MAIL", "FROM:<>"), 250);
}

// RFC 5321 3.3: RCPT only after an accepted MAIL.
TEST(ClientModelTest, RcptAfterRejectedMailIsMust) {
  ClientModel model = Greeted();
  Step(model, C(Verb::kMail, "MAIL", "FROM:<>"), 550);
  EXPECT_THAT(model.OnCommand(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>")),
              ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

// RFC 2920 3.1: with PIPELINING, RCPT and DATA may follow MAIL before its
// reply; the replies then come in order.
TEST(ClientModelTest, PipelinedTransaction) {
  ClientModel model = Greeted();
  EXPECT_THAT(model.OnCommand(C(Verb::kMail, "MAIL", "FROM:<>")), IsEmpty());
  EXPECT_THAT(model.OnCommand(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>")),
              IsEmpty());
  EXPECT_THAT(model.OnCommand(C(Verb::kData, "DATA")), IsEmpty());
  model.OnReply(R(250));
  model.OnReply(R(250));
  model.OnReply(R(354));
  model.OnDataEnd(R(250));
  // The transaction is over: RCPT needs a new MAIL.
  EXPECT_THAT(model.OnCommand(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>")),
              ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
}

// Two MAILs in one pipeline: the second opens a transaction within one.
TEST(ClientModelTest, PipelinedSecondMailIsMust) {
  ClientModel model = Greeted();
  EXPECT_THAT(model.OnCommand(C(Verb::kMail, "MAIL", "FROM:<>")), IsEmpty());
  EXPECT_THAT(model.OnCommand(C(Verb::kMail, "MAIL", "FROM:<>")),
              ElementsAre(Is("RFC 5321 4.1.4", Level::kMust)));
}

// RFC 5321 4.1.1.1: EHLO carries a domain or address literal.
TEST(ClientModelTest, EhloArgument) {
  ClientModel model;
  model.OnGreeting(R(220));
  EXPECT_THAT(model.OnCommand(C(Verb::kEhlo, "EHLO", "")),
              ElementsAre(Is("RFC 5321 4.1.4", Level::kMust)));
  EXPECT_THAT(model.OnCommand(C(Verb::kEhlo, "EHLO", "bad_name!")),
              ElementsAre(Is("RFC 5321 4.1.4", Level::kMust)));
  EXPECT_THAT(model.OnCommand(C(Verb::kEhlo, "EHLO", "[127.0.0.1]")),
              IsEmpty());
}

// RFC 5321 4.1.1: DATA, RSET and QUIT take no argument.
TEST(ClientModelTest, ArgumentlessCommands) {
  ClientModel model = Greeted();
  EXPECT_THAT(model.OnCommand(C(Verb::kRset, "RSET", "x")),
              ElementsAre(Is("RFC 5321 4.1.1", Level::kMust)));
}

// RFC 5321 4.5.3.1.4: 512 octets per command line.
TEST(ClientModelTest, LongCommandLine) {
  ClientModel model = Greeted();
  EXPECT_THAT(model.OnCommand(C(Verb::kNoop, "NOOP"), 513),
              ElementsAre(Is("RFC 5321 4.5.3.1.4", Level::kMust)));
  EXPECT_THAT(model.OnCommand(C(Verb::kNoop, "NOOP"), 512), IsEmpty());
}

// RFC 5321 4.1.4: QUIT is the last command.
TEST(ClientModelTest, CloseWithoutQuitAndCommandsAfterQuit) {
  ClientModel model = Greeted();
  EXPECT_THAT(model.OnClose(),
              ElementsAre(Is("RFC 5321 4.1.1.10", Level::kMust)));
  ClientModel quitter = Greeted();
  Step(quitter, C(Verb::kQuit, "QUIT"), 221);
  EXPECT_THAT(quitter.OnCommand(C(Verb::kNoop, "NOOP")),
              ElementsAre(Is("RFC 5321 4.1.4", Level::kMust)));
}

// RFC 5321 3.8: after 421 the client stops.
TEST(ClientModelTest, CommandsAfter421) {
  ClientModel model = Greeted();
  Step(model, C(Verb::kMail, "MAIL", "FROM:<>"), 421);
  EXPECT_THAT(model.OnCommand(C(Verb::kRcpt, "RCPT", "TO:<a@b.example>")),
              ElementsAre(Is("RFC 5321 3.8", Level::kShould)));
  EXPECT_THAT(model.OnClose(), IsEmpty());
}

// RFC 3207 4.2: EHLO again after TLS.
TEST(ClientModelTest, EhloAfterTls) {
  ClientModel model = Greeted();
  Step(model, C(Verb::kStarttls, "STARTTLS"), 220);
  model.OnTlsStarted();
  std::vector<Finding> findings =
      model.OnCommand(C(Verb::kMail, "MAIL", "FROM:<>"));
  EXPECT_THAT(findings, ElementsAre(Is("RFC 3207 4.2", Level::kShould),
                                    Is("RFC 5321 4.1.1.1", Level::kMust)));
}

// Greeted by an EHLO reply that offers CHUNKING (RFC 3030 2), inside a
// transaction with one recipient.
ClientModel ChunkingTransaction() {
  ClientModel model;
  model.OnGreeting(R(220));
  EXPECT_THAT(model.OnCommand(C(Verb::kEhlo, "EHLO", "client.example")),
              IsEmpty());
  model.OnReply(Reply{250, std::nullopt, {"mx.example", "CHUNKING"}});
  Step(model, C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), 250);
  Step(model, C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), 250);
  return model;
}

Command Bdat(std::string argument) {
  return C(Verb::kBdat, "BDAT", std::move(argument));
}

TEST(ClientModelTest, BdatTransaction_Rfc3030_2) {
  ClientModel model = ChunkingTransaction();
  Step(model, Bdat("3"), 250);
  Step(model, Bdat("0 LAST"), 250);
  // LAST ended the transaction: more data needs a new one.
  EXPECT_THAT(model.OnCommand(Bdat("1 LAST")),
              ElementsAre(Is("RFC 5321 3.3", Level::kMust)));
  model.OnReply(R(503));
  Step(model, C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), 250);
  Step(model, C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), 250);
  Step(model, Bdat("2 LAST"), 250);  // the refusal above spoilt nothing
  Step(model, C(Verb::kQuit, "QUIT"), 221);
  EXPECT_THAT(model.OnClose(), IsEmpty());
}

// BDAT only where the EHLO reply offered CHUNKING (RFC 3030 2): not after
// HELO, not after an EHLO reply without it, not after TLS restarted the
// session (RFC 3207 4.2).
TEST(ClientModelTest, BdatNeedsChunking_Rfc3030_2) {
  ClientModel model = Greeted();
  Step(model, C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), 250);
  EXPECT_THAT(model.OnCommand(Bdat("1 LAST")),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));

  ClientModel tls = ChunkingTransaction();
  Step(tls, C(Verb::kRset, "RSET"), 250);
  Step(tls, C(Verb::kStarttls, "STARTTLS"), 220);
  tls.OnTlsStarted();
  Step(tls, C(Verb::kEhlo, "EHLO", "client.example"), 250);  // no CHUNKING
  Step(tls, C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), 250);
  EXPECT_THAT(tls.OnCommand(Bdat("1 LAST")),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));
}

TEST(ClientModelTest, BdatGrammar_Rfc3030_2) {
  ClientModel model = ChunkingTransaction();
  EXPECT_THAT(model.OnCommand(Bdat("12 END")),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));
  EXPECT_THAT(model.OnCommand(Bdat("")),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));
}

// "If a 5XX or 4XX code is received by the sender-SMTP in response to a
// BDAT chunk ... the sender-SMTP MUST NOT send any additional BDAT
// segments." Chunks already pipelined when the refusal came are fine.
TEST(ClientModelTest, NoBdatAfterARefusedChunk_Rfc3030_2) {
  ClientModel model = ChunkingTransaction();
  EXPECT_THAT(model.OnCommand(Bdat("5")), IsEmpty());
  EXPECT_THAT(model.OnCommand(Bdat("5 LAST")), IsEmpty());  // pipelined
  model.OnReply(R(552));
  model.OnReply(R(503));
  EXPECT_THAT(model.OnCommand(Bdat("1 LAST")),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));
  model.OnReply(R(503));
  Step(model, C(Verb::kRset, "RSET"), 250);
  Step(model, C(Verb::kMail, "MAIL", "FROM:<a@b.example>"), 250);
  Step(model, C(Verb::kRcpt, "RCPT", "TO:<c@d.example>"), 250);
  Step(model, Bdat("1 LAST"), 250);
}

// RFC 3030 2: "The BDAT and DATA commands cannot be used in the same
// transaction."
TEST(ClientModelTest, NoDataAfterBdat_Rfc3030_2) {
  ClientModel model = ChunkingTransaction();
  Step(model, Bdat("5"), 250);
  EXPECT_THAT(model.OnCommand(C(Verb::kData, "DATA")),
              ElementsAre(Is("RFC 3030 2", Level::kMust)));
}

}  // namespace
}  // namespace smtpspec::model
