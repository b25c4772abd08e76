// Double-quoted text with C-style escapes, shared by the YAML front matter
// (YAML double-quoted scalars accept the same escapes), raw strings and the
// debug dump.
#ifndef SMTPSPEC_PARSER_QUOTE_H_
#define SMTPSPEC_PARSER_QUOTE_H_

#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::parser {

// `s` in double quotes: \" \\ \r \n escaped, other control bytes as \xHH,
// and bytes from 0x7f up too when `escape_high` (else kept, for UTF-8).
std::string DoubleQuote(std::string_view s, bool escape_high);

// "[a, b]" with each item written by `quote`.
std::string FlowList(const std::vector<std::string>& items,
                     std::string (*quote)(const std::string&));

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_QUOTE_H_
