#include "cli/list.h"

#include <iostream>

#include "cli/files.h"
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
  if (args.empty()) {
    std::cerr << "smtpspec_cli list: no scenario files given\n";
    return 2;
  }
  for (const std::string& arg : args) {
    if (arg.starts_with("--")) {
      std::cerr << "smtpspec_cli list: unknown flag " << arg << "\n";
      return 2;
    }
  }
  Result<std::vector<std::string>> files = CollectTranscripts(args);
  if (!files.ok()) {
    std::cerr << "smtpspec_cli list: " << files.error().reason << "\n";
    return 2;
  }
  int status = 0;
  for (const std::string& file : *files) {
    parser::ParseResult parsed = LoadTranscript(file);
    for (const parser::Diagnostic& d : parsed.diagnostics) {
      std::cerr << parser::FormatDiagnostic(d) << "\n";
    }
    if (!parsed.scenario) {
      status = 2;
      continue;
    }
    std::cout << MetadataJson(*parsed.scenario, file) << "\n";
  }
  return status;
}

}  // namespace smtpspec::cli
