#include "cli/record_text.h"

#include <regex>

#include "engine/syntax.h"

namespace smtpspec::cli::record {
namespace {

using parser::Glob;
using parser::Segment;

// Spans of text that differ from session to session, whatever the words
// around them. Reply lines are at most a few hundred octets, and these run
// in libstdc++'s ECMAScript engine on nothing longer.
const std::vector<std::regex>& VolatileSpans() {
  static const std::vector<std::regex>* spans = [] {
    const std::string day = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
    const std::string month =
        "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    const std::string time = "\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?";
    const auto flags =
        std::regex::ECMAScript | std::regex::icase | std::regex::optimize;
    return new std::vector<std::regex>{
        // RFC 5322 3.3: [day-of-week ","] day month year time [zone], and
        // the obsolete zone names in parentheses some servers add.
        std::regex("(?:" + day + ",?\\s+)?\\d{1,2}\\s+" + month +
                       "\\s+\\d{2,4}\\s+" + time +
                       "(?:\\s*[+-]\\d{4})?(?:\\s*\\([A-Za-z0-9 +-]*\\))?",
                   flags),
        // asctime(): "Tue May 14 10:00:00 2024".
        std::regex(
            day + "\\s+" + month + "\\s+\\d{1,2}\\s+" + time + "\\s+\\d{4}",
            flags),
        // ISO 8601 dates and date-times.
        std::regex("\\d{4}-\\d{2}-\\d{2}(?:[T ]" + time +
                       "(?:Z|[+-]\\d{2}:?\\d{2})?)?",
                   flags),
        std::regex("\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?", flags),
        // Addresses: IPv4 with an optional port, and the inside of an
        // address literal (RFC 5321 4.1.3), IPv6 included.
        std::regex("(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?", flags),
        std::regex("(?:IPv6:)?[0-9A-F]*:[0-9A-F:.]*(?=\\])", flags),
    };
  }();
  return *spans;
}

bool IsWordChar(char c) { return syntax::IsLetDig(c); }

// Identifiers: runs of letters and digits, possibly joined by '-' or '_'
// (Exim's 1sBcDe-0001Ab-2F is one).
void MarkIdentifiers(std::string_view text, std::vector<bool>& mask) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsWordChar(text[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    int letters = 0, digits = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (IsWordChar(c)) {
        (syntax::IsDigit(c) ? digits : letters) += 1;
        ++i;
      } else if ((c == '-' || c == '_') && i + 1 < text.size() &&
                 IsWordChar(text[i + 1])) {
        ++i;
      } else {
        break;
      }
    }
    const int alnum = letters + digits;
    if ((alnum >= 6 && digits >= 2 && letters >= 1) ||
        (letters == 0 && digits >= 8)) {
      for (std::size_t k = start; k < i; ++k) mask[k] = true;
    }
  }
}

void AddLiteral(Glob& glob, std::string_view text) {
  if (text.empty()) return;
  if (!glob.segments.empty() &&
      glob.segments.back().kind == Segment::Kind::kLiteral) {
    glob.segments.back().text.append(text);
    return;
  }
  glob.segments.push_back({Segment::Kind::kLiteral, std::string(text)});
}

void AddAny(Glob& glob) {
  if (!glob.segments.empty() &&
      glob.segments.back().kind == Segment::Kind::kAnyRun) {
    return;
  }
  glob.segments.push_back({Segment::Kind::kAnyRun, ""});
}

void AddText(Glob& glob, std::string_view text,
             const std::vector<Substitution>& substitutions) {
  std::size_t literal = 0;
  for (std::size_t i = 0; i < text.size();) {
    const Substitution* best = nullptr;
    for (const Substitution& s : substitutions) {
      if (!s.value.empty() && text.substr(i).starts_with(s.value) &&
          (!best || s.value.size() > best->value.size())) {
        best = &s;
      }
    }
    if (!best) {
      ++i;
      continue;
    }
    AddLiteral(glob, text.substr(literal, i - literal));
    glob.segments.push_back({Segment::Kind::kVariable, best->variable});
    i += best->value.size();
    literal = i;
  }
  AddLiteral(glob, text.substr(literal));
}

}  // namespace

std::vector<Piece> MarkVolatile(std::string_view text) {
  std::vector<bool> mask(text.size(), false);
  const std::string subject(text);
  for (const std::regex& span : VolatileSpans()) {
    for (auto it = std::sregex_iterator(subject.begin(), subject.end(), span);
         it != std::sregex_iterator(); ++it) {
      const std::size_t at = static_cast<std::size_t>(it->position());
      for (std::size_t k = at; k < at + it->length(); ++k) mask[k] = true;
    }
  }
  MarkIdentifiers(text, mask);
  std::vector<Piece> pieces;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const Piece::Kind kind = mask[i] ? Piece::Kind::kAny : Piece::Kind::kText;
    if (pieces.empty() || pieces.back().kind != kind) {
      pieces.push_back({kind, ""});
    }
    pieces.back().text.push_back(text[i]);
  }
  return pieces;
}

Glob MakeGlob(const std::vector<Piece>& pieces,
              const std::vector<Substitution>& substitutions) {
  Glob glob;
  for (const Piece& piece : pieces) {
    switch (piece.kind) {
      case Piece::Kind::kAny:
        AddAny(glob);
        break;
      case Piece::Kind::kVerbatim:
        AddLiteral(glob, piece.text);
        break;
      case Piece::Kind::kText:
        AddText(glob, piece.text, substitutions);
        break;
    }
  }
  return glob;
}

Glob MakeGlob(std::string_view text,
              const std::vector<Substitution>& substitutions) {
  Glob glob;
  AddText(glob, text, substitutions);
  return glob;
}

bool IsPrintable(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace smtpspec::cli::record
