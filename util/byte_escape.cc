#include "util/byte_escape.h"

namespace smtpspec::util {

void AppendHexEscape(unsigned char byte, std::string& out) {
  static const char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 15];
}

void AppendEscapedByte(char byte, bool brace_follows, EscapeStyle style,
                       std::string& out) {
  switch (byte) {
    case '\r':
      out += "\\r";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\0':
      out += "\\0";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '"':
      out += "\\\"";
      return;
    case '$':
      if (style.escape_every_dollar || brace_follows) {
        out += "\\$";
      } else {
        out += '$';
      }
      return;
    default:
      break;
  }
  const auto u = static_cast<unsigned char>(byte);
  if (u < 0x20 || u == 0x7f || (style.escape_high && u > 0x7f)) {
    AppendHexEscape(u, out);
  } else {
    out += byte;
  }
}

void AppendEscaped(std::string_view bytes, EscapeStyle style,
                   std::string& out) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const bool brace_follows = i + 1 < bytes.size() && bytes[i + 1] == '{';
    AppendEscapedByte(bytes[i], brace_follows, style, out);
  }
}

}  // namespace smtpspec::util
