// `smtpspec_cli variables`: its defaults are the values the Player gives a
// scenario that sets none (interpreter/player.cc fills them in itself), so
// that a client under test is handed what the scenario expects.
#include "cli/variables.h"

#include <sstream>
#include <string>
#include <vector>

#include "cli/client_command.h"
#include "gtest/gtest.h"
#include "interpreter/in_memory.h"

namespace smtpspec::cli {
namespace {

// The values a client's template is filled in with (cli/client_command.h),
// for a scenario without `vars`.
std::vector<parser::Binding> Resolve(std::vector<parser::Binding> given) {
  return Values("/message", {}, given);
}

std::string Value(const std::vector<parser::Binding>& values,
                  const std::string& name) {
  for (const parser::Binding& b : values) {
    if (b.name == name) return b.value;
  }
  return "(unset)";
}

// What the Player sent for `C: NOOP ${domain} ${mailbox} ...`.
std::string Sent(std::vector<parser::Binding> vars) {
  interp::testing::ScriptedServer peer("220 mx.example ready\r\n",
                                       {"250 OK\r\n", "221 bye\r\n"});
  interp::PlayerOptions options;
  options.vars = std::move(vars);
  interp::ScenarioResult r = interp::testing::Play(R"(---
id: variables
---
S: 220 *
C: NOOP ${domain} ${mailbox} ${client_domain} ${sender}
S: 250 *
C: QUIT
S: 221 *
)",
                                                   peer, options);
  for (const interp::WireEvent& e : r.transcript) {
    if (e.dir == 'C' && e.data.starts_with("NOOP ")) return e.data;
  }
  return "(no NOOP sent)";
}

std::string Expected(const std::vector<parser::Binding>& values) {
  return "NOOP " + Value(values, "domain") + " " + Value(values, "mailbox") +
         " " + Value(values, "client_domain") + " " + Value(values, "sender") +
         "\r\n";
}

TEST(VariablesTest, DefaultsAreThePlayers) {
  EXPECT_EQ(Sent({}), Expected(Resolve({})));
  EXPECT_EQ(Expected(Resolve({})),
            "NOOP localhost postmaster@localhost client.smtpspec.test "
            "smtpspec@client.smtpspec.test\r\n");
}

TEST(VariablesTest, DerivedDefaultsFollowTheGivenValues) {
  const std::vector<parser::Binding> given = {{"domain", "example.org"},
                                              {"client_domain", "c.test"}};
  EXPECT_EQ(Sent(given), Expected(Resolve(given)));
  EXPECT_EQ(Value(Resolve(given), "mailbox"), "postmaster@example.org");
  const std::vector<parser::Binding> mailbox = {{"mailbox", "a@b.test"}};
  EXPECT_EQ(Sent(mailbox), Expected(Resolve(mailbox)));
}

TEST(VariablesTest, EveryTargetVariableButTheRandomOneIsListed) {
  std::vector<std::string> names;
  for (const VariableDefault& d : TargetDefaults()) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{"domain", "mailbox",
                                             "client_domain", "sender"}));
}

TEST(VariablesTest, PrintsTextOrJson) {
  std::ostringstream out, err;
  EXPECT_EQ(RunVariables({}, out, err), 0);
  EXPECT_EQ(out.str(),
            "domain localhost\nmailbox postmaster@${domain}\n"
            "client_domain client.smtpspec.test\n"
            "sender smtpspec@${client_domain}\n");
  out.str("");
  EXPECT_EQ(RunVariables({"--json"}, out, err), 0);
  EXPECT_EQ(out.str(),
            "[{\"name\":\"domain\",\"default\":\"localhost\"},"
            "{\"name\":\"mailbox\",\"default\":\"postmaster@${domain}\"},"
            "{\"name\":\"client_domain\",\"default\":"
            "\"client.smtpspec.test\"},"
            "{\"name\":\"sender\",\"default\":"
            "\"smtpspec@${client_domain}\"}]\n");
  EXPECT_EQ(err.str(), "");
}

TEST(VariablesTest, AnUnknownArgumentIsAUsageError) {
  std::ostringstream out, err;
  EXPECT_EQ(RunVariables({"--yaml"}, out, err), 2);
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(err.str().find("--yaml"), std::string::npos);
}

}  // namespace
}  // namespace smtpspec::cli
