#include "cli/list.h"

#include <iostream>

#include "cli/scenario_files.h"
#include "interpreter/result_json.h"
#include "parser/render.h"

namespace smtpspec::cli {

int List(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << "smtpspec_cli list: no scenario files given\n";
    return 2;
  }
  int status = 0;
  for (const std::string& file : args) {
    if (file.starts_with("--")) {
      std::cerr << "smtpspec_cli list: unknown flag " << file << "\n";
      return 2;
    }
    transcript::ParseResult parsed = LoadScenario(file);
    for (const transcript::Diagnostic& d : parsed.diagnostics) {
      std::cerr << transcript::FormatDiagnostic(d) << "\n";
    }
    if (!parsed.scenario) {
      status = 2;
      continue;
    }
    std::cout << interp::ScenarioJson(*parsed.scenario, file,
                                      transcript::Render(*parsed.scenario))
              << "\n";
  }
  return status;
}

}  // namespace smtpspec::cli
