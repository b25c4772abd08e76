// The service extensions a client acts on, as learnt from the EHLO reply
// (RFC 5321 4.1.1.1, 2.2.2).
#ifndef SMTPSPEC_ENGINE_CLIENT_EXTENSIONS_H_
#define SMTPSPEC_ENGINE_CLIENT_EXTENSIONS_H_

#include <cstdint>

#include "engine/reply.h"

namespace smtpspec::client {

struct Extensions {
  bool starttls = false;        // RFC 3207
  bool eight_bit_mime = false;  // RFC 6152
  bool size = false;            // RFC 1870
  // The advertised maximum message size; 0 means "no fixed maximum"
  // (RFC 1870 4), as does SIZE without a parameter.
  std::uint64_t size_limit = 0;

  bool operator==(const Extensions &) const = default;
};

// Reads the keywords of a 250 reply to EHLO with ParseEhlo's kLenient
// (engine/ehlo.h): every line after the first is "keyword [params]",
// keywords case-insensitive (RFC 5321 4.1.1.1), spacing and the legacy
// "KEYWORD=param" form tolerated. Keywords it does not know are ignored: a
// client must not fail on an extension it does not understand. When a
// keyword comes twice, the first line counts.
Extensions ExtensionsFromEhlo(const Reply &reply);

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_EXTENSIONS_H_
