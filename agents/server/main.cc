// smtpspec_server: the reference SMTP server in the foreground, the binary
// behind `./smtpspec serve`. Prints one line per listener on standard
// output before serving ("listening 127.0.0.1:2525", "listening-tls
// 127.0.0.1:4650"), so a caller that asked for port 0 learns the port.
// SIGTERM or SIGINT: 421 to open sessions, writes finished, exit 0.
// Exit 2 on a usage or configuration error, 1 if serving fails.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "agents/config.h"
#include "agents/server/faults.h"
#include "agents/server/server.h"

namespace {

using smtpspec::agents::server::Fault;

constexpr const char* kUsage =
    "usage: smtpspec_server [--listen HOST:PORT] [--maildir DIR] "
    "[--config FILE] [flags]\n";

// Takes --faults LIST (repeatable, also --faults=LIST) out of `args`: it
// is ours, not the configuration's. Returns false on an error.
bool TakeFaults(std::vector<std::string>& args, std::vector<Fault>& faults) {
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string list;
    if (args[i] == "--faults") {
      if (i + 1 == args.size()) {
        std::fprintf(stderr, "smtpspec_server: --faults needs a value\n");
        return false;
      }
      list = args[++i];
    } else if (args[i].rfind("--faults=", 0) == 0) {
      list = args[i].substr(9);
    } else {
      rest.push_back(args[i]);
      continue;
    }
    auto parsed = smtpspec::agents::server::ParseFaults(list);
    if (!parsed.ok()) {
      std::fprintf(stderr, "smtpspec_server: --faults: %s\n",
                   parsed.error().reason.c_str());
      return false;
    }
    for (Fault fault : *parsed) faults.push_back(fault);
  }
  args = std::move(rest);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  namespace agents = smtpspec::agents;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::printf(
          "%s\n%s  --faults LIST\n      deliberate deviations for testing "
          "(docs/reference-agents.md): a comma-separated list of "
          "wrong-codes, rcpt-before-mail, broken-multiline, bare-lf-end, "
          "stall, early-close, reject-postmaster, no-vrfy\n",
          kUsage, agents::config::FlagsHelp().c_str());
      return 0;
    }
  }
  std::vector<Fault> faults;
  if (!TakeFaults(args, faults)) return 2;
  smtpspec::Result<agents::config::Server> config =
      agents::config::FromFlags(args);
  if (!config.ok()) {
    std::fprintf(stderr, "smtpspec_server: %s\n%s",
                 config.error().reason.c_str(), kUsage);
    return 2;
  }
  smtpspec::Status conformant =
      smtpspec::server::CheckConfig(agents::server::EngineConfig(*config));
  if (!conformant.ok()) {
    std::fprintf(stderr, "smtpspec_server: warning: %s\n",
                 conformant.error().reason.c_str());
  }
  for (Fault fault : faults) {
    std::fprintf(stderr, "smtpspec_server: fault '%s' is on\n",
                 std::string(agents::server::FaultName(fault)).c_str());
  }
  // Before any thread exists, so every thread inherits the mask.
  std::signal(SIGPIPE, SIG_IGN);
  auto server = agents::server::Server::Create(*config, faults);
  if (!server.ok()) {
    std::fprintf(stderr, "smtpspec_server: %s\n",
                 server.error().reason.c_str());
    return 2;
  }
  smtpspec::Status watched = (*server)->loop().WatchSignals({SIGTERM, SIGINT});
  if (!watched.ok()) {
    std::fprintf(stderr, "smtpspec_server: %s\n",
                 watched.error().reason.c_str());
    return 1;
  }
  for (const agents::Address& address : (*server)->listening()) {
    std::printf("listening %s\n", agents::FormatAddress(address).c_str());
  }
  for (const agents::Address& address : (*server)->implicit_tls()) {
    std::printf("listening-tls %s\n", agents::FormatAddress(address).c_str());
  }
  std::fflush(stdout);
  smtpspec::Status ran = (*server)->Run();
  if (!ran.ok()) {
    std::fprintf(stderr, "smtpspec_server: %s\n", ran.error().reason.c_str());
    return 1;
  }
  return 0;
}
