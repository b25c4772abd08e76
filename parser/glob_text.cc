#include "parser/glob_text.h"

#include <string>
#include <utility>

namespace smtpspec::parser {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Characters that a backslash makes literal in C: and S: text.
bool IsGlobEscapable(char c) {
  switch (c) {
    case '\\':
    case '*':
    case '?':
    case '#':
    case '$':
    case '/':
    case '.':
    case ' ':
      return true;
    default:
      return false;
  }
}

// An upper bound on the segments ParseGlob makes of `text`: each run of
// wildcards makes two and each ${ one, plus at most one literal before each
// and one at the end.
// Reserving it once keeps a glob to a single allocation for its segments.
std::size_t MaxSegments(std::string_view text) {
  std::size_t segments = 1;  // the literal at the end
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '*' || c == '?') {
      // A literal before, and a run of wildcards as two segments
      // (pattern.h), however long it is.
      while (i + 1 < text.size() && (text[i + 1] == '*' || text[i + 1] == '?'))
        ++i;
      segments += 3;
    } else if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      segments += 2;
    }
  }
  return segments;
}

}  // namespace

bool IsVarName(std::string_view name) {
  if (name.empty() || IsDigit(name[0])) return false;
  for (char c : name) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '_') return false;
  }
  return true;
}

bool LooksLikeEnhancedStatus(std::string_view token) {
  int groups = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    while (i < token.size() && (IsDigit(token[i]) || token[i] == 'x')) ++i;
    std::size_t len = i - start;
    if (len == 0 || len > 3) return false;
    ++groups;
    if (i == token.size()) return groups == 3;
    if (token[i] != '.' || groups == 3) return false;
    ++i;
  }
}

std::size_t FindComment(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      ++i;  // the escaped character is never a comment
    } else if (c == '#' && (i == 0 || IsSpace(text[i - 1]))) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string_view TrimTrailing(std::string_view text) {
  while (!text.empty() && IsSpace(text.back())) {
    // Count the backslashes before the space: an odd number escapes it.
    std::size_t n = 0;
    while (n + 1 < text.size() && text[text.size() - 2 - n] == '\\') ++n;
    if (n % 2 == 1) break;
    text.remove_suffix(1);
  }
  return text;
}

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<Glob> ParseGlob(std::string_view text, TextAt at,
                              DiagnosticSink& sink, std::vector<VarUse>& uses) {
  Glob glob;
  glob.segments.reserve(MaxSegments(text));
  bool ok = true;
  // Literal bytes go straight into the last segment while it is a literal,
  // so adjacent literals (around escapes) merge as they are read.
  auto literal = [&](std::string_view bytes) {
    if (bytes.empty()) return;
    if (glob.segments.empty() ||
        glob.segments.back().kind != Segment::Kind::kLiteral) {
      glob.segments.push_back(
          Segment{Segment::Kind::kLiteral, std::string(bytes)});
    } else {
      glob.segments.back().text.append(bytes);
    }
  };
  std::size_t run = 0;  // start of the literal run not yet added
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c != '\\' && c != '*' && c != '?' && c != '$') {
      ++i;
      continue;
    }
    int col = at.column + static_cast<int>(i);
    if (c == '\\') {
      literal(text.substr(run, i - run));
      if (i + 1 == text.size()) {
        sink.Add(at.line, col,
                 "a backslash at the end of the line escapes nothing; write "
                 "\\\\ for a backslash");
        ok = false;
        run = i = text.size();
        break;
      }
      char next = text[i + 1];
      if (!IsGlobEscapable(next)) {
        sink.Add(at.line, col,
                 std::string("unknown escape '\\") + next +
                     "'; in C: and S: lines a backslash makes one of "
                     "\\ * ? # $ / . or a space literal");
        ok = false;
      } else {
        literal(text.substr(i + 1, 1));
      }
      i += 2;
      run = i;
    } else if (c == '*' || c == '?') {
      literal(text.substr(run, i - run));
      // The whole run at once, in its canonical form: `*?` and `?*` both
      // mean "at least one byte".
      std::size_t bytes = 0;
      bool any_run = false;
      for (; i < text.size() && (text[i] == '*' || text[i] == '?'); ++i) {
        if (text[i] == '?') {
          ++bytes;
        } else {
          any_run = true;
        }
      }
      if (bytes > 0) {
        glob.segments.push_back(Segment{Segment::Kind::kAnyByte, "", bytes});
      }
      if (any_run) glob.segments.push_back(Segment{Segment::Kind::kAnyRun, ""});
      run = i;
    } else if (i + 1 < text.size() && text[i + 1] == '{') {
      literal(text.substr(run, i - run));
      std::size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        sink.Add(at.line, col, "'${' is not closed; write ${name}");
        ok = false;
        run = i = text.size();
        break;
      }
      std::string_view name = text.substr(i + 2, close - i - 2);
      if (!IsVarName(name)) {
        sink.Add(at.line, col,
                 "'${" + std::string(name) +
                     "}' is not a variable name; use letters, digits and "
                     "'_', not starting with a digit");
        ok = false;
      } else {
        uses.push_back(VarUse{std::string(name), at.line, col});
        glob.segments.push_back(
            Segment{Segment::Kind::kVariable, std::string(name)});
      }
      run = i = close + 1;
    } else {
      ++i;  // a '$' not followed by '{' is literal
    }
  }
  if (!ok) return std::nullopt;
  literal(text.substr(run));
  return glob;
}

