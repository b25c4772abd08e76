#include "parser/parser.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "parser/body_parser.h"
#include "parser/front_matter.h"

namespace smtpspec::parser {
namespace {

std::string_view TrimLine(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// Splits text into lines without copying: LF or CRLF ends, and a last line
// without an end.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  bool Next(SourceLine* line) {
    if (pos_ >= text_.size()) return false;
    const char* start = text_.data() + pos_;
    const void* nl = std::memchr(start, '\n', text_.size() - pos_);
    std::size_t len = nl == nullptr ? text_.size() - pos_
                                    : static_cast<const char*>(nl) - start;
    std::string_view l(start, len);
    line->offset = pos_;
    pos_ += len + 1;
    // Every CR before the LF belongs to the line end: a CR at the end of a
    // text line is invisible in editors, so it cannot be meant.
    while (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    line->text = l;
    line->number = ++number_;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int number_ = 0;
};

// An upper bound on the steps in `body`, found with memchr: every step
// starts on a line whose first character after any blanks is '!' (a
// directive) or 'C'/'S' followed by ':' or '!'. Reserving that many saves
// the vector from regrowing and moving its steps, and unlike one a line it
// does not reserve room for comments, blank lines and message bodies.
std::size_t CountStepLines(std::string_view body) {
  std::size_t steps = 0;
  const char* p = body.data();
  const char* end = p + body.size();
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t')) ++p;
    if (p < end && (*p == '!' || ((*p == 'C' || *p == 'S') && end - p > 1 &&
                                  (p[1] == ':' || p[1] == '!')))) {
      ++steps;
    }
    const void* nl = std::memchr(p, '\n', end - p);
    if (nl == nullptr) break;
    p = static_cast<const char*>(nl) + 1;
  }
  return steps;
}

}  // namespace

ParseResult Parse(std::string_view text, std::string_view file) {
  DiagnosticSink sink{std::string(file)};
  Scenario scenario;
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, 3) == kBom) text.remove_prefix(3);

  LineReader reader(text);
  SourceLine line;
  bool has_front_matter = false;
  bool front_matter_ok = true;
  bool have_line = reader.Next(&line);
  if (have_line && TrimLine(line.text) == "---") {
    has_front_matter = true;
    int open_line = line.number;
    std::size_t yaml_start =
        std::min(line.offset + line.text.size() + 1, text.size());
    bool closed = false;
    while ((have_line = reader.Next(&line))) {
      if (TrimLine(line.text) == "---") {
        closed = true;
        break;
      }
    }
    if (!closed) {
      sink.Add(open_line, 1,
               "the front matter opened here is not closed; end it with a "
               "line '---'");
      return ParseResult{std::nullopt, sink.Take()};
    }
    std::size_t errors_before = sink.size();
    scenario.meta = ParseFrontMatter(
        text.substr(yaml_start, line.offset - yaml_start), open_line + 1, sink);
    front_matter_ok = sink.size() == errors_before;
    have_line = reader.Next(&line);
  }

  if (have_line) {
    scenario.steps.reserve(CountStepLines(text.substr(line.offset)));
  }
  BodyParser body(sink, scenario, has_front_matter);
  for (; have_line; have_line = reader.Next(&line)) body.Feed(line);
  body.Finish();
  // Variables are checked against the front matter's; when that could not
  // be read, every use would be reported as unknown, burying the real error.
  if (front_matter_ok) body.CheckVariables();

  std::vector<Diagnostic> diagnostics = sink.Take();
  if (!diagnostics.empty()) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return a.line != b.line ? a.line < b.line
                                               : a.column < b.column;
                     });
    return ParseResult{std::nullopt, std::move(diagnostics)};
  }
  return ParseResult{std::move(scenario), {}};
}

}  // namespace smtpspec::parser
