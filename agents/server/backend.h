// The reference server's application side (the go-smtp Backend shape): it
// decides which recipients exist, answers VRFY, and hands each accepted
// message to the sink. The engine's server::Session asks it; it never sees
// a byte of the protocol.
#ifndef SMTPSPEC_AGENTS_SERVER_BACKEND_H_
#define SMTPSPEC_AGENTS_SERVER_BACKEND_H_

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "agents/config.h"
#include "agents/sink.h"
#include "engine/server/backend.h"

namespace smtpspec::agents::server {

// Who we take mail for, from the configuration.
struct Policy {
  // Domains we accept mail for; empty accepts every domain.
  std::vector<std::string> local_domains;
  // "user@domain" mailboxes that exist; empty accepts any user of a local
  // domain.
  std::vector<std::string> mailboxes;
  config::VrfyMode vrfy = config::VrfyMode::k252;
};

class MailBackend : public smtpspec::server::Backend {
 public:
  // `sink` must outlive the backend and every session it opened.
  MailBackend(Policy policy, sink::Sink& sink);

  std::variant<std::unique_ptr<smtpspec::server::Handler>,
               smtpspec::server::Error>
  NewSession(const smtpspec::server::ConnectionInfo& info) override;

  // Whether RCPT to `mailbox` ("user@domain") is accepted: nullopt, or the
  // refusal to send (550 5.1.1 no such user, 550 5.7.1 relaying denied;
  // RFC 5321 4.1.1.3, RFC 3463).
  std::optional<smtpspec::server::Error> Check(const Mailbox& mailbox) const;
  // The VRFY answer for `argument` (RFC 5321 3.5.3).
  Reply Verify(std::string_view argument) const;
  // Stores one accepted message; failure becomes 451 (RFC 5321 4.2.3).
  std::optional<smtpspec::server::Error> Store(
      const smtpspec::server::Envelope& envelope, std::string_view content,
      const std::string& peer);

 private:
  Policy policy_;
  sink::Sink& sink_;
};

}  // namespace smtpspec::agents::server

#endif  // SMTPSPEC_AGENTS_SERVER_BACKEND_H_
