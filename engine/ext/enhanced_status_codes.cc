#include "engine/ext/enhanced_status_codes.h"

namespace smtpspec::ext {

// RFC 2034 2: "The EHLO keyword value associated with this extension is
// "ENHANCEDSTATUSCODES"", with no parameters.
std::optional<std::string> EnhancedStatusCodes::EhloLine(
    const Context& context) const {
  return "ENHANCEDSTATUSCODES";
}

Switches EnhancedStatusCodes::switches() const {
  return Switches{.enhanced_codes = true};
}

}  // namespace smtpspec::ext
