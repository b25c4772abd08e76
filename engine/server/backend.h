// The application behind the server (like go-smtp's Backend/Session). The
// protocol machine never decides whether a mailbox exists or whether a
// message is welcome: it asks a Handler, one per connection, and puts the
// Handler's answer on the wire.
#ifndef SMTPSPEC_ENGINE_SERVER_BACKEND_H_
#define SMTPSPEC_ENGINE_SERVER_BACKEND_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/esmtp.h"
#include "engine/path.h"
#include "engine/reply.h"
#include "engine/server/error.h"

namespace smtpspec::server {

// What the agent knows about the connection when it opens.
struct ConnectionInfo {
  std::string remote_address;  // "192.0.2.1:4567", "[::1]:4567"
  std::string local_address;
  bool tls = false;  // implicit TLS (RFC 8314) from the first byte
};

// One accepted recipient with its RCPT parameters (RFC 5321 4.1.1.3).
struct Recipient {
  Path path;
  std::vector<Parameter> parameters;

  bool operator==(const Recipient&) const = default;
};

// The transaction as the protocol accepted it (RFC 5321 3.3).
struct Envelope {
  std::string helo;       // the EHLO/HELO argument
  bool extended = false;  // EHLO (true) or HELO
  bool tls = false;       // TLS was active when DATA began
  Path reverse_path;
  std::vector<Parameter> mail_parameters;
  std::vector<Recipient> recipients;

  bool operator==(const Envelope&) const = default;
};

// Per-connection hooks. Every hook returning std::optional<Error> accepts
// with std::nullopt and refuses with an Error; the machine then sends the
// Error's reply and leaves its state as before the command (RFC 5321
// 4.1.1.2-4.1.1.4: a refused MAIL or RCPT changes nothing).
class Handler {
 public:
  virtual ~Handler() = default;

  // EHLO or HELO (RFC 5321 4.1.1.1). A refusal (e.g. 550 policy) leaves
  // the client un-greeted.
  virtual std::optional<Error> Hello(std::string_view domain, bool extended) {
    return std::nullopt;
  }
  // MAIL FROM (RFC 5321 4.1.1.2). `reverse_path` may be the null path <>.
  virtual std::optional<Error> Mail(const Path& reverse_path,
                                    const std::vector<Parameter>& params) = 0;
  // RCPT TO (RFC 5321 4.1.1.3). Typical refusals: 550 5.1.1 no such user,
  // 553 5.1.3 name not allowed, 450/451 try later.
  //
  // Postmaster: RFC 5321 4.5.1 says a server MUST accept <Postmaster> and
  // <postmaster@d> for each of its domains d. The machine asks this hook
  // anyway (so the backend sees the recipient and can route it), but if it
  // refuses one of those, the machine accepts it regardless, reports an
  // event::Kind::kPostmasterOverride, and the recipient appears in the
  // Envelope given to Data(). A backend that wants no surprises simply
  // accepts postmaster.
  virtual std::optional<Error> Rcpt(const Path& forward_path,
                                    const std::vector<Parameter>& params) = 0;
  // End of DATA (RFC 5321 4.1.1.4): the whole un-stuffed content, at most
  // Config::max_message_size octets (larger messages are answered 552
  // without calling this). Return only once the message is durably stored
  // (or refused): the server sends 250 as soon as this returns nullopt,
  // and from then on the message is the server's responsibility
  // (RFC 5321 6.1).
  virtual std::optional<Error> Data(const Envelope& envelope,
                                    std::string_view content) = 0;
  // VRFY (RFC 5321 3.5.3, 4.1.1.6), asked only with VrfyMode::kAskBackend.
  // The reply is sent as given (its enhanced code dropped if
  // ENHANCEDSTATUSCODES is not in use): 250/251 verified, 252 cannot verify,
  // 550/553 refused.
  virtual Reply Vrfy(std::string_view argument) {
    return Reply{252, EnhancedCode{2, 5, 0}, {"Cannot VRFY user"}};
  }
  // The transaction is over: after the end of DATA (accepted or not), or
  // abandoned by RSET, EHLO/HELO in mid-transaction, QUIT, 421 or a lost
  // connection (RFC 5321 4.1.1.4, 4.1.1.5, 4.1.4). Not called when no
  // MAIL had been accepted.
  virtual void Reset() {}
  // The connection is over (QUIT, 421, timeout). Called once.
  virtual void Logout() {}
};

// Opens a Handler per connection. Returning an Error instead refuses the
// connection: the greeting becomes 554 with the Error's text and the
// session answers 503 to everything but QUIT (RFC 5321 3.1).
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::variant<std::unique_ptr<Handler>, Error> NewSession(
      const ConnectionInfo& info) = 0;
};

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_BACKEND_H_
