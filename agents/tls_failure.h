// Why a TLS handshake or session failed, as a kind a program can branch on
// and a sentence a person can act on ("the server's certificate is not
// valid for 'mx.example.org' (hostname mismatch)").
#ifndef SMTPSPEC_AGENTS_TLS_FAILURE_H_
#define SMTPSPEC_AGENTS_TLS_FAILURE_H_

#include <openssl/ssl.h>

#include <string>
#include <string_view>

namespace smtpspec::agents::tls {

enum class FailureKind {
  kNotTls,          // the peer sent plaintext where a TLS record was due
  kUnknownCa,       // the peer's certificate chains to no trusted CA
  kWrongName,       // the certificate does not name the host we asked for
  kExpired,         // the certificate's notAfter is in the past
  kNotYetValid,     // the certificate's notBefore is in the future
  kUntrusted,       // any other verification failure
  kNoCertificate,   // a required client certificate was not sent
  kRejectedByPeer,  // the peer sent a fatal alert (it rejected us)
  kPeerClosed,      // the peer closed the connection mid-handshake
  kProtocol,        // any other protocol error
};

struct Failure {
  FailureKind kind = FailureKind::kProtocol;
  std::string reason;  // one sentence, with OpenSSL's reason in words

  bool operator==(const Failure&) const = default;
};

// A short name for the kind ("unknown CA"), for logs and test messages.
std::string_view KindName(FailureKind kind);

// Classifies the failure of the last SSL_* call on `ssl`, reading (and
// clearing) this thread's OpenSSL error queue. `first_bytes` are the first
// bytes the peer sent, used to recognise a plaintext peer. `is_server`
// says which side we are: the certificate being judged is the peer's.
Failure Classify(SSL* ssl, std::string_view first_bytes, bool is_server);

// Whether `bytes` (the start of a stream) look like a TLS record (a
// ClientHello: content type 22, version 3.x). A plaintext SMTP server uses
// this to tell a TLS client that came to the wrong port (RFC 8314 port
// confusion) from a client sending garbage.
bool LooksLikeTls(std::string_view bytes);

}  // namespace smtpspec::agents::tls

#endif  // SMTPSPEC_AGENTS_TLS_FAILURE_H_
