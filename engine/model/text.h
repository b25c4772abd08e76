// Small readings of reply text and command arguments that the reference
// models need. They are lenient on purpose: the wire codec and the path
// parser are strict; here we only need to recognise a few shapes.
#ifndef SMTPSPEC_ENGINE_MODEL_TEXT_H_
#define SMTPSPEC_ENGINE_MODEL_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/reply.h"

namespace smtpspec::model {

// The reply as it arrived, for a message: "'500 5.5.1 Command not
// implemented'" (cut at 120 characters). Says what happened rather than
// what the code's name is.
std::string Quoted(const Reply& reply);

// The first space-separated word of the reply's first line ("" if none).
std::string_view FirstWord(const Reply& reply);

// A domain (RFC 5321 4.1.2: letters, digits, hyphens, dots; no empty
// label) or an address literal in brackets.
bool IsDomainOrLiteral(std::string_view word);

// "d.d.d" with 1-3 digit subject and detail (RFC 3463 section 2).
bool IsEnhancedCodeShape(std::string_view word);

// Whether a RCPT argument ("TO:<...>") names postmaster: "<Postmaster>" in
// any case, or postmaster at one of `domains` (RFC 5321 4.5.1).
bool IsPostmasterRecipient(std::string_view rcpt_argument,
                           const std::vector<std::string>& domains);

// Whether the reply text says the refusal is about recipients (as "452 Too
// many recipients" does, RFC 5321 4.5.3.1.9).
bool MentionsRecipients(const Reply& reply);

}  // namespace smtpspec::model

#endif  // SMTPSPEC_ENGINE_MODEL_TEXT_H_
