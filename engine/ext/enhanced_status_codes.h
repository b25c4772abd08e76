// ENHANCEDSTATUSCODES (RFC 2034): once the EHLO response has advertised
// it, 2xx, 4xx and 5xx replies carry an RFC 3463 code (RFC 2034 3). The
// machine puts the codes on (server::Machine::Send); the module advertises
// the keyword and switches that on.
#ifndef SMTPSPEC_ENGINE_EXT_ENHANCED_STATUS_CODES_H_
#define SMTPSPEC_ENGINE_EXT_ENHANCED_STATUS_CODES_H_

#include "engine/ext/extension.h"

namespace smtpspec::ext {

class EnhancedStatusCodes final : public Extension {
 public:
  static constexpr std::string_view kName = "enhancedstatuscodes";

  std::string_view name() const override { return kName; }
  // RFC 2034 2: "The EHLO keyword value associated with this extension is
  // "ENHANCEDSTATUSCODES"", with no parameters.
  std::string_view keyword() const override { return "ENHANCEDSTATUSCODES"; }
  Switches switches() const override;
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_ENHANCED_STATUS_CODES_H_
