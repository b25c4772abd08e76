// The Player with a client under test, against the engine's reference
// client and scripted misbehaving clients.
#include <string>

#include "engine/path.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interpreter/in_memory.h"
#include "interpreter/player.h"

namespace smtpspec::interp {
namespace {

using ::testing::AllOf;
using testing::ClientPeer;
using ::testing::Contains;
using ::testing::Field;
using ::testing::IsEmpty;
using testing::Play;
using testing::ScriptedClient;

auto HasFinding(FindingKind kind, const std::string& rfc) {
  return Contains(
      AllOf(Field(&Finding::kind, kind), Field(&Finding::rfc, rfc)));
}

PlayerOptions ClientMode() {
  PlayerOptions options;
  options.mode = Mode::kClient;
  options.step_timeout = std::chrono::milliseconds(500);
  return options;
}

client::Message Message(std::string body) {
  client::Message m;
  m.reverse_path = *ParseReversePath("<alice@example.org>");
  m.recipients = {*ParseForwardPath("<bob@example.org>")};
  m.body = std::move(body);
  return m;
}

// The harness side as patterns: the reference server supplies every reply,
// and the reference client passes, including dot-stuffing (RFC 5321
// 4.5.2) of a line starting with '.'.
constexpr char kSend[] = R"(---
tests: both
---
S: 220 *
C: EHLO *
S: 250 ...
C: MAIL FROM:<alice@example.org>*
S: 250 *
C: RCPT TO:<bob@example.org>
S: 250 *
C: DATA
S: 354 *
!body
Subject: hi

.dot
!end
S: 250 *
C: QUIT
S: 221 *
)";

TEST(PlayerClientTest, ReferenceClientPasses) {
  for (std::size_t chunk : {std::size_t{1 << 20}, std::size_t{1}}) {
    ClientPeer peer(client::Config{}, {Message("Subject: hi\r\n\r\n.dot\r\n")});
    ScenarioResult r = Play(kSend, peer, ClientMode(), chunk);
    EXPECT_EQ(r.verdict, Verdict::kOk) << "chunk " << chunk << " " << r.reason;
    EXPECT_THAT(r.findings, IsEmpty());
  }
}

// A client that forgets dot-stuffing: the server sees "dot" where the
// message said ".dot".
TEST(PlayerClientTest, MissingDotStuffingIsCaught) {
  ScriptedClient peer({"EHLO c.example\r\n",
                       "MAIL FROM:<alice@example.org>\r\n",
                       "RCPT TO:<bob@example.org>\r\n", "DATA\r\n",
                       "Subject: hi\r\n\r\n.dot\r\n.\r\n", "QUIT\r\n"});
  ScenarioResult r = Play(kSend, peer, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kFailed);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].kind, FindingKind::kPattern);
  EXPECT_THAT(r.findings[0].message, ::testing::HasSubstr("4.5.2"));
}

// RFC 5321 2.3.8: a bare LF in the client's data is a wire finding.
TEST(PlayerClientTest, BareLfInDataIsWireFinding) {
  ScriptedClient peer({"EHLO c.example\r\n",
                       "MAIL FROM:<alice@example.org>\r\n",
                       "RCPT TO:<bob@example.org>\r\n", "DATA\r\n",
                       "Subject: hi\n\r\n..dot\r\n.\r\n", "QUIT\r\n"});
  ScenarioResult r = Play(kSend, peer, ClientMode());
  // kSend tests dot-stuffing, not bare LFs: the finding is incidental.
  EXPECT_THAT(r.incidental, HasFinding(FindingKind::kWire, "RFC 5321 2.3.8"));
  ASSERT_FALSE(r.incidental.empty());
  EXPECT_EQ(r.incidental.front().rule, "rfc5321/2.3.8-client-no-bare");
}

