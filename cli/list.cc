#include "cli/list.h"

#include <iostream>

#include "cli/files.h"
#include "cli/selection.h"
#include "interpreter/result_json.h"
#include "parser/render.h"

namespace smtpspec::cli {

std::string MetadataJson(const parser::Scenario& scenario,
                         const std::string& file) {
  return interp::ScenarioJson(scenario, file, parser::Render(scenario));
}

std::string ScenarioRecord(const parser::Scenario& scenario,
                           const std::string& file) {
  return "{\"schema\":\"smtpspec.scenario/1\",\"scenario\":" +
         MetadataJson(scenario, file) + "}";
}

int List(const std::vector<std::string>& args) {
  Selection selection;
  bool summary = false;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (std::optional<Status> read = ReadSelectionFlag(args, &i, &selection)) {
      if (!read->ok()) {
        std::cerr << "smtpspec_cli list: " << read->error().reason << "\n";
        return 2;
      }
    } else if (args[i] == "--summary") {
      summary = true;
    } else if (args[i].starts_with("--")) {
      std::cerr << "smtpspec_cli list: unknown flag " << args[i] << "\n";
      return 2;
    } else {
      paths.push_back(args[i]);
    }
  }
  if (paths.empty()) {
    std::cerr << "smtpspec_cli list: no scenario files given\n";
    return 2;
  }
  Result<std::vector<std::string>> files = CollectTranscripts(paths);
  if (!files.ok()) {
    std::cerr << "smtpspec_cli list: " << files.error().reason << "\n";
    return 2;
  }
  int status = 0;
  std::vector<parser::Scenario> scenarios;
  std::vector<std::string> parsed_files;
  for (const std::string& file : *files) {
    parser::ParseResult parsed = LoadTranscript(file);
    for (const parser::Diagnostic& d : parsed.diagnostics) {
      std::cerr << parser::FormatDiagnostic(d) << "\n";
    }
    if (!parsed.scenario) {
      status = 2;
      continue;
    }
    scenarios.push_back(std::move(*parsed.scenario));
    parsed_files.push_back(file);
  }
  std::vector<const parser::Scenario*> metas;
  for (const parser::Scenario& scenario : scenarios) {
    metas.push_back(&scenario);
  }
  const Chosen chosen = Choose(metas, selection);
  if (selection.given) {
    for (std::size_t i : chosen.picked) {
      std::cout << MetadataJson(scenarios[i], parsed_files[i]) << "\n";
    }
  } else {
    // Every file, include fragments too (id ""), as tools read it.
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      std::cout << MetadataJson(scenarios[i], parsed_files[i]) << "\n";
    }
  }
  if (summary) std::cout << SelectionRecord(chosen) << "\n";
  return status;
}

}  // namespace smtpspec::cli
