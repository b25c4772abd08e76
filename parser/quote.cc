#include "parser/quote.h"

#include "util/byte_escape.h"

namespace smtpspec::parser {

std::string DoubleQuote(std::string_view s, bool escape_high) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f || (escape_high && u > 0x7f)) {
      util::AppendHexEscape(u, out);
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string FlowList(const std::vector<std::string>& items,
                     std::string (*quote)(const std::string&)) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += quote(items[i]);
  }
  return out + "]";
}

}  // namespace smtpspec::parser
