// Problems found in a transcript, each pointing at a file, line and column.
#ifndef SMTPSPEC_PARSER_DIAGNOSTIC_H_
#define SMTPSPEC_PARSER_DIAGNOSTIC_H_

#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::parser {

// One problem. `line` and `column` are 1-based; the column counts bytes.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;  // one sentence a person understands

  bool operator==(const Diagnostic&) const = default;
};

// "file:line:col: message", the form editors and CI logs understand.
// Control bytes in the file name or the message (which quotes the file)
// are escaped, so a hostile transcript cannot drive the terminal.
std::string FormatDiagnostic(const Diagnostic& d);

// `text` with C0 and C1 controls, DEL and bytes that are not well-formed
// UTF-8 shown as \xHH (\t, \r, \n by name); other UTF-8 stays as it is,
// as the run reports show text (reports/wire.py clean()).
std::string EscapeForTerminal(std::string_view text);

// Collects the diagnostics of one file, in the order found. Stops keeping
// them after a limit, so that a file of garbage cannot fill memory with
// complaints; the last one kept then says so.
class DiagnosticSink {
 public:
  static constexpr std::size_t kMaxDiagnostics = 100;

  explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}

  void Add(int line, int column, std::string message);
  const std::string& file() const { return file_; }
  bool empty() const { return diagnostics_.empty(); }
  std::size_t size() const { return diagnostics_.size(); }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  std::vector<Diagnostic> Take() { return std::move(diagnostics_); }

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  bool full_ = false;
};

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_DIAGNOSTIC_H_
