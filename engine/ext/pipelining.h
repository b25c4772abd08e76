// PIPELINING (RFC 2920): the client may send commands without waiting for
// each reply. The server session reads commands in order whatever the
// client does (engine/server/session.h), so the module only says so in the EHLO
// response.
#ifndef SMTPSPEC_ENGINE_EXT_PIPELINING_H_
#define SMTPSPEC_ENGINE_EXT_PIPELINING_H_

#include "engine/ext/extension.h"

namespace smtpspec::ext {

class Pipelining final : public Extension {
 public:
  static constexpr std::string_view kName = "pipelining";

  std::string_view name() const override { return kName; }
  // RFC 2920 2: the EHLO keyword is PIPELINING, with no parameters.
  std::string_view keyword() const override { return "PIPELINING"; }
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_PIPELINING_H_
