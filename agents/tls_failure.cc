#include "agents/tls_failure.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "agents/tls_context.h"

namespace smtpspec::agents::tls {
namespace {

// Printable rendering of the peer's first bytes for the error sentence.
std::string Snippet(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 24)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      out += '.';
    }
  }
  return out;
}

// TLS record content types (RFC 8446 5.1): handshake 22, alert 21.
bool IsRecordStart(unsigned char byte) { return byte == 22 || byte == 21; }

FailureKind KindOfVerifyError(long code) {
  switch (code) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return FailureKind::kUnknownCa;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_EMAIL_MISMATCH:
      return FailureKind::kWrongName;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return FailureKind::kExpired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return FailureKind::kNotYetValid;
    default:
      return FailureKind::kUntrusted;
  }
}

}  // namespace

std::string_view KindName(FailureKind kind) {
  switch (kind) {
    case FailureKind::kNotTls:
      return "not TLS";
    case FailureKind::kUnknownCa:
      return "unknown CA";
    case FailureKind::kWrongName:
      return "wrong name";
    case FailureKind::kExpired:
      return "expired certificate";
    case FailureKind::kNotYetValid:
      return "certificate not yet valid";
    case FailureKind::kUntrusted:
      return "untrusted certificate";
    case FailureKind::kNoCertificate:
      return "no certificate";
    case FailureKind::kRejectedByPeer:
      return "rejected by peer";
    case FailureKind::kPeerClosed:
      return "peer closed";
    case FailureKind::kProtocol:
      return "protocol error";
  }
  return "protocol error";
}

bool LooksLikeTls(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 22 &&
         bytes[1] == 3;
}

Failure Classify(SSL* ssl, std::string_view first_bytes, bool is_server) {
  const char* peer = is_server ? "client" : "server";
  unsigned long code = ERR_peek_last_error();
  std::string openssl = TakeOpenSslError("no reason given");

  if (!first_bytes.empty() &&
      !IsRecordStart(static_cast<unsigned char>(first_bytes[0]))) {
    return {FailureKind::kNotTls,
            std::string("the ") + peer + " sent plaintext (\"" +
                Snippet(first_bytes) +
                "\") instead of a TLS handshake; it is not speaking TLS on "
                "this port (" +
                openssl + ")"};
  }
  long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    FailureKind kind = KindOfVerifyError(verify);
    std::string words = X509_verify_cert_error_string(verify);
    std::string what = std::string("the ") + peer + "'s certificate ";
    switch (kind) {
      case FailureKind::kUnknownCa:
        what += "is not signed by a trusted CA";
        break;
      case FailureKind::kWrongName:
        what += "does not name the host we connected to";
        break;
      case FailureKind::kExpired:
        what += "has expired";
        break;
      case FailureKind::kNotYetValid:
        what += "is not valid yet";
        break;
      default:
        what += "failed verification";
        break;
    }
    return {kind, what + " (" + words + ")"};
  }
  int reason = ERR_GET_REASON(code);
  if (reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
    return {FailureKind::kNoCertificate,
            "the client sent no certificate, and this server requires one (" +
                openssl + ")"};
  }
  // Alerts from the peer arrive as reasons "sslv3 alert ..." / "tlsv1
  // alert ..." (SSL_AD_REASON_OFFSET + the alert number).
  if (reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
    return {FailureKind::kRejectedByPeer,
            std::string("the ") + peer +
                " rejected the handshake with a TLS alert (" + openssl + ")"};
  }
  return {FailureKind::kProtocol, std::string("TLS handshake with the ") +
                                      peer + " failed (" + openssl + ")"};
}

}  // namespace smtpspec::agents::tls
