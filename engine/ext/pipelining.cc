#include "engine/ext/pipelining.h"

namespace smtpspec::ext {

// RFC 2920 2: the EHLO keyword is PIPELINING, with no parameters.
std::optional<std::string> Pipelining::EhloLine(const Context& context) const {
  return "PIPELINING";
}

}  // namespace smtpspec::ext