// A client handed other addresses than the scenario's is a set-up error,
// named as such (ERROR), not a conformance failure of the client.
TEST(PlayerClientTest, OtherInputsAreAnError) {
  ScriptedClient peer({"EHLO c.example\r\n",
                       "MAIL FROM:<someone@else.example>\r\n", "QUIT\r\n"});
  ScenarioResult r = Play(R"(---
tests: client
vars: {sender: "alice@example.org"}
---
S: 220 *
C: EHLO *
S: 250 ...
C: MAIL FROM:<${sender}>
S: 250 *
C: QUIT
S: 221 *
)",
                          peer, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_THAT(r.reason, ::testing::HasSubstr("MAIL FROM:<alice@example.org>"));
  EXPECT_THAT(r.reason,
              ::testing::HasSubstr("sent 'MAIL FROM:<someone@else.example>'"));
}

// The client model: RCPT before MAIL (RFC 5321 3.3) even where the pattern
// is loose, and closing without QUIT (4.1.4).
TEST(PlayerClientTest, ClientModelFindings) {
  ScriptedClient peer({"EHLO c.example\r\n", "RCPT TO:<bob@example.org>\r\n"});
  ScenarioResult r = Play(R"(---
tests: client
rules: [rfc5321/3.3-order-client, rfc5321/4.1.1.10-client-quit]
---
S: 220 *
C: EHLO *
S: 250 ...
C: *
S: 503 5.5.1 bad sequence
!expect-close
)",
                          peer, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kFailed) << r.reason;
  EXPECT_THAT(r.findings, HasFinding(FindingKind::kModel, "RFC 5321 3.3"));
  EXPECT_THAT(r.findings,
              HasFinding(FindingKind::kModel, "RFC 5321 4.1.1.10"));
}

// A scenario whose reply pattern the reference server cannot fit is the
// scenario's fault: ERROR, not a verdict on the client.
TEST(PlayerClientTest, UnfittableReplyPatternIsScenarioError) {
  ClientPeer peer(client::Config{}, {Message("x\r\n")});
  ScenarioResult r = Play(R"(---
tests: client
---
S: 220 *
C: EHLO *
S: 250 ...
C: MAIL FROM:<*>*
S: 4xx *
)",
                          peer, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_THAT(r.reason, ::testing::HasSubstr("reference server"));
}

// Concrete replies are sent as written: a 421 mid-session (RFC 5321 3.8)
// and the client must stop.
TEST(PlayerClientTest, ConcreteReplies421) {
  ClientPeer peer(client::Config{}, {Message("x\r\n")});
  ScenarioResult r = Play(R"(---
tests: client
---
S: 220 mx.example ready
C: EHLO *
S: 421 4.3.2 going down
!expect-close
)",
                          peer, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kOk) << r.reason;
}

// Without a !body step, the reply after 354 waits for the end of data and
// accepts any content (what real clients add varies).
TEST(PlayerClientTest, ReplyAfterDataWaitsForEndOfData) {
  ClientPeer peer(client::Config{}, {Message("Subject: x\r\n\r\nhi\r\n")});
  ScenarioResult r = Play(R"(---
tests: client
---
S: 220 *
C: EHLO *
S: 250 ...
C: MAIL FROM:<*>*
S: 250 *
C: RCPT TO:<*>
S: 250 *
C: DATA
S: 354 *
S: 250 *
C: QUIT
S: 221 *
)",
                          peer, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kOk) << r.reason;
  EXPECT_THAT(r.findings, IsEmpty());
}

// A server scenario is skipped against a client.
TEST(PlayerClientTest, ServerScenarioSkipped) {
  ScriptedClient peer({});
  ScenarioResult r = Play("S: 220 *\nC: QUIT\n", peer, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kSkipped);
}

