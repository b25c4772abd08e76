#include "cli/dispatch.h"

#include <iostream>

#include "cli/client_command.h"
#include "cli/ehlo.h"
#include "cli/files.h"
#include "cli/fmt.h"
#include "cli/lint.h"
#include "cli/list.h"
#include "cli/record.h"
#include "cli/run.h"
#include "cli/serve.h"
#include "cli/variables.h"
#include "util/did_you_mean.h"

namespace smtpspec::cli {
namespace {

constexpr char kHelp[] =
    "usage: smtpspec COMMAND ARGS...\n"
    "\n"
    "commands:\n"
    "  lint FILE|DIR...          check transcripts; list every error\n"
    "  fmt [--check] FILE|DIR... rewrite transcripts in canonical form;\n"
    "                            with --check, list the files that are not\n"
    "  run [FLAGS] FILE|DIR...   run transcripts against a server (--target)\n"
    "                            or a client (--client-cmd); JSON lines out\n"
    "  serve [FLAGS] FILE|DIR... a scripted server: plays the client\n"
    "                            scenarios to clients that connect, chosen\n"
    "                            by their EHLO name; JSON lines out\n"
    "  list [FLAGS] FILE|DIR...  each selected transcript's metadata as JSON\n"
    "                            lines (--tags, --rfc, --id, --level, ...)\n"
    "  variables [--json]        the target variables' defaults\n"
    "  template [FLAGS] TEMPLATE [FILE]\n"
    "                            a client command template filled in as run\n"
    "                            --client-cmd fills it for FILE's scenario\n"
    "  files FILE|DIR...         the transcripts these arguments name, one\n"
    "                            a line (a DIR: its *.smtp files, sorted)\n"
    "  ehlo                      an EHLO reply on stdin, parsed, as JSON\n"
    "  record [FLAGS] CAPTURE OUT\n"
    "                            a capture of `smtpspec record`'s proxy as a\n"
    "                            scenario (cli/record.h)\n"
    "\n"
    "exit status: 0 ok, 1 problems found, 2 usage error\n"
    "format reference: docs/transcript-format.md\n";

}  // namespace

int Dispatch(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  if (args.empty()) {
    err << "smtpspec: no command given; try 'smtpspec help'\n";
    return 2;
  }
  const std::string& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "lint") return RunLint(rest, out, err);
  if (command == "fmt") return RunFmt(rest, out, err);
  if (command == "run") return Run(rest);
  if (command == "serve") return Serve(rest);
  if (command == "list") return List(rest);
  if (command == "variables") return RunVariables(rest, out, err);
  if (command == "files") return RunFiles(rest, out, err);
  if (command == "template") return RunTemplate(rest, out, err);
  if (command == "record") return record::RunRecord(rest, out, err);
  if (command == "ehlo") return RunEhlo(rest, std::cin, out, err);
  if (command == "help" || command == "--help" || command == "-h") {
    out << kHelp;
    return 0;
  }
  const std::vector<std::string_view> commands = {
      "lint",      "fmt",      "run",   "serve",  "list",
      "variables", "template", "files", "record", "help"};
  err << "smtpspec: unknown command '" << command << "'"
      << util::DidYouMean(command, commands)
      << " (commands: lint, fmt, run, serve, list, variables, template, "
         "files and record; try 'smtpspec help')\n";
  return 2;
}

}  // namespace smtpspec::cli
