// HELP (RFC 5321 4.1.1.8): optional in RFC 5321, so a module: offered, it
// answers 214 with the commands the server takes; without it HELP is
// answered 502 (RFC 5321 4.2.4). It has no EHLO keyword.
#ifndef SMTPSPEC_ENGINE_EXT_HELP_H_
#define SMTPSPEC_ENGINE_EXT_HELP_H_

#include "engine/ext/extension.h"

namespace smtpspec::ext {

class Help final : public Extension {
 public:
  static constexpr std::string_view kName = "help";

  std::string_view name() const override { return kName; }
  std::span<const Verb> verbs() const override;
  // 214 "Commands: ..." listing RFC 5321's minimum implementation and the
  // verbs of every available module offered, in their order.
  std::optional<Reply> Answer(const Command& command,
                              const Context& context) const override;
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_HELP_H_
