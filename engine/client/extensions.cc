#include "engine/client/extensions.h"

#include "engine/ehlo.h"
#include "engine/ext/registry.h"

namespace smtpspec::client {

Extensions ExtensionsFromEhlo(const Reply& reply) {
  // Lenient: a client must act on what it understands and ignore the rest,
  // whatever the spacing or case (RFC 5321 4.1.1.1).
  return ext::LearnFromEhlo(ParseEhlo(reply, EhloMode::kLenient), ext::All());
}

}  // namespace smtpspec::client
