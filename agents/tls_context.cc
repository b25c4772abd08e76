#include "agents/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509.h>

namespace smtpspec::agents::tls {
namespace {

SSL_CTX* NewContext(bool server) {
  SSL_CTX* ctx =
      SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  if (ctx == nullptr) return nullptr;
  // RFC 8996 deprecates TLS 1.0 and 1.1.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // The loop writes whatever OpenSSL produced into its own queue, so partial
  // records and moving buffers are fine.
  SSL_CTX_set_mode(
      ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return ctx;
}

Status LoadKeyPair(SSL_CTX* ctx, const std::string& certificate_file,
                   const std::string& key_file) {
  if (SSL_CTX_use_certificate_chain_file(ctx, certificate_file.c_str()) != 1) {
    return Error{0, "cannot load certificate '" + certificate_file +
                        "': " + TakeOpenSslError("unreadable file")};
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) !=
      1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return Error{0, "private key '" + key_file +
                          "' does not match certificate '" + certificate_file +
                          "'"};
    }
    return Error{0, "cannot load private key '" + key_file +
                        "': " + TakeOpenSslError("unreadable file")};
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Error{0, "private key '" + key_file +
                        "' does not match certificate '" + certificate_file +
                        "'"};
  }
  return OkStatus();
}

}  // namespace

std::string TakeOpenSslError(const std::string& fallback) {
  unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return fallback;
  const char* reason = ERR_reason_error_string(code);
  if (reason != nullptr) return reason;
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

Context::Context(SSL_CTX* ctx, bool server, bool verifies_peer)
    : ctx_(ctx, SSL_CTX_free), server_(server), verifies_peer_(verifies_peer) {}

Result<Context> Context::ForServer(const ServerOptions& options) {
  ERR_clear_error();
  SSL_CTX* raw = NewContext(/*server=*/true);
  if (raw == nullptr) {
    return Error{0, "cannot create a TLS server context: " +
                        TakeOpenSslError("out of memory")};
  }
  bool verifies = options.client_certificate != ClientCertificate::kNone;
  Context context(raw, /*server=*/true, verifies);
  if (options.certificate_file.empty() || options.key_file.empty()) {
    return Error{0, "a TLS server needs both a certificate and a key file"};
  }
  Status loaded = LoadKeyPair(raw, options.certificate_file, options.key_file);
  if (!loaded.ok()) return loaded.error();
  if (verifies) {
    if (options.client_ca_file.empty()) {
      return Error{0,
                   "asking for client certificates needs a client CA file "
                   "to verify them against"};
    }
    if (SSL_CTX_load_verify_locations(raw, options.client_ca_file.c_str(),
                                      nullptr) != 1) {
      return Error{0, "cannot load client CA file '" + options.client_ca_file +
                          "': " + TakeOpenSslError("unreadable file")};
    }
    // The CA names go in the CertificateRequest so a client can pick.
    STACK_OF(X509_NAME)* names =
        SSL_load_client_CA_file(options.client_ca_file.c_str());
    if (names != nullptr) SSL_CTX_set_client_CA_list(raw, names);
    int mode = SSL_VERIFY_PEER;
    if (options.client_certificate == ClientCertificate::kRequire) {
      mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    }
    SSL_CTX_set_verify(raw, mode, nullptr);
  }
  return context;
}

Result<Context> Context::ForClient(const ClientOptions& options) {
  ERR_clear_error();
  SSL_CTX* raw = NewContext(/*server=*/false);
  if (raw == nullptr) {
    return Error{0, "cannot create a TLS client context: " +
                        TakeOpenSslError("out of memory")};
  }
  Context context(raw, /*server=*/false, options.verify != Verify::kOff);
  switch (options.verify) {
    case Verify::kSystem:
      if (SSL_CTX_set_default_verify_paths(raw) != 1) {
        return Error{0, "cannot load the system's CA certificates: " +
                            TakeOpenSslError("unknown reason")};
      }
      SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nullptr);
      break;
    case Verify::kCaFile:
      if (options.ca_file.empty()) {
        return Error{0, "verification against a CA file needs the file"};
      }
      if (SSL_CTX_load_verify_locations(raw, options.ca_file.c_str(),
                                        nullptr) != 1) {
        return Error{0, "cannot load CA file '" + options.ca_file +
                            "': " + TakeOpenSslError("unreadable file")};
      }
      SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nullptr);
      break;
    case Verify::kOff:
      SSL_CTX_set_verify(raw, SSL_VERIFY_NONE, nullptr);
      break;
  }
  if (!options.certificate_file.empty() || !options.key_file.empty()) {
    Status loaded =
        LoadKeyPair(raw, options.certificate_file, options.key_file);
    if (!loaded.ok()) return loaded.error();
  }
  return context;
}

}  // namespace smtpspec::agents::tls
