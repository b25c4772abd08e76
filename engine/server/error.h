// A refusal that knows the reply it puts on the wire. Its own header so
// that the extension modules (engine/ext) can return one without depending
// on the server machine.
#ifndef SMTPSPEC_ENGINE_SERVER_ERROR_H_
#define SMTPSPEC_ENGINE_SERVER_ERROR_H_

#include <optional>
#include <string>

#include "engine/reply.h"

namespace smtpspec::server {

// A refusal from the backend or an extension (go-smtp's SMTPError). `code`
// is 4xx (transient) or 5xx (permanent); `enhanced` is sent only when
// ENHANCEDSTATUSCODES is in use (RFC 2034), and should agree with `code`'s
// class.
struct Error {
  int code = 550;
  std::optional<EnhancedCode> enhanced;
  std::string text;

  bool operator==(const Error&) const = default;
};

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_ERROR_H_
