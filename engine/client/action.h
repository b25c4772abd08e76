// What the client machine asks its caller to do next. The machine decides;
// the caller (the byte-level client::Connection, or a test) carries it out.
#ifndef SMTPSPEC_ENGINE_CLIENT_ACTION_H_
#define SMTPSPEC_ENGINE_CLIENT_ACTION_H_

#include <string>

#include "engine/command.h"

namespace smtpspec::client {

struct Action {
  enum class Kind {
    kSendCommand,  // write `command` and wait for its reply
    kSendBody,     // write `body` dot-stuffed, then CRLF.CRLF (4.1.1.4)
    kStartTls,     // begin the TLS handshake now (RFC 3207 4.2)
    kClose,        // close the connection; the session is over
  };
  Kind kind = Kind::kSendCommand;
  Command command = {};   // kSendCommand only
  std::string body = {};  // kSendBody only: the message body, not yet stuffed

  bool operator==(const Action&) const = default;
};

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_ACTION_H_
