// The Player with a server under test, against the engine's reference
// server and against scripted misbehaving servers.
#include <string>

#include "engine/server/backend.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interpreter/in_memory.h"
#include "interpreter/player.h"

namespace smtpspec::interp {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::IsEmpty;
using testing::Play;
using testing::ScriptedServer;
using testing::ServerPeer;

class AcceptAll : public server::Handler {
 public:
  std::optional<server::Error> Mail(const Path&,
                                    const std::vector<Parameter>&) override {
    return std::nullopt;
  }
  std::optional<server::Error> Rcpt(const Path&,
                                    const std::vector<Parameter>&) override {
    return std::nullopt;
  }
  std::optional<server::Error> Data(const server::Envelope&,
                                    std::string_view content) override {
    stored.emplace_back(content);
    return std::nullopt;
  }
  std::vector<std::string> stored;
};

auto HasFinding(FindingKind kind, const std::string& rfc) {
  return Contains(
      AllOf(Field(&Finding::kind, kind), Field(&Finding::rfc, rfc)));
}

constexpr char kTransaction[] = R"(---
id: test.transaction
rfc: ["RFC 5321 3.3"]
vars: {client_domain: c.example, sender: a@c.example, mailbox: b@example.org}
---
S: 220 *
C: EHLO ${client_domain}
S: 250 ...
C: MAIL FROM:<${sender}>
S: 250 *
C: RCPT TO:<${mailbox}>
S: 250 *
C: DATA
S: 354 *
!body
Subject: test

.a line with a leading dot
!end
S: 250 *
C: QUIT
S: 221 *
)";

// The whole transaction passes against the reference server, with bytes
// delivered whole and one at a time.
TEST(PlayerServerTest, TransactionAgainstReferenceIsOk) {
  for (std::size_t chunk : {std::size_t{1 << 20}, std::size_t{1}}) {
    AcceptAll handler;
    ServerPeer peer(server::Config{}, handler);
    ScenarioResult r = Play(kTransaction, peer, {}, chunk);
    EXPECT_EQ(r.verdict, Verdict::kOk) << "chunk " << chunk;
    EXPECT_THAT(r.findings, IsEmpty());
    for (const StepRecord& step : r.steps) {
      EXPECT_EQ(step.status, StepStatus::kOk) << step.text;
    }
    ASSERT_EQ(handler.stored.size(), 1u);
    // RFC 5321 4.5.2: the harness dot-stuffed; the server un-stuffed.
    EXPECT_EQ(handler.stored[0],
              "Subject: test\r\n\r\n.a line with a leading dot\r\n");
    EXPECT_FALSE(r.transcript.empty());
    EXPECT_EQ(r.scenario.id, "test.transaction");
  }
}

// A pattern that does not match fails the step and stops the scenario.
TEST(PlayerServerTest, PatternMismatchFails) {
  AcceptAll handler;
  ServerPeer peer(server::Config{}, handler);
  ScenarioResult r = Play(R"(---
rfc: ["RFC 5321 4.1.1.3"]
---
S: 220 *
C: EHLO x.example
S: 250 ...
C: MAIL FROM:<a@x.example>
S: 250 *
C: RCPT TO:<nobody@x.example>
S: 550 *
C: QUIT
S: 221 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kFailed);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].kind, FindingKind::kPattern);
  EXPECT_EQ(r.findings[0].rfc, "RFC 5321 4.1.1.3");
  EXPECT_EQ(r.findings[0].step, 6);
  EXPECT_EQ(r.steps[6].status, StepStatus::kMismatch);
  EXPECT_EQ(r.steps[7].status, StepStatus::kNotReached);
}

// The reference model catches what the patterns let through: RCPT before
// MAIL accepted (RFC 5321 3.3), though the scenario only asked for 2xx.
TEST(PlayerServerTest, ModelFindingWherePatternAllowed) {
  ScriptedServer peer("220 mx.example ready\r\n",
                      {"250 mx.example\r\n", "250 OK\r\n", "221 bye\r\n"});
  ScenarioResult r = Play(R"(---
rules: [rfc5321/3.3-rcpt-needs-mail]
---
S: 220 *
C: EHLO x.example
S: 250 *
C: RCPT TO:<a@x.example>
S: 2xx *
C: QUIT
S: 221 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kFailed);
  EXPECT_THAT(r.findings, HasFinding(FindingKind::kModel, "RFC 5321 3.3"));
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings.front().rule, "rfc5321/3.3-rcpt-needs-mail");
  EXPECT_THAT(r.findings.front().sentence,
              ::testing::HasSubstr("MUST return a 503"));
}

// The same finding in a scenario about something else is incidental: it
// stands (the reports show it once per target) but does not fail a
// scenario that tests another rule.
TEST(PlayerServerTest, FindingAboutAnotherRuleIsIncidental) {
  ScriptedServer peer("220 mx.example ready\r\n",
                      {"250 mx.example\r\n", "250 OK\r\n", "221 bye\r\n"});
  ScenarioResult r = Play(R"(---
rules: [rfc5321/4.1.1.10-221-close]
---
S: 220 *
C: EHLO x.example
S: 250 *
C: RCPT TO:<a@x.example>
S: 2xx *
C: QUIT
!check
S: 221 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kOk);
  EXPECT_THAT(r.findings, ::testing::IsEmpty());
  EXPECT_THAT(r.incidental, HasFinding(FindingKind::kModel, "RFC 5321 3.3"));
}

