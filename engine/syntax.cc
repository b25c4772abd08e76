#include "engine/syntax.h"

#include <cstdio>
#include <string_view>

namespace smtpspec::syntax {

bool IsAtext(char c) {
  if (IsLetDig(c)) return true;
  // RFC 5322 3.2.3: the specials that are allowed in an atom.
  constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return c != '\0' && kSpecials.find(c) != std::string_view::npos;
}

std::size_t FindKeywordError(std::string_view keyword) {
  if (keyword.empty() || !IsLetDig(keyword[0])) return 0;
  for (std::size_t i = 1; i < keyword.size(); ++i) {
    if (!IsLetDig(keyword[i]) && keyword[i] != '-') return i;
  }
  return std::string_view::npos;
}

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

std::optional<std::uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::size_t Utf8SequenceLength(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  auto byte = [&](std::size_t i) {
    return static_cast<unsigned char>(text[pos + i]);
  };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  // RFC 3629 section 4 (UTF8-2, UTF8-3, UTF8-4): the first continuation
  // byte's range depends on the lead byte, which excludes overlong forms,
  // surrogates (ED A0..BF) and code points above U+10FFFF.
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() - pos < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

Result<std::size_t> NonAsciiLength(std::string_view text, std::size_t pos,
                                   Charset charset, std::string_view where) {
  if (charset == Charset::kAscii) {
    return Fail(pos, DescribeByte(text[pos]) + " in " + std::string(where) +
                         ": non-ASCII needs SMTPUTF8 (RFC 6531 3.3); RFC "
                         "5321 4.1.2 allows only ASCII");
  }
  const std::size_t n = Utf8SequenceLength(text, pos);
  if (n == 0) {
    return Fail(pos, "invalid UTF-8 in " + std::string(where) +
                         " (RFC 6531 3.3, RFC 3629)");
  }
  return n;
}

std::string DescribeByte(char c) {
  if (c == ' ') return "space";
  if (IsGraphic(c)) return std::string("'") + c + "'";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "byte 0x%02X",
                static_cast<unsigned>(static_cast<unsigned char>(c)));
  return buffer;
}

}  // namespace smtpspec::syntax
