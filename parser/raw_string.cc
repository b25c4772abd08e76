#include "parser/raw_string.h"

#include <string>
#include <utility>

#include "util/byte_escape.h"

namespace smtpspec::parser {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AddBytes(RawBytes& raw, std::string_view bytes) {
  if (bytes.empty()) return;
  if (!raw.pieces.empty() && raw.pieces.back().kind == RawPiece::Kind::kBytes) {
    raw.pieces.back().text.append(bytes);
  } else {
    raw.pieces.push_back(RawPiece{RawPiece::Kind::kBytes, std::string(bytes)});
  }
}

const char kEscapeHelp[] =
    "; in strings write \\r \\n \\t \\0 \\\\ \\\" \\$, \\xHH for any byte, or "
    "\\{N} to repeat the next byte N times";

// Reads one escape or plain byte at text[i] (not a quote), the unit of a
// repeat or a byte of a string. Returns false after reporting an error.
bool ReadByte(std::string_view text, std::size_t& i, TextAt at,
              DiagnosticSink& sink, char* out) {
  int col = at.column + static_cast<int>(i);
  if (text[i] != '\\') {
    *out = text[i++];
    return true;
  }
  if (i + 1 >= text.size()) {
    sink.Add(at.line, col, "the string is not closed; end it with '\"'");
    return false;
  }
  char e = text[i + 1];
  i += 2;
  switch (e) {
    case 'r':
      *out = '\r';
      return true;
    case 'n':
      *out = '\n';
      return true;
    case 't':
      *out = '\t';
      return true;
    case '0':
      *out = '\0';
      return true;
    case '\\':
      *out = '\\';
      return true;
    case '"':
      *out = '"';
      return true;
    case '$':
      *out = '$';
      return true;
    case 'x': {
      int hi = i < text.size() ? HexValue(text[i]) : -1;
      int lo = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      if (hi < 0 || lo < 0) {
        std::string seen(text.substr(i - 2, hi < 0 ? 2 : 3));
        sink.Add(at.line, col,
                 "'" + seen + "' needs two hex digits, like \\x04");
        return false;
      }
      *out = static_cast<char>(hi * 16 + lo);
      i += 2;
      return true;
    }
    default:
      sink.Add(at.line, col,
               std::string("unknown escape '\\") + e + "'" + kEscapeHelp);
      return false;
  }
}

}  // namespace

std::optional<RawBytes> ParseRawString(std::string_view text, TextAt at,
                                       DiagnosticSink& sink,
                                       std::vector<VarUse>& uses,
                                       std::string_view* rest) {
  RawBytes raw;
  std::uint64_t total = 0;
  std::size_t i = 1;
  std::string bytes;
  auto flush = [&] {
    AddBytes(raw, bytes);
    bytes.clear();
  };
  while (true) {
    if (i >= text.size()) {
      sink.Add(at.line, at.column,
               "the string is not closed; end it with '\"'");
      return std::nullopt;
    }
    char c = text[i];
    int col = at.column + static_cast<int>(i);
    if (c == '"') {
      ++i;
      break;
    }
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      std::size_t close = text.find('}', i + 2);
      std::string_view name = close == std::string_view::npos
                                  ? std::string_view()
                                  : text.substr(i + 2, close - i - 2);
      if (close == std::string_view::npos || !IsVarName(name)) {
        sink.Add(at.line, col,
                 "'${' must be followed by a variable name and '}', like "
                 "${name}; write \\$ for a dollar sign");
        return std::nullopt;
      }
      flush();
      uses.push_back(VarUse{std::string(name), at.line, col});
      raw.pieces.push_back(
          RawPiece{RawPiece::Kind::kVariable, std::string(name)});
      i = close + 1;
      continue;
    }
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == '{') {
      std::size_t close = text.find('}', i + 2);
      std::string_view digits = close == std::string_view::npos
                                    ? std::string_view()
                                    : text.substr(i + 2, close - i - 2);
      std::uint64_t n = 0;
      bool numeric = !digits.empty() && digits.size() <= 9;
      for (char d : digits) {
        if (d < '0' || d > '9') numeric = false;
        n = n * 10 + static_cast<std::uint64_t>(d - '0');
      }
      if (!numeric || n < 1 || n > kMaxRepeat) {
        sink.Add(at.line, col,
                 "a repeat is written \\{N} with N from 1 to " +
                     std::to_string(kMaxRepeat) + ", then the byte to repeat");
        return std::nullopt;
      }
      i = close + 1;
      if (i >= text.size() || text[i] == '"') {
        sink.Add(at.line, col,
                 "'\\{" + std::string(digits) +
                     "}' must be followed by the byte to repeat");
        return std::nullopt;
      }
      char unit;
      if (!ReadByte(text, i, at, sink, &unit)) return std::nullopt;
      total += n;
      if (n == 1) {
        bytes.push_back(unit);
      } else {
        flush();
        raw.pieces.push_back(RawPiece{RawPiece::Kind::kRepeat,
                                      std::string(1, unit),
                                      static_cast<std::uint32_t>(n)});
      }
    } else {
      char b;
      if (!ReadByte(text, i, at, sink, &b)) return std::nullopt;
      bytes.push_back(b);
      ++total;
    }
    if (total > kMaxRawBytes) {
      sink.Add(at.line, at.column,
               "the string stands for more than " +
                   std::to_string(kMaxRawBytes) + " bytes");
      return std::nullopt;
    }
  }
  flush();
  *rest = text.substr(i);
  return raw;
}

namespace {

// A scenario is UTF-8 text: 8-bit bytes stay as written, and '$' is
// escaped only where it would start ${var} (util/byte_escape.h).
constexpr util::EscapeStyle kScenarioStyle{};

}  // namespace

std::string RenderRawString(const RawBytes& bytes) {
  std::string out = "\"";
  for (const RawPiece& p : bytes.pieces) {
    switch (p.kind) {
      case RawPiece::Kind::kBytes:
        util::AppendEscaped(p.text, kScenarioStyle, out);
        break;
      case RawPiece::Kind::kRepeat:
        out += "\\{" + std::to_string(p.count) + "}";
        util::AppendEscapedByte(p.text.empty() ? ' ' : p.text[0],
                                /*brace_follows=*/false, kScenarioStyle, out);
        break;
      case RawPiece::Kind::kVariable:
        out += "${" + p.text + "}";
        break;
    }
  }
  out += "\"";
  return out;
}

}  // namespace smtpspec::parser