// A setup step that the target refuses for a reason the RFC allows (a
// catch-all, a policy refusal) makes the scenario INCONCLUSIVE, with the
// premise as the reason, never FAILED.
TEST(PlayerServerTest, PremiseNotMetIsInconclusive) {
  ScriptedServer peer("220 mx.example ready\r\n",
                      {"250 mx.example\r\n", "250 OK\r\n", "250 OK\r\n",
                       "221 bye\r\n"});
  ScenarioResult r = Play(R"(---
rules: [rfc5321/3.3-rcpt-needs-mail]
---
S: 220 *
C: EHLO x.example
S: 250 *
C: MAIL FROM:<a@x.example>
S: 250 *
C: RCPT TO:<nobody-here@x.example>
!premise the server refuses an unknown mailbox
S: 550 *
C: QUIT
!check
S: 221 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kInconclusive);
  EXPECT_THAT(r.reason,
              ::testing::HasSubstr("the server refuses an unknown mailbox"));
  EXPECT_THAT(r.findings, ::testing::IsEmpty());
}

// A 554 greeting refuses service legally (RFC 5321 3.1): a scenario that
// needs a session is INCONCLUSIVE, not FAILED at its first step.
TEST(PlayerServerTest, RefusingGreetingIsInconclusive) {
  ScriptedServer peer("554 mx.example no service\r\n", {"221 bye\r\n"});
  ScenarioResult r = Play(R"(---
rules: [rfc5321/3.3-rcpt-needs-mail]
---
S: 220 *
C: QUIT
S: 221 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kInconclusive);
  EXPECT_THAT(r.reason, ::testing::HasSubstr("refused service"));
}

// A mismatch at a check step is a finding under the step's rule, at that
// rule's level (here SHOULD: NON-STRICT), not the scenario's level.
TEST(PlayerServerTest, CheckStepFindingTakesItsRulesLevel) {
  ScriptedServer peer("220 mx.example ready\r\n",
                      {"250 mx.example\r\n", "501 no\r\n", "221 bye\r\n"});
  ScenarioResult r = Play(R"(---
level: MUST
rules: [rfc5321/4.1.1.9-noop-250]
---
S: 220 *
C: EHLO x.example
S: 250 *
C: NOOP hello
!rule rfc5321/4.1.1.9-noop-parameter
S: 250 *
C: QUIT
S: 221 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kNonStrict);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings.front().rule, "rfc5321/4.1.1.9-noop-parameter");
  EXPECT_EQ(r.findings.front().level, model::Level::kShould);
}

// RFC 5321 4.2.1: every line of a reply carries the same code.
TEST(PlayerServerTest, MixedMultilineCodesAreWireFindings) {
  ScriptedServer peer("220 mx.example ready\r\n",
                      {"250-mx.example\r\n251 SIZE\r\n", "221 bye\r\n"});
  ScenarioResult r = Play(R"(S: 220 *
C: EHLO x.example
S: 250 ...
C: QUIT
S: 221 *
)",
                          peer);
  // The scenario names no rule, so the malformed reply is incidental; its
  // step, a check like every step of an unmarked scenario, fails.
  EXPECT_EQ(r.verdict, Verdict::kFailed);
  EXPECT_THAT(r.incidental, HasFinding(FindingKind::kWire, "RFC 5321 4.2.1"));
}

// A server that stops answering mid-session: FAILED at the step, with the
// timeout finding (RFC 5321 4.5.3.2) naming the line, and no hang.
TEST(PlayerServerTest, StallIsFailureAtTheStep) {
  ScriptedServer peer("220 mx.example ready\r\n", {});
  PlayerOptions options;
  options.step_timeout = std::chrono::milliseconds(200);
  ScenarioResult r = Play(R"(S: 220 *
C: EHLO x.example
S: 250 ...
)",
                          peer, options);
  EXPECT_EQ(r.verdict, Verdict::kFailed);
  EXPECT_EQ(r.reason, "");
  EXPECT_THAT(r.findings, HasFinding(FindingKind::kPattern, ""));
  ASSERT_FALSE(r.findings.empty());
  EXPECT_THAT(r.findings.back().message, ::testing::HasSubstr("line 3: "));
  EXPECT_EQ(r.steps[2].status, StepStatus::kMismatch);
}

// A server that never greets: the first step never happened, so the
// harness could not run the scenario (ERROR, with the reason).
TEST(PlayerServerTest, NoGreetingIsError) {
  ScriptedServer peer("", {});
  PlayerOptions options;
  options.step_timeout = std::chrono::milliseconds(200);
  ScenarioResult r = Play(R"(S: 220 *
C: QUIT
S: 221 *
)",
                          peer, options);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_THAT(r.reason, ::testing::HasSubstr("line 1"));
}

