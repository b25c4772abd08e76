// Test-only certificates, made with OpenSSL at test time so that no private
// key is ever committed. One call builds a small PKI in a directory:
//
//   ca               trusted CA (hand its file to clients as the CA file)
//   server           localhost, 127.0.0.1 and ::1, signed by ca
//   expired          like server, but its validity ended yesterday
//   wrong_name       signed by ca, but only for wrong.example.invalid
//   unknown_ca       a server certificate signed by a CA nobody trusts
//   client           a client certificate signed by ca
//   unknown_client   a client certificate signed by the untrusted CA
//
// Keys are ECDSA P-256: quick to generate, so every test can make its own.
#ifndef SMTPSPEC_AGENTS_TESTING_CERTS_H_
#define SMTPSPEC_AGENTS_TESTING_CERTS_H_

#include <string>

#include "engine/result.h"

namespace smtpspec::agents::testing {

// Paths of a PEM certificate and its PEM private key.
struct KeyPair {
  std::string certificate;
  std::string key;
};

struct Pki {
  KeyPair ca;
  KeyPair server;
  KeyPair expired;
  KeyPair wrong_name;
  KeyPair unknown_ca;
  KeyPair client;
  KeyPair unknown_client;
};

// Writes the PKI above into `directory` (which must exist).
Result<Pki> MakePki(const std::string& directory);

// A fresh directory under $TEST_TMPDIR (or /tmp) for one test's files.
Result<std::string> MakeTempDir(const std::string& prefix);

}  // namespace smtpspec::agents::testing

#endif  // SMTPSPEC_AGENTS_TESTING_CERTS_H_
