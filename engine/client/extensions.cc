#include "engine/client/extensions.h"

#include <cstdint>
#include <optional>

#include "engine/ehlo.h"

namespace smtpspec::client {

Extensions ExtensionsFromEhlo(const Reply &reply) {
  // Lenient: a client must act on what it understands and ignore the rest,
  // whatever the spacing or case (RFC 5321 4.1.1.1).
  const EhloResponse ehlo = ParseEhlo(reply, EhloMode::kLenient);
  Extensions extensions;
  extensions.starttls = FindKeyword(ehlo, "STARTTLS") != nullptr;
  extensions.eight_bit_mime = FindKeyword(ehlo, "8BITMIME") != nullptr;
  extensions.size = FindKeyword(ehlo, "SIZE") != nullptr;
  if (extensions.size) {
    // RFC 1870 4: size-param ::= [1*DIGIT]. No parameter, or a garbled
    // one, counts as "no fixed maximum" (0): refusing to send on a garbled
    // advertisement would be worse than letting the server judge.
    const Result<std::optional<std::uint64_t>> limit = SizeLimit(ehlo);
    if (limit.ok() && limit->has_value()) extensions.size_limit = **limit;
  }
  return extensions;
}

}  // namespace smtpspec::client
