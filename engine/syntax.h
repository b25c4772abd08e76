// The character classes of the SMTP grammar (RFC 5321 4.1.2, RFC 5234
// appendix B.1, RFC 5322 3.2.3) and the UTF-8 that SMTPUTF8 lets into it
// (RFC 6531 3.3), shared by the path, domain, parameter and EHLO parsers.
//
// Every predicate takes a byte as `char` and is total: bytes >= 0x80 are
// never ASCII classes, whatever the signedness of char.
#ifndef SMTPSPEC_ENGINE_SYNTAX_H_
#define SMTPSPEC_ENGINE_SYNTAX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "engine/result.h"

namespace smtpspec {

// Which grammar applies to addresses and parameter values.
enum class Charset {
  // RFC 5321 alone: 7-bit ASCII.
  kAscii,
  // With the SMTPUTF8 extension (RFC 6531 3.3): atext, qtextSMTP,
  // sub-domain (as U-labels) and esmtp-value also admit UTF8-non-ascii.
  kUtf8,
};

namespace syntax {

inline bool IsAlpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
// RFC 5321 4.1.2: Let-dig = ALPHA / DIGIT.
inline bool IsLetDig(char c) { return IsAlpha(c) || IsDigit(c); }
// Printable US-ASCII without space, %d33-126.
inline bool IsGraphic(char c) { return c >= 33 && c <= 126; }
inline bool IsNonAscii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// RFC 5322 3.2.3 atext, which RFC 5321 4.1.2 uses for Atom.
bool IsAtext(char c);
// RFC 5321 4.1.2: qtextSMTP = %d32-33 / %d35-91 / %d93-126, i.e. printable
// ASCII and space but not '"' or '\'.
inline bool IsQtextSmtp(char c) {
  return c >= 32 && c <= 126 && c != '"' && c != '\\';
}
// RFC 5321 4.1.2: esmtp-value = 1*(%d33-60 / %d62-126), no '=' or space.
inline bool IsEsmtpValueChar(char c) { return IsGraphic(c) && c != '='; }

// RFC 5321 4.1.2 esmtp-keyword and 4.1.1.1 ehlo-keyword share one grammar,
// (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"). Returns the offset of the first
// byte that breaks it (0 for an empty keyword), or std::string_view::npos
// when `keyword` is valid.
std::size_t FindKeywordError(std::string_view keyword);

// RFC 5321 2.4: keywords, verbs and "Postmaster" compare case-insensitively, in
// ASCII only.
char ToLower(char c);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);

// 1*DIGIT as a number: nullopt when `text` is empty, holds anything but
// ASCII digits, or does not fit in 64 bits (a count nobody can send).
std::optional<std::uint64_t> ParseDecimal(std::string_view text);

// RFC 3629 section 4: the length (2..4) of the well-formed UTF-8 sequence
// for one non-ASCII character starting at text[pos], or 0 when the bytes
// there are not one (overlong forms, surrogates, beyond U+10FFFF,
// truncated, or an ASCII byte).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t pos);

// With kUtf8, the length of the UTF8-non-ascii character at text[pos]
// (RFC 6531 3.3); otherwise, or when the bytes there are not well-formed
// UTF-8, an Error at `pos` whose reason says so and names `where` ("a
// domain name", "a parameter value").
Result<std::size_t> NonAsciiLength(std::string_view text, std::size_t pos,
                                   Charset charset, std::string_view where);

// The parsers' shorthand for an Error at `offset`, and for moving an Error
// from a part's coordinates to the whole's.
inline Error Fail(std::size_t offset, std::string reason) {
  return Error{offset, std::move(reason)};
}
inline Error Shift(Error error, std::size_t by) {
  error.offset += by;
  return error;
}

// "'x'" for a printable byte, "byte 0x0D" for the others: how error
// reasons name the byte they refuse.
std::string DescribeByte(char c);

}  // namespace syntax
}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_SYNTAX_H_
