// Client command templates (cli/client_command.h): placeholders, quoting,
// literal braces and the errors.
#include "cli/client_command.h"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace smtpspec::cli {
namespace {

const std::vector<parser::Binding>& Default() {
  static const std::vector<parser::Binding> values =
      Values("/repo/scenarios/client-message.eml", {{"extra", "x y"}}, {});
  return values;
}

Result<std::string> Fill(
    const std::string& text,
    const std::vector<parser::Binding>& values = Default()) {
  Result<ClientTemplate> t = ClientTemplate::Parse(text, "client t");
  if (!t.ok()) return t.error();
  return t->Fill(values);
}

std::string Error(const std::string& text,
                  const std::vector<parser::Binding>& values = Default()) {
  Result<std::string> filled = Fill(text, values);
  return filled.ok() ? "(no error: " + *filled + ")" : filled.error().reason;
}

TEST(ClientCommandTest, VariablesAndTheMessageAreFilledIn) {
  EXPECT_EQ(*Fill("swaks --server {host}:{port} --from {sender} --to "
                  "{mailbox} --helo {client_domain} --data {message}"),
            "swaks --server {host}:{port} --from smtpspec@client.smtpspec.test "
            "--to postmaster@localhost --helo client.smtpspec.test --data "
            "/repo/scenarios/client-message.eml");
}

TEST(ClientCommandTest, ValuesAreThePlayers) {
  // The scenario's vars, then --var, then the defaults, which follow them.
  std::vector<parser::Binding> values =
      Values("/m", {{"domain", "a.test"}, {"mailbox", "x@y"}},
             {{"mailbox", "flag@z"}, {"client_domain", "c.test"}});
  EXPECT_EQ(*Fill("{domain} {mailbox} {client_domain} {sender}", values),
            "a.test flag@z c.test smtpspec@c.test");
  // {message} is always the file, whatever a scenario calls its own.
  values = Values("/m", {{"message", "not the file"}}, {});
  EXPECT_EQ(*Fill("{message}", values), "/m");
}

TEST(ClientCommandTest, ValuesAreShellQuoted) {
  EXPECT_EQ(*Fill("echo {extra}"), "echo 'x y'");
  EXPECT_EQ(*Fill("send --from {sender} --to {mailbox}",
                  Values("/m", {}, {{"sender", ""}, {"mailbox", "a;b'c@d"}})),
            "send --from '' --to 'a;b'\"'\"'c@d'");
  EXPECT_EQ(ShellQuote("a-b_c@d.e:f,g/h+i%j=k"), "a-b_c@d.e:f,g/h+i%j=k");
  EXPECT_EQ(ShellQuote("$x"), "'$x'");
}

TEST(ClientCommandTest, DoubledBracesAreLiteral) {
  EXPECT_EQ(*Fill("sh -c 'echo ${{HOME}} {{}}' {domain}"),
            "sh -c 'echo ${HOME} {}' localhost");
}

TEST(ClientCommandTest, AnUnknownPlaceholderNamesTheKnownOnes) {
  EXPECT_EQ(Error("swaks --to {recipient}"),
            "client t: unknown placeholder {recipient} (known: {host}, "
            "{port}, {message}, {domain}, {mailbox}, {client_domain}, "
            "{sender}, {extra}; {{ and }} are literal braces)");
}

TEST(ClientCommandTest, BracesThatAreNoPlaceholderAreErrors) {
  EXPECT_EQ(Error("echo ${HOME"),
            "client t: '{' at column 7 is not a placeholder; write {{ and "
            "}} for literal braces");
  EXPECT_EQ(Error("echo }").substr(0, 25), "client t: '}' at column 6");
  EXPECT_EQ(Error("awk '{print $1}'").substr(0, 34),
            "client t: '{print $1}' at column 6");
  EXPECT_EQ(Error("echo {}").substr(0, 26), "client t: '{}' at column 6");
  EXPECT_EQ(Error("echo {" + std::string(40, 'a') + " }").substr(0, 45),
            "client t: '{" + std::string(26, 'a') + "...' at");
}

TEST(ClientCommandTest, ALiteralHostPlaceholderCannotBeSmuggledIn) {
  // The driver would replace it: refused rather than surprising.
  EXPECT_EQ(Error("echo {{host}}"),
            "client t: the command would contain a literal {host}, which "
            "smtpspec would replace with the listening host");
  EXPECT_NE(Error("echo {domain}", Values("/m", {}, {{"domain", "{port}"}}))
                .find("literal {port}"),
            std::string::npos);
}

TEST(ClientCommandTest, TheTemplateCommandFillsInAsRunDoes) {
  std::ostringstream out, err;
  EXPECT_EQ(RunTemplate({"--message", "/m.eml", "--var", "sender=a b@c",
                         "--name", "swaks", "x {host} {sender} {message}"},
                        out, err),
            0);
  EXPECT_EQ(out.str(), "x {host} 'a b@c' /m.eml\n");
  EXPECT_EQ(err.str(), "");
  out.str("");
  EXPECT_EQ(RunTemplate({"x {message}"}, out, err), 2);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str().substr(0, 57),
            "smtpspec_cli template: client client: unknown placeholder");
}

}  // namespace
}  // namespace smtpspec::cli
