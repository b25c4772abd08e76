#include "agents/tls_session.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace smtpspec::agents::tls {
namespace {

constexpr std::size_t kFirstBytesKept = 32;
constexpr std::size_t kReadChunk = 16 * 1024;

bool IsIpLiteral(const std::string& name) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, name.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

Error ToError(const Failure& failure) { return Error{0, failure.reason}; }

}  // namespace

Session::Session(SSL* ssl, bool is_server) : ssl_(ssl), is_server_(is_server) {
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  // An empty input BIO means "wait for more", not end of stream.
  BIO_set_mem_eof_return(in_, -1);
  BIO_set_mem_eof_return(out_, -1);
  SSL_set_bio(ssl_, in_, out_);
}

Session::~Session() { SSL_free(ssl_); }

Result<std::unique_ptr<Session>> Session::Create(const Context& context,
                                                 bool is_server) {
  const char* role = is_server ? "server" : "client";
  if (context.is_server() != is_server) {
    return Error{0, std::string("a TLS ") + role + " session needs a " + role +
                        " context"};
  }
  ERR_clear_error();
  SSL* ssl = SSL_new(context.native());
  if (ssl == nullptr) {
    return Error{
        0, "cannot create a TLS session: " + TakeOpenSslError("out of memory")};
  }
  std::unique_ptr<Session> session(new Session(ssl, is_server));
  if (is_server) {
    SSL_set_accept_state(ssl);
  } else {
    SSL_set_connect_state(ssl);
  }
  return session;
}

Result<std::unique_ptr<Session>> Session::Client(const Context& context,
                                                 std::string_view server_name) {
  Result<std::unique_ptr<Session>> created = Create(context, false);
  if (!created.ok()) return created;
  Session& session = **created;
  SSL* ssl = session.ssl_;
  std::string name(server_name);
  bool ip = IsIpLiteral(name);
  if (!name.empty() && !ip) SSL_set_tlsext_host_name(ssl, name.c_str());
  if (context.verifies_peer()) {
    if (name.empty()) {
      return Error{0,
                   "verifying the server's certificate needs the name of the "
                   "server (or switch verification off explicitly)"};
    }
    int set =
        ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str())
           : SSL_set1_host(ssl, name.c_str());
    if (set != 1) {
      return Error{0, "cannot verify against the name '" + name +
                          "': " + TakeOpenSslError("invalid name")};
    }
  }
  std::string ignored;
  Status started = session.Advance(ignored);  // produces the ClientHello
  if (!started.ok()) return started.error();
  return created;
}

Result<std::unique_ptr<Session>> Session::Server(const Context& context) {
  return Create(context, true);
}

Status Session::Fail(Failure failure) {
  failure_ = std::move(failure);
  return ToError(*failure_);
}

Status Session::Feed(std::string_view ciphertext, std::string& plaintext) {
  if (failure_) return ToError(*failure_);
  if (first_bytes_.size() < kFirstBytesKept) {
    first_bytes_.append(
        ciphertext.substr(0, kFirstBytesKept - first_bytes_.size()));
  }
  if (!ciphertext.empty() &&
      BIO_write(in_, ciphertext.data(), static_cast<int>(ciphertext.size())) !=
          static_cast<int>(ciphertext.size())) {
    return Fail({FailureKind::kProtocol, "out of memory buffering TLS input"});
  }
  return Advance(plaintext);
}

// Drives the handshake, then decrypts everything buffered. OpenSSL's error
// queue is per thread and shared by every session on it, so it is cleared
// before each call that is then judged by it.
Status Session::Advance(std::string& plaintext) {
  if (!established_) {
    ERR_clear_error();
    int result = SSL_do_handshake(ssl_);
    if (result != 1) {
      int error = SSL_get_error(ssl_, result);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        return OkStatus();
      }
      return Fail(Classify(ssl_, first_bytes_, is_server_));
    }
    established_ = true;
    Status flushed = FlushPending();
    if (!flushed.ok()) return flushed;
  }
  char buffer[kReadChunk];
  while (!peer_closed_) {
    ERR_clear_error();
    int n = SSL_read(ssl_, buffer, sizeof(buffer));
    if (n > 0) {
      plaintext.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    int error = SSL_get_error(ssl_, n);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) break;
    if (error == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      break;
    }
    return Fail({FailureKind::kProtocol,
                 "TLS record error: " + TakeOpenSslError("unknown reason")});
  }
  return OkStatus();
}

Status Session::FlushPending() {
  std::string pending;
  pending.swap(pending_);
  return Write(pending);
}

Status Session::Write(std::string_view plaintext) {
  if (failure_) return ToError(*failure_);
  if (!established_) {
    pending_.append(plaintext);
    return OkStatus();
  }
  while (!plaintext.empty()) {
    ERR_clear_error();
    int n = SSL_write(
        ssl_, plaintext.data(),
        static_cast<int>(std::min<std::size_t>(plaintext.size(), 1 << 30)));
    if (n <= 0) {
      return Fail({FailureKind::kProtocol,
                   "cannot encrypt: " + TakeOpenSslError("unknown reason")});
    }
    plaintext.remove_prefix(static_cast<std::size_t>(n));
  }
  return OkStatus();
}

void Session::TakeCiphertext(std::string& out) {
  char* data = nullptr;
  long size = BIO_get_mem_data(out_, &data);
  if (size <= 0) return;
  out.append(data, static_cast<std::size_t>(size));
  (void)BIO_reset(out_);
}

bool Session::has_ciphertext() const { return BIO_ctrl_pending(out_) > 0; }

void Session::Close() {
  if (!established_ || failure_) return;
  ERR_clear_error();
  SSL_shutdown(ssl_);
  ERR_clear_error();
}

Status Session::PeerEof() {
  if (failure_) return ToError(*failure_);
  if (established_) return OkStatus();
  if (!first_bytes_.empty() && !LooksLikeTls(first_bytes_) &&
      static_cast<unsigned char>(first_bytes_[0]) != 21) {
    ERR_clear_error();
    return Fail(Classify(ssl_, first_bytes_, is_server_));
  }
  return Fail({FailureKind::kPeerClosed,
               std::string("the ") + (is_server_ ? "client" : "server") +
                   " closed the connection during the TLS handshake"});
}

PeerInfo Session::info() const {
  PeerInfo info;
  if (!established_) return info;
  info.version = SSL_get_version(ssl_);
  info.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_));
  const char* sni = SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name);
  if (sni != nullptr && is_server_) info.server_name = sni;
  X509* peer = SSL_get0_peer_certificate(ssl_);
  if (peer != nullptr) {
    char subject[512];
    X509_NAME_oneline(X509_get_subject_name(peer), subject, sizeof(subject));
    info.peer_subject = subject;
    info.peer_verified = SSL_get_verify_result(ssl_) == X509_V_OK;
  }
  return info;
}

}  // namespace smtpspec::agents::tls
