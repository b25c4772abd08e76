// Verb names to Verb values and back (RFC 5321 2.4: verbs are
// case-insensitive).
#ifndef SMTPSPEC_ENGINE_WIRE_VERB_H_
#define SMTPSPEC_ENGINE_WIRE_VERB_H_

#include <string_view>

#include "engine/command.h"

namespace smtpspec::wire {

// The Verb spelt `name` in any case ("ehlo", "Ehlo"), or Verb::kUnknown.
Verb VerbFromName(std::string_view name);

// The verb's canonical upper-case spelling ("EHLO"); "" for Verb::kUnknown.
std::string_view VerbName(Verb verb);

// Whether `verb` is in the minimum implementation every SMTP receiver MUST
// support (RFC 5321 4.5.1): EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY.
bool InMinimumImplementation(Verb verb);

}  // namespace smtpspec::wire

#endif  // SMTPSPEC_ENGINE_WIRE_VERB_H_
