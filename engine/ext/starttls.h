// STARTTLS (RFC 3207): the client asks to turn the connection into TLS.
// The module advertises the keyword and adds the verb; the machine carries
// it out (220, then the handshake, then a fresh session, RFC 3207 4.2),
// because that changes the session. Offer it only where the agent can run
// TLS on the connection.
#ifndef SMTPSPEC_ENGINE_EXT_STARTTLS_H_
#define SMTPSPEC_ENGINE_EXT_STARTTLS_H_

#include "engine/ext/extension.h"

namespace smtpspec::ext {

class StartTls final : public Extension {
 public:
  static constexpr std::string_view kName = "starttls";

  std::string_view name() const override { return kName; }
  // Not once TLS is active: RFC 3207 4.2, "A server MUST NOT return the
  // STARTTLS extension in response to an EHLO command received after a TLS
  // handshake has completed."
  bool Available(const Context& context) const override;
  // RFC 3207 4: the EHLO keyword is STARTTLS, with no parameters.
  std::string_view keyword() const override { return "STARTTLS"; }
  void Learn(const EhloKeyword& line, Learned& learned) const override;
  std::span<const Verb> verbs() const override;
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_STARTTLS_H_
