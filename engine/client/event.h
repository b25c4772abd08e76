// What a byte-level client session asks of its caller besides writing the
// output bytes.
#ifndef SMTPSPEC_ENGINE_CLIENT_EVENT_H_
#define SMTPSPEC_ENGINE_CLIENT_EVENT_H_

namespace smtpspec::client {

struct Event {
  enum class Kind {
    // Write the output already taken, then run the TLS handshake and call
    // Connection::TlsEstablished (RFC 3207 4.2). Nothing else is read or
    // written in clear meanwhile.
    kStartTls,
    // Write the output already taken, then close the connection.
    kClose,
  };
  Kind kind = Kind::kClose;

  bool operator==(const Event&) const = default;
};

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_EVENT_H_
