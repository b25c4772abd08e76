// One message for the client to deliver: an envelope and a body.
#ifndef SMTPSPEC_ENGINE_CLIENT_MESSAGE_H_
#define SMTPSPEC_ENGINE_CLIENT_MESSAGE_H_

#include <string>
#include <vector>

#include "engine/esmtp.h"
#include "engine/path.h"

namespace smtpspec::client {

struct Message {
  // MAIL FROM:<...>; Path::Kind::kNull is the null reverse-path <> of
  // bounces (RFC 5321 4.5.5). Paths render with the quoting the RFC asks
  // for (path.h), so no illegal local-part can reach the wire.
  Path reverse_path = {};
  std::vector<Path> recipients = {};
  // Extra MAIL parameters (RET, ENVID, ...; RFC 5321 4.1.2). SIZE= and
  // BODY=8BITMIME are added by the client itself (RFC 1870, RFC 6152)
  // unless given here.
  std::vector<Parameter> mail_parameters = {};
  // The message as it should arrive, lines ending in CRLF. The client
  // dot-stuffs it and adds the final CRLF when it is missing (RFC 5321
  // 4.5.2, 4.1.1.4).
  std::string body = {};

  bool operator==(const Message&) const = default;
};

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_MESSAGE_H_
