// A client under test's command template, filled in for each scenario
// (docs/user-guide.md, "Clients under test"):
//
//   {host} {port}   where smtpspec listens; the driver fills them in once
//                   it listens (interpreter/driver.cc), so they stay
//   {message}       the standard message's absolute path (--message)
//   {NAME}          any variable the scenario sees: the target variables
//                   with their defaults (cli/variables.h), the scenario's
//                   own `vars`, and --var
//   {{ and }}       a literal brace (a shell's ${HOME} is ${{HOME}})
//
// Values go in shell-quoted (as Python's shlex.quote), so a value never
// splits into two words or runs as shell syntax. Anything else in braces
// is an error, found before any scenario runs.
#ifndef SMTPSPEC_CLI_CLIENT_COMMAND_H_
#define SMTPSPEC_CLI_CLIENT_COMMAND_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "parser/scenario.h"
#include "parser/variables.h"

namespace smtpspec::cli {

// `text` as /bin/sh reads it as one word: unchanged when it is made of
// letters, digits and @%+=:,./-_ only, else in single quotes.
std::string ShellQuote(std::string_view text);

class ClientTemplate {
 public:
  // Checks the brace syntax; the error names `where` ("client NAME") and
  // the column: "'{' at column 6 is not a placeholder; write {{ and }}
  // for literal braces".
  static Result<ClientTemplate> Parse(std::string_view text, std::string where);

  // The command for one scenario, given every value it may use in the
  // order an error lists them (Values()); {host} and {port} are left for
  // the driver. An unknown name, or a value that would put a literal
  // {host} or {port} into the command, is an error.
  Result<std::string> Fill(const std::vector<parser::Binding>& values) const;

 private:
  struct Part {
    bool name = false;  // a placeholder, else literal text
    std::string text;
  };
  std::vector<Part> parts_;
  std::string where_;
};

// What a template may use for one scenario: {message} (`message_file`),
// then the target variables, then the rest by name. The values are the
// Player's: the scenario's `vars`, overridden by `flags` (--var), and the
// target variables' defaults for whatever is still unset.
std::vector<parser::Binding> Values(const std::string& message_file,
                                    const std::vector<parser::Var>& vars,
                                    const std::vector<parser::Binding>& flags);

// `smtpspec_cli template [--message FILE] [--var NAME=VALUE]... [--name
// NAME] TEMPLATE [FILE]`: the command `run --client-cmd TEMPLATE` would
// start for the scenario in FILE (or one without `vars`), {host} and
// {port} left as they are; for tools that run a client template
// themselves (tools/peers/tests/clients_test.py). Exit codes: 0, 2 usage
// error or a bad template (one line on `err`).
int RunTemplate(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_CLIENT_COMMAND_H_
