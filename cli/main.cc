// smtpspec_cli: the C++ command-line binary behind ./smtpspec. One file per
// subcommand; this file only dispatches.
#include <iostream>
#include <string>
#include <vector>

#include "cli/list.h"
#include "cli/run.h"

namespace {

constexpr char kUsage[] =
    "usage: smtpspec_cli COMMAND [ARGS]\n"
    "commands:\n"
    "  run    run scenario files against a server or a client (JSON lines)\n"
    "  list   each scenario file's metadata (JSON lines)\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "smtpspec_cli: no command given (try: run)\n";
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "run") return smtpspec::cli::Run(args);
  if (command == "list") return smtpspec::cli::List(args);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "smtpspec_cli: unknown command '" << command << "'\n";
  return 2;
}