std::string RenderGlob(const Glob& glob, bool escape_leading_status) {
  std::string out;
  const auto& segs = glob.segments;
  for (std::size_t s = 0; s < segs.size(); ++s) {
    const Segment& seg = segs[s];
    switch (seg.kind) {
      case Segment::Kind::kAnyRun:
        out.push_back('*');
        continue;
      case Segment::Kind::kAnyByte:
        out.append(seg.count, '?');
        continue;
      case Segment::Kind::kVariable:
        out += "${" + seg.text + "}";
        continue;
      case Segment::Kind::kLiteral:
        break;
    }
    const std::string& t = seg.text;
    bool at_start = s == 0;
    // Where an unescaped dot would make the start read as "..." or as an
    // enhanced code, the first dot is escaped.
    std::size_t dot_to_escape = std::string::npos;
    if (at_start && escape_leading_status) {
      std::string_view first(t);
      first = first.substr(0, first.find(' '));
      bool whole_token = first.size() < t.size() || segs.size() == 1;
      if (t.rfind("...", 0) == 0 ||
          (whole_token && LooksLikeEnhancedStatus(first))) {
        dot_to_escape = t.find('.');
      }
    }
    // Trailing spaces of the whole text would be trimmed: escape them.
    std::size_t trailing_from = t.size();
    if (s + 1 == segs.size()) {
      while (trailing_from > 0 && t[trailing_from - 1] == ' ') --trailing_from;
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
      char c = t[i];
      bool after_space = i == 0 ? at_start : IsSpace(t[i - 1]);
      bool escape = false;
      switch (c) {
        case '\\':
        case '*':
        case '?':
          escape = true;
          break;
        case '$':
          escape = i + 1 < t.size() && t[i + 1] == '{';
          break;
        case '#':
          escape = after_space;
          break;
        case '/':
          escape = at_start && i == 0;
          break;
        case ' ':
          escape = i >= trailing_from;
          break;
        case '.':
          escape = i == dot_to_escape;
          break;
        default:
          break;
      }
      if (escape) out.push_back('\\');
      out.push_back(c);
    }
  }
  return out;
}

bool IsLiteralGlob(const Glob& glob) {
  for (const Segment& seg : glob.segments) {
    if (seg.kind == Segment::Kind::kAnyRun ||
        seg.kind == Segment::Kind::kAnyByte) {
      return false;
    }
  }
  return true;
}

}  // namespace smtpspec::parser
