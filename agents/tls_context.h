// OpenSSL 3 configuration for the agents' TLS: one Context per role, shared
// by every session of that role (an SSL_CTX is safe to share between
// threads once built; nothing here mutates it afterwards).
//
// Server side: certificate and key files, optionally asking for and
// verifying a client certificate. Client side: verification against the
// system's CAs, against a given CA file, or switched off by an explicit
// choice, plus an optional client certificate. Names (SNI, hostname
// verification) are per session: see tls_session.h.
#ifndef SMTPSPEC_AGENTS_TLS_CONTEXT_H_
#define SMTPSPEC_AGENTS_TLS_CONTEXT_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "engine/result.h"

namespace smtpspec::agents::tls {

// Whether a server asks for a client certificate (RFC 8446 4.3.2). With
// kRequest a client without one is let in; a client that presents one must
// present a valid one. With kRequire the handshake fails without one.
enum class ClientCertificate { kNone, kRequest, kRequire };

struct ServerOptions {
  std::string certificate_file;  // PEM: the leaf first, then its chain
  std::string key_file;          // PEM private key for the leaf
  ClientCertificate client_certificate = ClientCertificate::kNone;
  std::string client_ca_file;  // PEM CAs trusted for client certificates
};

// How a client checks the server's certificate. kOff exists for probing
// and testing; it is never a default.
enum class Verify { kSystem, kCaFile, kOff };

struct ClientOptions {
  Verify verify = Verify::kSystem;
  std::string ca_file;           // with kCaFile: PEM CAs to trust
  std::string certificate_file;  // optional client certificate (PEM)
  std::string key_file;          // its key; required with certificate_file
};

class Context {
 public:
  // Load certificates and keys now, so a bad file is reported at start-up
  // with its name and OpenSSL's reason rather than at the first handshake.
  static Result<Context> ForServer(const ServerOptions& options);
  static Result<Context> ForClient(const ClientOptions& options);

  bool is_server() const { return server_; }
  bool verifies_peer() const { return verifies_peer_; }
  SSL_CTX* native() const { return ctx_.get(); }

 private:
  Context(SSL_CTX* ctx, bool server, bool verifies_peer);

  std::shared_ptr<SSL_CTX> ctx_;
  bool server_ = false;
  bool verifies_peer_ = false;
};

// OpenSSL's most recent error on this thread as words ("certificate verify
// failed"), or `fallback` when its queue is empty. Clears the queue.
std::string TakeOpenSslError(const std::string& fallback);

}  // namespace smtpspec::agents::tls

#endif  // SMTPSPEC_AGENTS_TLS_CONTEXT_H_
