// The steps that mean the same in both modes (player_step.cc): a pause
// holds the harness's next bytes back, and !close closes, whichever side
// is under test; an unresolved !include is the scenario's ERROR.
#include <string>

#include "gtest/gtest.h"
#include "interpreter/in_memory.h"
#include "interpreter/player.h"
#include "parser/scenario.h"

namespace smtpspec::interp {
namespace {

using testing::Play;
using testing::ScriptedClient;
using testing::ScriptedServer;

PlayerOptions Options(Mode mode) {
  PlayerOptions options;
  options.mode = mode;
  options.step_timeout = std::chrono::milliseconds(2000);
  return options;
}

// When the harness (`dir`) first sent bytes containing `text`, in ms.
double SentAt(const ScenarioResult& r, char dir, const std::string& text) {
  for (const WireEvent& e : r.transcript) {
    if (e.dir == dir && e.data.find(text) != std::string::npos) return e.t_ms;
  }
  return -1;
}

TEST(PlayerStepTest, SleepDelaysTheNextStepInServerMode) {
  ScriptedServer peer("220 mx.example ready\r\n", {"250 ok\r\n"});
  ScenarioResult r = Play(R"(---
tests: server
---
S: 220 *
!sleep 300ms
C: NOOP
S: 250 *
!close
)",
                          peer, Options(Mode::kServer));
  EXPECT_EQ(r.verdict, Verdict::kOk) << r.reason;
  EXPECT_GE(SentAt(r, 'C', "NOOP"), 300);
}

TEST(PlayerStepTest, SleepDelaysTheNextStepInClientMode) {
  ScriptedClient peer({"NOOP\r\n"});
  ScenarioResult r = Play(R"(---
tests: client
---
S: 220 mx.example ready
C: NOOP
!sleep 300ms
S: 250 ok
!close
)",
                          peer, Options(Mode::kClient));
  EXPECT_EQ(r.verdict, Verdict::kOk) << r.reason;
  EXPECT_GE(SentAt(r, 'S', "250 ok"), 300);
}

TEST(PlayerStepTest, UnresolvedIncludeIsAnErrorInBothModes) {
  parser::Scenario scenario;
  scenario.meta.tests = parser::UnderTest::kBoth;
  parser::Step step;
  step.position.line = 7;
  step.action = parser::Include{"other.smtp"};
  scenario.steps.push_back(step);
  for (Mode mode : {Mode::kServer, Mode::kClient}) {
    ScriptedServer server("220 mx.example ready\r\n", {});
    ScriptedClient client({});
    ScenarioResult r = mode == Mode::kServer
                           ? Play(scenario, server, Options(mode))
                           : Play(scenario, client, Options(mode));
    EXPECT_EQ(r.verdict, Verdict::kError);
    EXPECT_EQ(r.reason, "line 7: !include was not resolved before running");
  }
}

}  // namespace
}  // namespace smtpspec::interp
