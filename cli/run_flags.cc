#include "cli/run_flags.h"

#include <cstdio>
#include <iostream>
#include <random>

#include "agents/address.h"
#include "cli/files.h"
#include "cli/verdicts.h"
#include "interpreter/result_json.h"
#include "parser/duration.h"

namespace smtpspec::cli {

RunFlags NewRunFlags() {
  RunFlags flags;
  // ${unknown_mailbox}: a fresh local part each run (PlayerOptions).
  std::random_device random;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%08x%08x", random(), random());
  flags.options.unknown_local_part = std::string("smtpspec-nobody-") + hex;
  return flags;
}

std::optional<Status> ReadRunFlag(const std::vector<std::string>& args,
                                  std::size_t* i, RunFlags* flags) {
  if (std::optional<Status> read =
          ReadSelectionFlag(args, i, &flags->selection)) {
    return read;
  }
  const std::string& arg = args[*i];
  interp::DriverOptions& options = flags->options;
  auto value = [&](std::string* out) {
    if (*i + 1 >= args.size()) return false;
    *out = args[++*i];
    return true;
  };
  std::string v;
  if (arg == "--target-name") {
    if (!value(&options.target_name))
      return Error{0, "--target-name needs NAME"};
  } else if (arg == "--listen") {
    if (!value(&v)) return Error{0, "--listen needs HOST:PORT"};
    Result<agents::Address> address = agents::ParseAddress(v);
    if (!address.ok()) {
      return Error{0, "--listen " + v + ": " + address.error().reason};
    }
    options.listen = *address;
  } else if (arg == "--tls-cert") {
    if (!value(&options.tls_certificate)) {
      return Error{0, "--tls-cert needs a file"};
    }
  } else if (arg == "--tls-key") {
    if (!value(&options.tls_key)) return Error{0, "--tls-key needs a file"};
  } else if (arg == "--var") {
    if (!value(&v)) return Error{0, "--var needs NAME=VALUE"};
    const std::size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error{0, "--var " + v + ": write NAME=VALUE"};
    }
    options.vars.push_back({v.substr(0, eq), v.substr(eq + 1)});
  } else if (arg == "--timeout") {
    if (!value(&v)) return Error{0, "--timeout needs a duration (5s, 500ms)"};
    std::optional<std::chrono::milliseconds> d = parser::ParseDuration(v);
    if (!d || d->count() <= 0) {
      return Error{0, "--timeout " + v + ": a duration such as 5s or 500ms"};
    }
    options.step_timeout = *d;
  } else if (arg == "--strict") {
    flags->strict = true;
  } else if (arg == "--metadata") {
    flags->metadata = true;
  } else if (arg.starts_with("-")) {
    return std::nullopt;  // the command's own flag, or an unknown one
  } else {
    flags->files.push_back(arg);
  }
  return OkStatus();
}

std::optional<std::vector<parser::Scenario>> ParseAll(
    std::vector<std::string>* files, std::string* usage_error) {
  if (files->empty()) {
    *usage_error = "no scenario files given";
    return std::nullopt;
  }
  Result<std::vector<std::string>> collected = CollectTranscripts(*files);
  if (!collected.ok()) {
    *usage_error = collected.error().reason;
    return std::nullopt;
  }
  *files = std::move(collected).value();
  // A broken scenario is a configuration error, reported with all its
  // problems.
  std::vector<parser::Scenario> scenarios;
  scenarios.reserve(files->size());
  bool broken = false;
  for (const std::string& file : *files) {
    parser::ParseResult parsed = LoadTranscript(file);
    for (const parser::Diagnostic& d : parsed.diagnostics) {
      std::cerr << parser::FormatDiagnostic(d) << "\n";
    }
    if (!parsed.scenario) {
      broken = true;
      continue;
    }
    scenarios.push_back(std::move(*parsed.scenario));
  }
  if (broken) return std::nullopt;
  return scenarios;
}

bool FailsRun(const interp::ScenarioResult& result, bool strict) {
  if (VerdictFails(interp::VerdictName(result.verdict), strict)) return true;
  for (const interp::Finding& f : result.incidental) {
    if (IncidentalFails(model::LevelName(f.level), strict)) return true;
  }
  return false;
}

}  // namespace smtpspec::cli
