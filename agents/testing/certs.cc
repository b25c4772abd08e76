#include "agents/testing/certs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace smtpspec::agents::testing {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

constexpr long kDay = 24 * 60 * 60;

struct Spec {
  std::string common_name;
  std::string alt_names;  // "DNS:localhost,IP:127.0.0.1" or ""
  bool is_ca = false;
  bool client = false;
  long not_before = -kDay;  // seconds from now
  long not_after = 30 * kDay;
};

// A certificate and key in memory, plus where they were written.
struct Issued {
  KeyPtr key{nullptr, EVP_PKEY_free};
  CertPtr cert{nullptr, X509_free};
  KeyPair files;
};

bool AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

Status WritePem(const std::string& path, EVP_PKEY* key, X509* cert) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return Error{0, "cannot write '" + path + "'"};
  bool ok = key != nullptr ? PEM_write_PrivateKey(file, key, nullptr, nullptr,
                                                  0, nullptr, nullptr) == 1
                           : PEM_write_X509(file, cert) == 1;
  ok = std::fclose(file) == 0 && ok;
  if (!ok) return Error{0, "cannot write PEM to '" + path + "'"};
  return OkStatus();
}

// Issues a certificate for `spec`, signed by `issuer` (self-signed when
// null), and writes NAME.pem and NAME.key into `directory`.
Result<Issued> Issue(const std::string& directory, const std::string& name,
                     const Spec& spec, const Issued* issuer, long serial) {
  Issued out;
  out.key.reset(EVP_EC_gen("P-256"));
  out.cert.reset(X509_new());
  if (!out.key || !out.cert) return Error{0, "cannot generate a key"};
  X509* cert = out.cert.get();
  X509_set_version(cert, 2);  // v3
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), spec.not_before);
  X509_gmtime_adj(X509_getm_notAfter(cert), spec.not_after);
  X509_set_pubkey(cert, out.key.get());
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(
      subject, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1,
      0);
  X509* issuer_cert = issuer ? issuer->cert.get() : cert;
  EVP_PKEY* signing_key = issuer ? issuer->key.get() : out.key.get();
  X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert));
  bool ok = true;
  if (spec.is_ca) {
    ok = ok && AddExtension(cert, issuer_cert, NID_basic_constraints,
                            "critical,CA:TRUE");
    ok = ok && AddExtension(cert, issuer_cert, NID_key_usage,
                            "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && AddExtension(cert, issuer_cert, NID_basic_constraints,
                            "critical,CA:FALSE");
    ok = ok && AddExtension(cert, issuer_cert, NID_key_usage,
                            "critical,digitalSignature");
    ok = ok && AddExtension(cert, issuer_cert, NID_ext_key_usage,
                            spec.client ? "clientAuth" : "serverAuth");
  }
  ok =
      ok && AddExtension(cert, issuer_cert, NID_subject_key_identifier, "hash");
  if (!spec.alt_names.empty()) {
    ok = ok &&
         AddExtension(cert, issuer_cert, NID_subject_alt_name, spec.alt_names);
  }
  if (!ok) return Error{0, "cannot add extensions to '" + name + "'"};
  if (X509_sign(cert, signing_key, EVP_sha256()) == 0) {
    return Error{0, "cannot sign '" + name + "'"};
  }
  out.files.certificate = directory + "/" + name + ".pem";
  out.files.key = directory + "/" + name + ".key";
  Status written = WritePem(out.files.certificate, nullptr, cert);
  if (written.ok()) written = WritePem(out.files.key, out.key.get(), nullptr);
  if (!written.ok()) return written.error();
  return out;
}

}  // namespace

Result<Pki> MakePki(const std::string& directory) {
  const std::string kLocal = "DNS:localhost,IP:127.0.0.1,IP:::1";
  Result<Issued> ca = Issue(
      directory, "ca", {"smtpspec test CA", "", /*is_ca=*/true}, nullptr, 1);
  if (!ca.ok()) return ca.error();
  Result<Issued> rogue_ca =
      Issue(directory, "rogue-ca", {"untrusted test CA", "", /*is_ca=*/true},
            nullptr, 2);
  if (!rogue_ca.ok()) return rogue_ca.error();

  struct Leaf {
    const char* name;
    Spec spec;
    const Issued* issuer;
    KeyPair Pki::*slot;
  };
  Spec expired{"localhost", kLocal};
  expired.not_before = -30 * kDay;
  expired.not_after = -kDay;
  Spec client{"smtpspec test client", "DNS:client.localhost"};
  client.client = true;
  const std::vector<Leaf> leaves = {
      {"server", {"localhost", kLocal}, &*ca, &Pki::server},
      {"expired", expired, &*ca, &Pki::expired},
      {"wrong-name",
       {"wrong.example.invalid", "DNS:wrong.example.invalid"},
       &*ca,
       &Pki::wrong_name},
      {"unknown-ca", {"localhost", kLocal}, &*rogue_ca, &Pki::unknown_ca},
      {"client", client, &*ca, &Pki::client},
      {"unknown-client", client, &*rogue_ca, &Pki::unknown_client},
  };
  Pki pki;
  pki.ca = ca->files;
  long serial = 10;
  for (const Leaf& leaf : leaves) {
    Result<Issued> issued =
        Issue(directory, leaf.name, leaf.spec, leaf.issuer, serial++);
    if (!issued.ok()) return issued.error();
    pki.*leaf.slot = issued->files;
  }
  return pki;
}

Result<std::string> MakeTempDir(const std::string& prefix) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string templ =
      std::string(base != nullptr ? base : "/tmp") + "/" + prefix + "XXXXXX";
  std::vector<char> buffer(templ.begin(), templ.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    return Error{0, "cannot create a directory from '" + templ + "'"};
  }
  return std::string(buffer.data());
}

}  // namespace smtpspec::agents::testing