// A client under test that sends BDAT (RFC 3030 2): its chunks are read as
// octets by the harness and by the reference server that supplies the
// replies, so CRLF.CRLF, a bare LF and a command line inside a chunk end
// nothing and are not judged as lines; BDAT pipelined with its chunk and
// the next command, delivered whole and one byte at a time.
TEST(PlayerClientTest, BdatFromAClientIsReadAsOctets_Rfc3030_2) {
  constexpr char kBdat[] = R"(---
tests: client
---
S: 220 *
C: EHLO *
S: 250 ... +CHUNKING
C: MAIL FROM:<alice@example.org>
S: 250 *
C: RCPT TO:<bob@example.org>
S: 250 *
!bdat 14 "a\r\n.\r\nb\nQUIT\r\n"
S: 250 *
C: BDAT 3 LAST
S: 250 *
C: QUIT
S: 221 *
)";
  for (std::size_t chunk : {std::size_t{1 << 20}, std::size_t{1}}) {
    ScriptedClient peer(
        {"EHLO c.example\r\n", "MAIL FROM:<alice@example.org>\r\n",
         "RCPT TO:<bob@example.org>\r\n", "BDAT 14\r\na\r\n.\r\nb\nQUIT\r\n",
         "BDAT 3 LAST\r\nxyzQUIT\r\n"});
    ScenarioResult r = Play(kBdat, peer, ClientMode(), chunk);
    EXPECT_EQ(r.verdict, Verdict::kOk) << "chunk " << chunk << " " << r.reason;
    EXPECT_THAT(r.findings, IsEmpty()) << "chunk " << chunk;
  }
}

// RFC 3030 2: BDAT only where the EHLO reply offered CHUNKING.
TEST(PlayerClientTest, BdatWithoutChunkingIsModelFinding_Rfc3030_2) {
  ScriptedClient peer(
      {"EHLO c.example\r\n", "MAIL FROM:<alice@example.org>\r\n",
       "RCPT TO:<bob@example.org>\r\n", "BDAT 1 LAST\r\nx", "QUIT\r\n"});
  ScenarioResult r = Play(R"(---
tests: client
rules: [rfc3030/2-advertised]
---
S: 220 mx.example ready
C: EHLO *
S: 250 mx.example
C: MAIL FROM:<*>
S: 250 OK
C: RCPT TO:<*>
S: 250 OK
C: BDAT 1 LAST
S: 250 OK
C: QUIT
S: 221 bye
)",
                          peer, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kFailed) << r.reason;
  EXPECT_THAT(r.findings, HasFinding(FindingKind::kModel, "RFC 3030 2"));
}

// An optional reply answers its optional command: a client that skips the
// RSET gets 221 to its QUIT, not the RSET's 250 (RFC 5321 4.2); one that
// sends it gets the 250.
TEST(PlayerClientTest, AnOptionalReplyGoesWithItsSkippedCommand) {
  constexpr char kRefused[] = R"(---
tests: client
---
S: 220 mx.example ready
C: EHLO *
S: 250 mx.example
C: RCPT TO:<*>
S: 550 no
!optional
C: RSET
!optional
S: 250 reset
C: QUIT
S: 221 bye
)";
  auto replies = [](const ScenarioResult& r) {
    std::string out;
    for (const WireEvent& e : r.transcript) {
      if (e.dir == 'S') out += e.data;
    }
    return out;
  };
  ScriptedClient skips(
      {"EHLO c.example\r\n", "RCPT TO:<bob@example.org>\r\n", "QUIT\r\n"});
  ScenarioResult r = Play(kRefused, skips, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kOk) << r.reason;
  EXPECT_EQ(replies(r),
            "220 mx.example ready\r\n250 mx.example\r\n550 no\r\n"
            "221 bye\r\n");
  ASSERT_EQ(r.steps.size(), 9u);
  EXPECT_EQ(r.steps[5].status, StepStatus::kSkipped);
  EXPECT_EQ(r.steps[6].status, StepStatus::kSkipped);
  ScriptedClient resets({"EHLO c.example\r\n",
                         "RCPT TO:<bob@example.org>\r\n", "RSET\r\n",
                         "QUIT\r\n"});
  r = Play(kRefused, resets, ClientMode());
  EXPECT_EQ(r.verdict, Verdict::kOk) << r.reason;
  EXPECT_EQ(replies(r),
            "220 mx.example ready\r\n250 mx.example\r\n550 no\r\n"
            "250 reset\r\n221 bye\r\n");
}

}  // namespace
}  // namespace smtpspec::interp
