// Text for the steps `smtpspec record` writes (cli/record.h): which part
// of a server's reply text changes from one session to the next, and
// globs in which the observed addresses and EHLO domain are variables.
// Pure functions of their arguments.
#ifndef SMTPSPEC_CLI_RECORD_TEXT_H_
#define SMTPSPEC_CLI_RECORD_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "parser/pattern.h"

namespace smtpspec::cli::record {

// A run of text: observed text in which MakeGlob puts variables, text it
// keeps as it is, or what any text matches (`*`).
struct Piece {
  enum class Kind { kText, kVerbatim, kAny };
  Kind kind = Kind::kText;
  std::string text;

  bool operator==(const Piece&) const = default;
};

// `text` (a reply line after its code and enhanced code) cut into what
// stays and what varies between sessions of the same server, which becomes
// `*`: dates and times (RFC 5322 3.3 date-time, ISO 8601), IP addresses
// and address literals, and identifiers - a word of six or more letters
// and digits with at least two digits (queue ids: Postfix's "queued as
// 4WJ2Xq0Jz4z9rwL", Exim's "id=1sBcDe-0001Ab-2F", OpenSMTPD's
// "a1b2c3d4"), or of eight or more digits (timestamps, counters). Words
// such as 8BITMIME, SMTPUTF8 or mx1 stay.
std::vector<Piece> MarkVolatile(std::string_view text);

// An observed value and the variable that stands for it (`${mailbox}`).
struct Substitution {
  std::string value;
  std::string variable;
};

// A glob for `pieces`: `*` for each kAny piece, and in each kText piece every
// occurrence of a substitution's value (the longest first where two
// start at the same place) as its variable. Adjacent literals are merged,
// as the parser merges them.
parser::Glob MakeGlob(const std::vector<Piece>& pieces,
                      const std::vector<Substitution>& substitutions);

// The same for one literal text.
parser::Glob MakeGlob(std::string_view text,
                      const std::vector<Substitution>& substitutions);

// True when every byte of `text` is printable ASCII (0x20 to 0x7e): such a
// line can be a C: or S: line; anything else is written raw.
bool IsPrintable(std::string_view text);

}  // namespace smtpspec::cli::record

#endif  // SMTPSPEC_CLI_RECORD_TEXT_H_
