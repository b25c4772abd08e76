// What a server session tells its agent besides the bytes to send: plain
// data, drained with Session::TakeEvents() (or Machine::TakeEvents()).
#ifndef SMTPSPEC_ENGINE_SERVER_EVENT_H_
#define SMTPSPEC_ENGINE_SERVER_EVENT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace smtpspec::server {

namespace event {

enum class Kind {
  // A message was stored by the backend and answered 250 (RFC 5321 4.1.1.4
  // and 6.1: the server is now responsible for it). `size` is its length.
  kMessageAccepted,
  // The agent must start the TLS handshake now, before reading or writing
  // anything else except the output already queued (RFC 3207 4). It calls
  // Session::TlsEstablished() when done.
  kStartTls,
  // The agent must flush the output and close the connection: after 221
  // (QUIT), 421 (shutdown, timeout).
  kClose,
  // The deadline passed (RFC 5321 4.5.3.2); a 421 was queued. kClose
  // follows.
  kTimeout,
  // The backend rejected <postmaster> or <postmaster@our-domain> and the
  // machine accepted it anyway, as RFC 5321 4.5.1 requires. `detail` holds
  // the backend's reply text.
  kPostmasterOverride,

  // Protocol faults noticed in the client's bytes. `offset` (for every
  // kind) counts all bytes given to Session::Feed since the session began,
  // plaintext and TLS plaintext alike.
  kLineTooLong,  // Command or text line over its limit (4.5.3.1.4/6).
  kBareLf,       // LF not preceded by CR (RFC 5321 2.3.8).
  kBareCr,       // CR not followed by LF (RFC 5321 2.3.8).
  kNul,          // NUL byte in a command line.
  kBadCommand,   // Bytes that are not a command line (empty, 8-bit verb).
  // A bare-LF/CR end-of-data look-alike (LF.LF, LF.CRLF, CRLF.LF, ...):
  // the "SMTP smuggling" family (RFC 5321 2.3.8, 4.1.1.4).
  kSmuggling,
  // Plaintext bytes that arrived after the STARTTLS command line and before
  // TLS started. They are discarded, never executed: RFC 3207 6,
  // CVE-2011-0411 (command injection). Reported once per STARTTLS, at the
  // first such byte.
  kPlaintextAfterStarttls,
  // Bytes after QUIT's 221 or after a 421: ignored; reported once.
  kBytesAfterClose,
};

std::string_view KindName(Kind kind);

}  // namespace event

struct Event {
  event::Kind kind = event::Kind::kClose;
  std::size_t offset = 0;  // where in the client's byte stream, if known
  std::size_t size = 0;    // kMessageAccepted: content octets; else 0
  std::string detail;      // one sentence for people; may be empty

  bool operator==(const Event&) const = default;
};

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_EVENT_H_
