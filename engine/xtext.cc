#include "engine/xtext.h"

#include <string>
#include <string_view>

#include "engine/syntax.h"

namespace smtpspec {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool IsXchar(char c) { return syntax::IsGraphic(c) && c != '+' && c != '='; }

// RFC 3461 4: "two upper case hexadecimal digits"; -1 for anything else.
int UpperHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string EncodeXtext(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsXchar(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '+';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

Result<std::string> DecodeXtext(std::string_view xtext) {
  std::string out;
  out.reserve(xtext.size());
  for (std::size_t i = 0; i < xtext.size(); ++i) {
    const char c = xtext[i];
    if (IsXchar(c)) {
      out += c;
      continue;
    }
    if (c != '+') {
      return Error{i, syntax::DescribeByte(c) +
                          " must be encoded as \"+HH\" in xtext (RFC 3461 4: "
                          "xchar is '!' to '~' except '+' and '=')"};
    }
    for (std::size_t k = i + 1; k <= i + 2; ++k) {
      if (k >= xtext.size()) {
        return Error{k,
                     "xtext ends inside a \"+HH\" escape (RFC 3461 4 "
                     "hexchar)"};
      }
      if (UpperHexValue(xtext[k]) < 0) {
        const bool lower = syntax::IsHexDigit(xtext[k]);
        return Error{k, syntax::DescribeByte(xtext[k]) +
                            (lower ? " is a lower case hex digit; xtext's "
                                     "\"+HH\" takes upper case (RFC 3461 4 "
                                     "hexchar)"
                                   : " is not a hex digit in a \"+HH\" "
                                     "escape (RFC 3461 4 hexchar)")};
      }
    }
    out += static_cast<char>(UpperHexValue(xtext[i + 1]) * 16 +
                             UpperHexValue(xtext[i + 2]));
    i += 2;
  }
  return out;
}

}  // namespace smtpspec
