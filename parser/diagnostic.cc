#include "parser/diagnostic.h"

#include <utility>

namespace smtpspec::parser {

std::string FormatDiagnostic(const Diagnostic& d) {
  return d.file + ":" + std::to_string(d.line) + ":" +
         std::to_string(d.column) + ": " + d.message;
}

void DiagnosticSink::Add(int line, int column, std::string message) {
  if (full_) return;
  if (diagnostics_.size() + 1 == kMaxDiagnostics) {
    full_ = true;
    message += " (too many errors; stopping here)";
  }
  diagnostics_.push_back(Diagnostic{file_, line, column, std::move(message)});
}

}  // namespace smtpspec::parser
