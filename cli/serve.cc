#include "cli/serve.h"

#include <cstdlib>
#include <iostream>
#include <optional>
#include <set>

#include "agents/address.h"
#include "agents/config.h"
#include "cli/list.h"
#include "cli/run_flags.h"
#include "cli/selection.h"
#include "interpreter/result_json.h"
#include "interpreter/script_book.h"
#include "interpreter/serve.h"
#include "util/json_writer.h"

namespace smtpspec::cli {
namespace {

constexpr char kUsage[] =
    "usage: smtpspec_cli serve [--listen HOST:PORT] [--count N] "
    "[--tls-cert FILE --tls-key FILE] [--var NAME=VALUE]... "
    "[--timeout DURATION] [--strict] [--target-name NAME] [--metadata] "
    "[--tags TAG,...]... [--rfc CITATION]... [--id GLOB]... "
    "[--level LEVEL,...]... FILE...";

int Usage(const std::string& why) {
  std::cerr << "smtpspec_cli serve: " << why << "\n";
  return 2;
}

// {"schema": "smtpspec.serving/1", "address", "scripts": [{"id", "file",
// "name"}], "notes": [...]} (docs/results-schema.md).
std::string ServingRecord(const interp::Serving& serving,
                          const std::vector<interp::Job>& jobs,
                          const interp::ScriptBook& book,
                          std::vector<std::string> notes) {
  util::JsonWriter w;
  w.BeginObject().Key("schema").String("smtpspec.serving/1");
  w.Key("address").String(agents::FormatAddress(serving.address));
  w.Key("scripts").BeginArray();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    w.BeginObject();
    w.Key("id").String(jobs[i].scenario->meta.id);
    w.Key("file").String(jobs[i].file);
    w.Key("name").String(book.name(i));
    w.EndObject();
  }
  w.EndArray();
  notes.insert(notes.end(), serving.notes.begin(), serving.notes.end());
  w.Key("notes").Strings(notes);
  return w.EndObject().str();
}

}  // namespace

int Serve(const std::vector<std::string>& args) {
  RunFlags flags = NewRunFlags();
  interp::DriverOptions& options = flags.options;
  options.mode = interp::Mode::kClient;
  // Where the reference server listens by default: clients configured for
  // one find the other.
  options.listen = agents::config::Server().listen.front();
  std::size_t count = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (std::optional<Status> read = ReadRunFlag(args, &i, &flags)) {
      if (!read->ok()) return Usage(read->error().reason);
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage << "\n";
      return 0;
    } else if (arg == "--count") {
      const std::string v = i + 1 < args.size() ? args[++i] : "";
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 1 || n > 1000000) {
        return Usage("--count " + v +
                     ": a number of connections from 1 to "
                     "1000000");
      }
      count = static_cast<std::size_t>(n);
    } else {
      return Usage("unknown flag " + arg);
    }
  }
  // The harness plays the server: its scripts are the client scenarios.
  if (flags.selection.side == parser::UnderTest::kServer) {
    return Usage(
        "--side server: serve plays the server to clients; its "
        "scripts test clients");
  }
  flags.selection.side = parser::UnderTest::kClient;
  if (options.tls_certificate.empty() != options.tls_key.empty()) {
    return Usage("--tls-cert and --tls-key go together");
  }
  std::vector<std::string>& files = flags.files;
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
  if (chosen.selected == 0) {
    return Usage("no scenario matches the selection (" +
                 std::to_string(chosen.found) + " scenarios found)");
  }
  std::vector<std::string> notes;
  const std::size_t servers = chosen.selected - chosen.picked.size();
  if (servers > 0) {
    // One line for them all: a whole corpus holds over a hundred.
    const std::set<std::size_t> picked(chosen.picked.begin(),
                                       chosen.picked.end());
    std::string example;
    for (std::size_t i = 0; i < scenarios.size() && example.empty(); ++i) {
      if (!scenarios[i].meta.id.empty() && !picked.count(i) &&
          Matches(scenarios[i], flags.selection)) {
        example = scenarios[i].meta.id + ", " + files[i];
      }
    }
    const std::string what =
        std::to_string(servers) + " of the " + std::to_string(chosen.selected) +
        " scenarios selected test" + (servers == 1 ? "s" : "") +
        " a server (tests: server; e.g. " + example + ")";
    if (chosen.picked.empty()) {
      return Usage(what +
                   "; serve plays the server, so it needs scenarios "
                   "that test a client (tests: client or both)");
    }
    notes.push_back(what + ": not served");
  }
  std::vector<interp::Job> jobs;
  std::vector<std::string> ids;
  for (std::size_t i : chosen.picked) {
    jobs.push_back(interp::Job{&scenarios[i], files[i], ""});
    ids.push_back(scenarios[i].meta.id);
  }
  if (jobs.size() > 1) {
    for (const parser::Binding& b : options.vars) {
      if (b.name == "client_domain") {
        return Usage(
            "--var client_domain: with several scripts the "
            "client's EHLO name chooses one, and is its "
            "${client_domain}");
      }
    }
  }
  Result<interp::ScriptBook> book = interp::ScriptBook::Make(std::move(ids));
  if (!book.ok()) return Usage(book.error().reason);
  if (flags.metadata) {
    for (const interp::Job& job : jobs) {
      std::cout << ScenarioRecord(*job.scenario, job.file) << "\n";
    }
    std::cout << SelectionRecord(chosen) << "\n";
  }
  std::cout << std::flush;
  bool diverged = false;
  Status status = interp::Serve(
      jobs, *book, options, count,
      [&](const interp::Serving& serving) {
        std::cout << ServingRecord(serving, jobs, *book, notes) << "\n"
                  << std::flush;
      },
      [&](const interp::ScenarioResult& result) {
        std::cout << interp::ToJson(result) << "\n" << std::flush;
        if (FailsRun(result, flags.strict)) diverged = true;
      });
  if (!status.ok()) {
    std::cerr << "smtpspec_cli serve: " << status.error().reason << "\n";
    return 2;
  }
  return diverged ? 1 : 0;
}

}  // namespace smtpspec::cli
