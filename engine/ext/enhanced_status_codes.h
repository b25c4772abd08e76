// ENHANCEDSTATUSCODES (RFC 2034): once the EHLO response has advertised
// it, 2xx, 4xx and 5xx replies carry an RFC 3463 code (RFC 2034 3). The
// machine puts the codes on (server::Machine::Send); the module advertises
// the keyword and switches that on, and gives the server model the rule a
// server that advertises it must keep (RFC 2034 4).
#ifndef SMTPSPEC_ENGINE_EXT_ENHANCED_STATUS_CODES_H_
#define SMTPSPEC_ENGINE_EXT_ENHANCED_STATUS_CODES_H_

#include <vector>

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
  const model::ServerRules* server_rules() const override;

  // RFC 2034 4: every 2xx, 4xx and 5xx reply but those to HELO and EHLO
  // carries a status code whose class agrees with the reply code.
  class Rules final : public model::ServerRules {
   public:
    void Judge(const Command& command, const Reply& reply,
               std::vector<model::Finding>& findings) const override;
  };

 private:
  Rules rules_;
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_ENHANCED_STATUS_CODES_H_
