#include "cli/fmt.h"

#include "cli/files.h"
#include "parser/diagnostic.h"
#include "parser/parser.h"
#include "parser/render.h"
#include "util/unified_diff.h"

namespace smtpspec::cli {

int RunFmt(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  static const char kUsage[] = "usage: smtpspec fmt [--check] FILE|DIR...";
  bool check = false;
  std::vector<std::string> paths;
  for (const std::string& a : args) {
    if (a == "--check") {
      check = true;
    } else if (a.size() > 1 && a[0] == '-') {
      err << "smtpspec fmt: unknown option '" << a << "'; " << kUsage << "\n";
      return 2;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    err << "smtpspec fmt: no files given; " << kUsage << "\n";
    return 2;
  }
  Result<std::vector<std::string>> files = CollectTranscripts(paths);
  if (!files.ok()) {
    err << "smtpspec fmt: " << files.error().reason << "\n";
    return 2;
  }
  bool failed = false;
  std::size_t changed = 0;
  for (const std::string& path : *files) {
    Result<std::string> text = ReadFile(path);
    if (!text.ok()) {
      out << path << ":1:1: cannot read the file: " << text.error().reason
          << "\n";
      failed = true;
      continue;
    }
    parser::ParseResult r = parser::Parse(*text, path);
    if (!r.scenario) {
      for (const parser::Diagnostic& d : r.diagnostics) {
        out << parser::FormatDiagnostic(d) << "\n";
      }
      failed = true;
      continue;
    }
    std::string canonical = parser::Render(*r.scenario);
    if (canonical == *text) continue;
    // Never write a file that would mean something else.
    parser::ParseResult again = parser::Parse(canonical, path);
    if (!again.scenario || !(*again.scenario == *r.scenario)) {
      out << path
          << ":1:1: fmt cannot write this file canonically without changing "
             "its meaning; please report it\n";
      failed = true;
      continue;
    }
    if (check) {
      out << util::UnifiedDiff(*text, canonical, path, path + " (formatted)");
      ++changed;
      failed = true;
      continue;
    }
    Status written = WriteFileAtomically(path, canonical);
    if (!written.ok()) {
      out << path << ":1:1: " << written.error().reason << "\n";
      failed = true;
      continue;
    }
    err << "formatted " << path << "\n";
    ++changed;
  }
  // One line to say it went well, or how many files --check would change.
  if (check && changed > 0) {
    out << "fmt: " << changed << " of " << Files(files->size())
        << " would be reformatted\n";
  } else if (!failed) {
    out << "fmt: " << Files(files->size()) << ", "
        << (changed > 0 ? std::to_string(changed) + " reformatted"
                        : std::string("all formatted"))
        << "\n";
  }
  return failed ? 1 : 0;
}

}  // namespace smtpspec::cli
