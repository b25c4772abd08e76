#include "engine/ext/enhanced_status_codes.h"

#include <string>
#include <string_view>

#include "engine/model/text.h"
#include "engine/rules/catalogue.h"

namespace smtpspec::ext {

Switches EnhancedStatusCodes::switches() const {
  return Switches{.enhanced_codes = true};
}

const model::ServerRules* EnhancedStatusCodes::server_rules() const {
  return &rules_;
}

void EnhancedStatusCodes::Rules::Judge(
    const Command& command, const Reply& reply,
    std::vector<model::Finding>& findings) const {
  // RFC 2034 section 4: once ENHANCEDSTATUSCODES is advertised, every 2xx,
  // 4xx and 5xx reply except to HELO/EHLO carries a status code whose class
  // agrees with the reply code.
  if (command.verb == Verb::kEhlo || command.verb == Verb::kHelo ||
      reply.code / 100 == 3 || reply.enhanced.has_value()) {
    return;
  }
  const std::string_view word = model::FirstWord(reply);
  const std::string code = std::to_string(reply.code);
  if (model::IsEnhancedCodeShape(word)) {
    findings.push_back(model::Broke(
        rules::Id("rfc2034/4-class-agrees"),
        "enhanced status code " + std::string(word) +
            " disagrees with reply code " + code + " (its class must be " +
            std::to_string(reply.code / 100) + ")"));
  } else {
    findings.push_back(model::Broke(
        rules::Id("rfc2034/4-status-codes"),
        "ENHANCEDSTATUSCODES was advertised but the reply to " + command.name +
            ", " + model::Quoted(reply) + ", has no enhanced status code"));
  }
}

}  // namespace smtpspec::ext
