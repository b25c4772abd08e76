// Quoted byte strings, for C! / S! lines and BDAT data: "MAIL FROM:<>\n".
// Escapes: \r \n \t \0 \\ \" \$, \xHH for any byte, \{N} to repeat the next
// byte N times (a 1000-byte line is "\{998}x\r\n"), and ${var}.
#ifndef SMTPSPEC_PARSER_RAW_STRING_H_
#define SMTPSPEC_PARSER_RAW_STRING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.h"
#include "parser/glob_text.h"
#include "parser/pattern.h"

namespace smtpspec::parser {

// Bounds that keep a short file from standing for gigabytes.
inline constexpr std::uint32_t kMaxRepeat = 16u << 20;      // per \{N}
inline constexpr std::uint64_t kMaxRawBytes = 64ull << 20;  // per string

// Parses the string that starts at text[0] (which must be '"'). On success
// `*rest` is what follows the closing quote. ${name} uses are appended to
// `uses`. Errors go to `sink`, and the result is nullopt.
std::optional<RawBytes> ParseRawString(std::string_view text, TextAt at,
                                       DiagnosticSink& sink,
                                       std::vector<VarUse>& uses,
                                       std::string_view* rest);

// The quoted form, with canonical escapes.
std::string RenderRawString(const RawBytes& bytes);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_RAW_STRING_H_
