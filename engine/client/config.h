// What a client session is told before it starts: who it is, how it treats
// STARTTLS, and how long it waits for each reply.
#ifndef SMTPSPEC_ENGINE_CLIENT_CONFIG_H_
#define SMTPSPEC_ENGINE_CLIENT_CONFIG_H_

#include <chrono>
#include <string>

namespace smtpspec::client {

// The engine never reads a clock: the caller passes the current time into
// every call and reads deadlines back (the ngtcp2 model). A steady_clock
// time point is only the unit; tests start from Time{} and add durations.
using Time = std::chrono::steady_clock::time_point;
using Duration = std::chrono::milliseconds;

// How long the client waits for each reply, RFC 5321 4.5.3.2. The defaults
// are the RFC's minimums; tests shrink them.
struct Timeouts {
  Duration greeting = std::chrono::minutes(5);         // 4.5.3.2.1 initial 220
  Duration mail = std::chrono::minutes(5);             // 4.5.3.2.2 MAIL
  Duration rcpt = std::chrono::minutes(5);             // 4.5.3.2.3 RCPT
  Duration data_initiation = std::chrono::minutes(2);  // 4.5.3.2.4 DATA
  Duration data_block = std::chrono::minutes(3);       // 4.5.3.2.5 each send
  Duration data_termination = std::chrono::minutes(10);  // 4.5.3.2.6 "."
  // EHLO, HELO, STARTTLS (and its handshake), RSET and QUIT: the RFC names
  // no value; 5 minutes matches the other command timeouts.
  Duration other = std::chrono::minutes(5);

  bool operator==(const Timeouts&) const = default;
};

// Whether the client upgrades with STARTTLS (RFC 3207).
enum class TlsPolicy {
  kOff,            // never send STARTTLS
  kOpportunistic,  // send it when advertised; carry on in clear otherwise
  kRequired,       // no transaction in clear: QUIT if TLS cannot be had
};

struct Config {
  // The argument of EHLO/HELO: the client's domain or address literal
  // (RFC 5321 4.1.1.1).
  std::string domain = "localhost";
  TlsPolicy tls = TlsPolicy::kOff;
  Timeouts timeouts = {};
};

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_CONFIG_H_
