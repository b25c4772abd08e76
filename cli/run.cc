#include "cli/run.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

#include "agents/address.h"
#include "cli/client_command.h"
#include "cli/list.h"
#include "cli/run_flags.h"
#include "cli/selection.h"
#include "interpreter/driver.h"
#include "interpreter/result_json.h"

namespace smtpspec::cli {
namespace {

constexpr char kUsage[] =
    "usage: smtpspec_cli run [--target HOST:PORT | --client-cmd TEMPLATE] "
    "[--tls none|starttls|implicit] [--ca FILE] [--insecure] "
    "[--server-name NAME] [--target-name NAME] [--listen HOST:PORT] "
    "[--tls-cert FILE --tls-key FILE] [--var NAME=VALUE]... [--jobs N] "
    "[--timeout DURATION] [--strict] [--message FILE] [--tags TAG,...]... "
    "[--rfc CITATION]... [--id GLOB]... [--level LEVEL,...]... "
    "[--side server|client] [--shard INDEX/TOTAL] [--metadata] [--hold] "
    "[--one-by-one] FILE...";

// One line on stderr, exit code 2 (DEVELOPERS.md: bad flags).
int Usage(const std::string& why) {
  std::cerr << "smtpspec_cli run: " << why << "\n";
  return 2;
}

}  // namespace

int Run(const std::vector<std::string>& args) {
  RunFlags flags = NewRunFlags();
  interp::DriverOptions& options = flags.options;
  std::vector<std::string>& files = flags.files;
  std::string message_file;
  bool hold = false;
  bool one_by_one = false;
  bool have_target = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (std::optional<Status> read = ReadRunFlag(args, &i, &flags)) {
      if (!read->ok()) return Usage(read->error().reason);
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage << "\n";
      return 0;
    } else if (arg == "--target") {
      if (!value(&v)) return Usage("--target needs HOST:PORT");
      Result<agents::Address> address = agents::ParseAddress(v);
      if (!address.ok()) {
        return Usage("--target " + v + ": " + address.error().reason);
      }
      options.target = *address;
      have_target = true;
    } else if (arg == "--client-cmd") {
      if (!value(&options.client_command)) {
        return Usage("--client-cmd needs a command template");
      }
      options.mode = interp::Mode::kClient;
    } else if (arg == "--tls") {
      if (!value(&v)) return Usage("--tls needs none, starttls or implicit");
      if (v == "none") {
        options.tls = interp::TargetTls::kNone;
      } else if (v == "starttls") {
        options.tls = interp::TargetTls::kStartTls;
      } else if (v == "implicit") {
        options.tls = interp::TargetTls::kImplicit;
      } else {
        return Usage("--tls " + v + ": use none, starttls or implicit");
      }
    } else if (arg == "--ca") {
      if (!value(&options.ca_file)) return Usage("--ca needs a file");
    } else if (arg == "--insecure") {
      options.insecure = true;
    } else if (arg == "--server-name") {
      if (!value(&options.server_name))
        return Usage("--server-name needs NAME");
    } else if (arg == "--jobs") {
      if (!value(&v)) return Usage("--jobs needs a number");
      char* end = nullptr;
      const long jobs = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || jobs < 1 || jobs > 1000) {
        return Usage("--jobs " + v + ": a number from 1 to 1000");
      }
      options.jobs = static_cast<std::size_t>(jobs);
    } else if (arg == "--hold") {
      hold = true;
    } else if (arg == "--one-by-one") {
      one_by_one = true;
    } else if (arg == "--message") {
      if (!value(&v)) return Usage("--message needs a file");
      // Absolute: the client under test runs in a folder of its own.
      message_file = std::filesystem::absolute(v).lexically_normal().string();
    } else {
      return Usage("unknown flag " + arg);
    }
  }
  if (files.empty()) return Usage("no scenario files given");
  if (options.mode == interp::Mode::kServer && !have_target && !hold) {
    return Usage(
        "give --target HOST:PORT (a server) or --client-cmd (a client)");
  }
  if (options.tls_certificate.empty() != options.tls_key.empty()) {
    return Usage("--tls-cert and --tls-key go together");
  }
  std::string usage_error;
  std::optional<std::vector<parser::Scenario>> parsed =
      ParseAll(&files, &usage_error);
  if (!parsed) return usage_error.empty() ? 2 : Usage(usage_error);
  std::vector<parser::Scenario>& scenarios = *parsed;
  std::vector<const parser::Scenario*> metas;
  for (const parser::Scenario& scenario : scenarios) {
    metas.push_back(&scenario);
  }
  const Chosen chosen = Choose(metas, flags.selection);
  // A client's command is filled in for every scenario before any runs,
  // so that a bad template is one usage error, not a page of ERRORs.
  std::vector<interp::Job> jobs;
  std::optional<ClientTemplate> client;
  if (options.mode == interp::Mode::kClient) {
    Result<ClientTemplate> parsed = ClientTemplate::Parse(
        options.client_command,
        "client " + (options.target_name.empty() ? options.client_command
                                                 : options.target_name));
    if (!parsed.ok()) return Usage(parsed.error().reason);
    client = std::move(parsed).value();
  }
  for (std::size_t i : chosen.picked) {
    interp::Job job{&scenarios[i], files[i], ""};
    if (client) {
      Result<std::string> command = client->Fill(
          Values(message_file, scenarios[i].meta.vars, options.vars));
      if (!command.ok()) return Usage(command.error().reason);
      job.client_command = std::move(command).value();
    }
    jobs.push_back(std::move(job));
  }
  // With --metadata each scenario's metadata comes first, once, as `list`
  // gives it, then how many were found and selected.
  if (flags.metadata) {
    for (const interp::Job& job : jobs) {
      std::cout << ScenarioRecord(*job.scenario, job.file) << "\n";
    }
    std::cout << SelectionRecord(chosen) << "\n";
  }
  std::cout << std::flush;
  // --hold: the runner reads every target's records before any target
  // runs (and starts the reference server only if it has scenarios); a
  // line on stdin says go, and carries the address if --target was not
  // given. End of input: the runner needs this run no more.
  if (hold) {
    std::string line;
    if (!std::getline(std::cin, line)) return 0;
    if (options.mode == interp::Mode::kServer && !have_target) {
      Result<agents::Address> address = agents::ParseAddress(line);
      if (!address.ok()) {
        return Usage("the address on stdin, " + line + ": " +
                     address.error().reason);
      }
      options.target = *address;
    }
  }
  // --one-by-one: the runner checks what the target stored after each
  // scenario (--delivered command:CMD), so the next starts only when it
  // says so on stdin.
  if (one_by_one) options.jobs = 1;

  bool diverged = false;
  Status status =
      interp::RunJobs(jobs, options, [&](const interp::ScenarioResult& result) {
        std::cout << interp::ToJson(result) << "\n" << std::flush;
        if (one_by_one) {
          std::string line;
          std::getline(std::cin, line);
        }
        if (FailsRun(result, flags.strict)) diverged = true;
      });
  if (!status.ok()) {
    std::cerr << "smtpspec_cli run: " << status.error().reason << "\n";
    return 2;
  }
  return diverged ? 1 : 0;
}

}  // namespace smtpspec::cli
