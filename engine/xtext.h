// xtext, the encoding that DSN parameters use to carry any octets in an
// esmtp-value (RFC 3461 section 4):
//
//   xtext   = *( xchar / hexchar )
//   xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive,
//             except for "+" and "="
//   hexchar = ASCII "+" immediately followed by two upper case
//             hexadecimal digits
//
// Used by ENVID and ORCPT (RFC 3461) and AUTH= (RFC 4954 section 5).
#ifndef SMTPSPEC_ENGINE_XTEXT_H_
#define SMTPSPEC_ENGINE_XTEXT_H_

#include <string>
#include <string_view>

#include "engine/result.h"

namespace smtpspec {

// Encodes every octet that is not an xchar as "+HH" (upper case hex):
// "+", "=", space, control bytes, DEL and bytes >= 0x80. Never fails.
std::string EncodeXtext(std::string_view text);

// Decodes "+HH" escapes. Fails at the offending offset for a '+' not
// followed by two upper case hex digits and for an octet that must be
// encoded ('=', space, controls, non-ASCII). Escapes of octets that need
// none ("+41" for "A") are valid xtext and are decoded.
Result<std::string> DecodeXtext(std::string_view xtext);

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_XTEXT_H_
