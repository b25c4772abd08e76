#include "parser/diagnostic.h"

#include <cstddef>
#include <string_view>
#include <utility>

namespace smtpspec::parser {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629
// 4: no overlongs, no surrogates, nothing above U+10FFFF), or 0.
std::size_t Utf8Length(std::string_view s) {
  const auto b = [&](std::size_t i) {
    return static_cast<unsigned char>(s[i]);
  };
  const unsigned char lead = b(0);
  std::size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (n == 0 || lead > 0xF4 || s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
  }
  const unsigned char second = b(1);
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
      (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return n;
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    const std::size_t n = c >= 0x80 ? Utf8Length(text.substr(i)) : 0;
    // U+0080..U+009F (C2 80..9F) are the C1 controls: CSI among them.
    const bool c1 =
        n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if (n > 0 && !c1) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    const std::size_t width = c1 ? 2 : 1;
    for (std::size_t k = 0; k < width; ++k) {
      const unsigned char e = static_cast<unsigned char>(text[i + k]);
      switch (e) {
        case '\t':
          out += "\\t";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\n':
          out += "\\n";
          break;
        default:
          out += "\\x";
          out += kHex[e >> 4];
          out += kHex[e & 0xF];
      }
    }
    i += width;
  }
  return out;
}

std::string FormatDiagnostic(const Diagnostic& d) {
  return EscapeForTerminal(d.file) + ":" + std::to_string(d.line) + ":" +
         std::to_string(d.column) + ": " + EscapeForTerminal(d.message);
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
