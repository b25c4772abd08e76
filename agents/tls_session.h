// One TLS connection, sans-IO: it is fed the ciphertext that arrived and
// yields plaintext; it is given plaintext to send and yields ciphertext. It
// never touches a socket, so it layers under any byte stream: the event
// loop's connections, STARTTLS (RFC 3207) in the middle of a plaintext
// session, implicit TLS (RFC 8314) from the first byte, or a test that
// pumps two sessions into each other in memory.
//
// OpenSSL runs over a pair of memory BIOs. Not thread-safe; one session
// belongs to one connection (several threads may each drive their own).
#ifndef SMTPSPEC_AGENTS_TLS_SESSION_H_
#define SMTPSPEC_AGENTS_TLS_SESSION_H_

#include <openssl/ssl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agents/tls_context.h"
#include "agents/tls_failure.h"
#include "engine/result.h"

namespace smtpspec::agents::tls {

// What the handshake agreed on, for logs and for the sink's "TLS yes/no".
struct PeerInfo {
  std::string version;         // "TLSv1.3"
  std::string cipher;          // "TLS_AES_256_GCM_SHA384"
  std::string server_name;     // SNI the client sent (server side), or ""
  std::string peer_subject;    // peer certificate subject, "" if none
  bool peer_verified = false;  // a peer certificate was sent and verified
};

class Session {
 public:
  // A client session. `server_name` is verified against the certificate
  // (RFC 6125; an IP literal is checked against its iPAddress names) when
  // the context verifies, and sent as SNI (RFC 6066 3) unless it is an IP
  // literal. The ClientHello is ready in TakeCiphertext() at once.
  static Result<std::unique_ptr<Session>> Client(const Context& context,
                                                 std::string_view server_name);
  // A server session; it waits for the ClientHello.
  static Result<std::unique_ptr<Session>> Server(const Context& context);

  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Feeds ciphertext from the peer and appends any plaintext it decrypts
  // to `plaintext`. After an error the session is dead: failure() says why,
  // and TakeCiphertext() may still hold an alert worth sending.
  Status Feed(std::string_view ciphertext, std::string& plaintext);

  // Queues plaintext to send. Before the handshake completes it is held and
  // sent as soon as it does.
  Status Write(std::string_view plaintext);

  // Moves the ciphertext waiting to go to the peer to the end of `out`.
  void TakeCiphertext(std::string& out);
  bool has_ciphertext() const;

  // Queues a close_notify alert (RFC 8446 6.1).
  void Close();

  // Reports that the transport reached end of stream; returns a failure if
  // that cut the handshake short.
  Status PeerEof();

  bool established() const { return established_; }
  bool peer_closed() const { return peer_closed_; }  // close_notify seen
  const std::optional<Failure>& failure() const { return failure_; }
  PeerInfo info() const;

 private:
  Session(SSL* ssl, bool is_server);
  static Result<std::unique_ptr<Session>> Create(const Context& context,
                                                 bool is_server);
  Status Fail(Failure failure);
  Status Advance(std::string& plaintext);
  Status FlushPending();

  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;   // ciphertext from the peer (owned by ssl_)
  BIO* out_ = nullptr;  // ciphertext to the peer (owned by ssl_)
  bool is_server_ = false;
  bool established_ = false;
  bool peer_closed_ = false;
  std::string first_bytes_;  // the peer's first bytes, to spot plaintext
  std::string pending_;      // plaintext written before the handshake ended
  std::optional<Failure> failure_;
};

}  // namespace smtpspec::agents::tls

#endif  // SMTPSPEC_AGENTS_TLS_SESSION_H_
