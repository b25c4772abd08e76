#include "cli/lint.h"

#include "cli/files.h"
#include "parser/diagnostic.h"
#include "parser/include.h"
#include "parser/parser.h"

namespace smtpspec::cli {

int RunLint(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  for (const std::string& a : args) {
    if (a.size() > 1 && a[0] == '-') {
      err << "smtpspec lint: unknown option '" << a
          << "'; usage: smtpspec lint FILE|DIR...\n";
      return 2;
    }
  }
  if (args.empty()) {
    err << "smtpspec lint: no files given; usage: smtpspec lint FILE|DIR...\n";
    return 2;
  }
  Result<std::vector<std::string>> files = CollectTranscripts(args);
  if (!files.ok()) {
    err << "smtpspec lint: " << files.error().reason << "\n";
    return 2;
  }
  bool failed = false;
  for (const std::string& path : *files) {
    parser::ParseResult r = LoadTranscript(path);
    for (const parser::Diagnostic& d : r.diagnostics) {
      out << parser::FormatDiagnostic(d) << "\n";
    }
    failed = failed || !r.scenario;
  }
  if (!failed) out << "lint: " << Files(files->size()) << ", no problems\n";
  return failed ? 1 : 0;
}

}  // namespace smtpspec::cli
