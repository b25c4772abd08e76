// The transcript format's byte escapes inside a quoted string (C! / S!
// lines and BDAT data; docs/transcript-format.md): \r \n \t \0 \\ \" \$,
// and \xHH (lower-case hex) for any other byte that is not printable
// ASCII. One routine for everything that writes such strings: the
// parser's canonical rendering (parser/raw_string.cc) and the agents'
// session logs (agents/transcript_log.cc). What reads them back is the
// parser's alone.
//
// The two writers differ on purpose in two ways, so these are options:
//   - Bytes 0x80-0xFF: a scenario file is UTF-8 text, and `fmt` must keep
//     the author's "caf\xc3\xa9" readable as written; a session log shows
//     bytes off the wire, which need not be UTF-8, so it writes \xHH.
//   - '$': the parser renders \$ only where '{' follows (where a bare '$'
//     would start ${var}), so that `fmt` changes no file that needs no
//     change; a log escapes every '$' so that a pasted line never depends
//     on what follows it.
#ifndef SMTPSPEC_UTIL_BYTE_ESCAPE_H_
#define SMTPSPEC_UTIL_BYTE_ESCAPE_H_

#include <string>
#include <string_view>

namespace smtpspec::util {

struct EscapeStyle {
  bool escape_high = false;          // bytes 0x80-0xFF as \xHH
  bool escape_every_dollar = false;  // every '$' as \$, not only before '{'
};

// Appends "\xHH" (lower-case hex).
void AppendHexEscape(unsigned char byte, std::string& out);

// Appends `byte` escaped; `brace_follows`: the next byte is '{'.
void AppendEscapedByte(char byte, bool brace_follows, EscapeStyle style,
                       std::string& out);

// Appends `bytes` escaped, byte by byte (no quotes, no repeats).
void AppendEscaped(std::string_view bytes, EscapeStyle style, std::string& out);

}  // namespace smtpspec::util

#endif  // SMTPSPEC_UTIL_BYTE_ESCAPE_H_
