// The reference SMTP client: delivers messages (envelope + content) to one
// server over one connection, on its own event loop, with STARTTLS
// (RFC 3207; policy required, opportunistic or off) or implicit TLS
// (RFC 8314), certificate verification against the system CAs, a given CA
// file, or not at all (an explicit choice), SNI, and a client certificate.
//
// One Session is one connection. Sessions share no mutable state, so
// several threads may each run their own at the same time (TSan checks
// this: session_threads_test.cc). The SMTP conversation itself is the
// engine's client::Connection; this file only moves its bytes.
#ifndef SMTPSPEC_AGENTS_CLIENT_SESSION_H_
#define SMTPSPEC_AGENTS_CLIENT_SESSION_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "agents/address.h"
#include "agents/tls_context.h"
#include "agents/tls_session.h"
#include "engine/client/config.h"
#include "engine/client/message.h"
#include "engine/client/outcome.h"
#include "engine/result.h"

namespace smtpspec::agents::client {

struct Options {
  Address server;
  // The name the server's certificate must carry, also sent as SNI
  // (RFC 6066 3) unless it is an IP literal. Empty: the server's address.
  std::string server_name;
  // EHLO domain, STARTTLS policy, RFC 5321 4.5.3.2 reply timeouts.
  smtpspec::client::Config session;
  // RFC 8314 3.3: TLS from the first byte (the STARTTLS policy is then
  // moot: the engine sees a plaintext-looking session inside TLS).
  bool implicit_tls = false;
  // Verification (system CAs by default) and the client certificate.
  tls::ClientOptions tls;
  std::chrono::milliseconds connect_timeout{30000};
};

// What became of one connection.
struct Report {
  // Every exchange, every message's and recipient's fate, and the ending
  // (engine/client/outcome.h).
  smtpspec::client::Outcome outcome;
  // What TLS agreed on, when TLS ran.
  std::optional<tls::PeerInfo> tls;
  // Why the connection failed below SMTP (refused, TLS handshake failure
  // with its reason, reset), or "".
  std::string error;

  bool operator==(const Report&) const = default;
};

// Whether every message was accepted (RFC 5321 4.1.1.4: 250 after ".").
bool AllAccepted(const Report& report);
// One line saying how the session ended, for people ("delivered 1 of 1
// message(s)", "TLS failed: the server's certificate ...").
std::string Summary(const Report& report);

class Session {
 public:
  // Builds the TLS context now (when STARTTLS or implicit TLS may run), so
  // a missing CA or key file is reported before any connection.
  static Result<Session> Create(Options options);

  // Connects, delivers `messages` in order, QUITs, and returns what
  // happened. Blocks the calling thread. Errors are only for what stops
  // the attempt itself (the loop cannot be made); everything the network
  // or the server does is in the Report. A Session sends once.
  Result<Report> Send(std::vector<smtpspec::client::Message> messages);

 private:
  Session(Options options, std::optional<tls::Context> tls)
      : options_(std::move(options)), tls_(std::move(tls)) {}

  Options options_;
  std::optional<tls::Context> tls_;
  bool used_ = false;
};

}  // namespace smtpspec::agents::client

#endif  // SMTPSPEC_AGENTS_CLIENT_SESSION_H_