// A server that closes after EHLO without 421: the step fails and the
// model cites RFC 5321 3.8.
TEST(PlayerServerTest, EarlyCloseIsFinding) {
  ScriptedServer peer("220 mx.example ready\r\n", {"250 mx.example\r\n"},
                      /*close_after=*/1);
  ScenarioResult r = Play(R"(S: 220 *
C: EHLO x.example
S: 250 *
C: NOOP
S: 250 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kFailed);
  EXPECT_THAT(r.incidental, HasFinding(FindingKind::kModel, "RFC 5321 3.8"));
  EXPECT_EQ(r.steps[4].status, StepStatus::kMismatch);
}

// `requires`: a keyword the target does not advertise skips the scenario.
TEST(PlayerServerTest, RequiresNotMetSkips) {
  AcceptAll handler;
  ServerPeer peer(server::Config{}, handler);
  ScenarioResult r = Play(R"(---
requires: [XFROBNICATE]
---
S: 220 *
C: EHLO x.example
S: 250 ...
C: QUIT
S: 221 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kSkipped);
  EXPECT_THAT(r.reason, ::testing::HasSubstr("XFROBNICATE"));
}

// 502 to an optional command (EXPN) is UNIMPLEMENTED, not FAILED.
TEST(PlayerServerTest, OptionalCommandNotImplemented) {
  ScriptedServer peer("220 mx.example ready\r\n",
                      {"250 mx.example\r\n", "502 not implemented\r\n"});
  ScenarioResult r = Play(R"(S: 220 *
C: EHLO x.example
S: 250 *
C: EXPN staff
S: 250 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kUnimplemented);
}

// A SHOULD-level scenario's mismatch is NON-STRICT.
TEST(PlayerServerTest, ShouldLevelMismatchIsNonStrict) {
  ScriptedServer peer("220 mx.example ready\r\n",
                      {"250 mx.example\r\n", "250 OK\r\n"});
  ScenarioResult r = Play(R"(---
level: SHOULD
rfc: ["RFC 5321 4.3.2"]
---
S: 220 *
C: EHLO x.example
S: 250 *
C: RSET now
S: 501 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kNonStrict);
}

// SMTP smuggling: a server that ends DATA at <LF>.<LF> answers the
// smuggled MAIL too, and the extra reply is caught.
TEST(PlayerServerTest, BareLfEndOfDataIsCaught) {
  constexpr char kSmuggle[] = R"(---
rfc: ["RFC 5321 4.1.1.4"]
rules: [rfc5321/4.1.1.4-no-bare-lf]
---
S: 220 *
C: EHLO x.example
S: 250 ...
C: MAIL FROM:<a@x.example>
S: 250 *
C: RCPT TO:<b@x.example>
S: 250 *
C: DATA
S: 354 *
C! "Subject: x\r\n\r\nhi\n.\nMAIL FROM:<evil@x.example>\r\n\r\n.\r\n"
S: 250 *
C: QUIT
!check
S: 221 *
)";
  AcceptAll strict_handler;
  ServerPeer strict(server::Config{}, strict_handler);
  EXPECT_EQ(Play(kSmuggle, strict).verdict, Verdict::kOk);

  server::Config lax;
  lax.accepted_data_ends = {data::notice::Kind::kLfDotLf};
  AcceptAll lax_handler;
  ServerPeer vulnerable(lax, lax_handler);
  ScenarioResult r = Play(kSmuggle, vulnerable);
  EXPECT_EQ(r.verdict, Verdict::kFailed);
}

// A scenario for clients is skipped against a server.
TEST(PlayerServerTest, ClientScenarioSkippedInServerMode) {
  ScriptedServer peer("220 mx.example ready\r\n", {});
  ScenarioResult r = Play(R"(---
tests: client
---
S: 220 *
C: QUIT
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kSkipped);
}

// The harness side written as a pattern: the reference client's EHLO.
TEST(PlayerServerTest, CommandPatternSuppliedByReference) {
  AcceptAll handler;
  ServerPeer peer(server::Config{}, handler);
  ScenarioResult r = Play(R"(S: 220 *
C: EHLO *
S: 250 ...
C: QUIT
S: 221 *
)",
                          peer);
  EXPECT_EQ(r.verdict, Verdict::kOk);
  ASSERT_GE(r.transcript.size(), 2u);
  EXPECT_EQ(r.transcript[1].data, "EHLO client.smtpspec.test\r\n");
}

// Captures from a reply are usable later.
TEST(PlayerServerTest, CaptureFlowsIntoLaterCommand) {
  ScriptedServer peer("220 mx.example ready\r\n",
                      {"250 mx.example\r\n", "252 try user7\r\n"});
  ScenarioResult r = Play(R"(S: 220 *
C: EHLO x.example
S: 250 *
C: VRFY x
S: 252 /try (?<who>user[0-9])/
C: VRFY ${who}
)",
                          peer);
  ASSERT_GE(r.transcript.size(), 5u);
  EXPECT_EQ(r.transcript.back().data, "VRFY user7\r\n");
}

}  // namespace
}  // namespace smtpspec::interp
