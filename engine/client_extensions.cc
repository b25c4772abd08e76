#include "engine/client_extensions.h"

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/syntax.h"

namespace smtpspec::client {
namespace {

// RFC 1870 4: size-param ::= [1*DIGIT]. Anything else (or an overflow)
// counts as "no fixed maximum": refusing to send on a garbled advertisement
// would be worse than letting the server judge.
std::uint64_t ParseSizeLimit(std::string_view digits) {
  std::uint64_t value = 0;
  if (digits.empty() || digits.size() > 19) return 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

Extensions ExtensionsFromEhlo(const Reply& reply) {
  Extensions extensions;
  // The first line is the greeting ("domain [text]"), not a keyword.
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    std::string_view line = reply.lines[i];
    std::size_t space = line.find(' ');
    std::string_view keyword = line.substr(0, space);
    std::string_view params =
        space == std::string_view::npos ? "" : line.substr(space + 1);
    if (syntax::EqualsIgnoreCase(keyword, "STARTTLS")) {
      extensions.starttls = true;
    } else if (syntax::EqualsIgnoreCase(keyword, "8BITMIME")) {
      extensions.eight_bit_mime = true;
    } else if (syntax::EqualsIgnoreCase(keyword, "SIZE")) {
      extensions.size = true;
      extensions.size_limit = ParseSizeLimit(params);
    }
  }
  return extensions;
}

}  // namespace smtpspec::client
