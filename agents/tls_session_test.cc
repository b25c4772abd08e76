// TLS sessions pumped into each other in memory: handshakes, data, and each
// failure a user must be able to tell apart (RFC 8446; names per RFC 6125).
#include "agents/tls_session.h"

#include <memory>
#include <string>

#include "agents/testing/certs.h"
#include "gtest/gtest.h"

namespace smtpspec::agents::tls {
namespace {

using testing::Pki;

class TlsSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::string> dir = testing::MakeTempDir("tls_session_test");
    ASSERT_TRUE(dir.ok()) << dir.error().reason;
    Result<Pki> pki = testing::MakePki(*dir);
    ASSERT_TRUE(pki.ok()) << pki.error().reason;
    pki_ = new Pki(*pki);
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  static Context Server(const testing::KeyPair& pair,
                        ClientCertificate policy = ClientCertificate::kNone) {
    Result<Context> context = Context::ForServer(
        {pair.certificate, pair.key, policy,
         policy == ClientCertificate::kNone ? "" : pki_->ca.certificate});
    EXPECT_TRUE(context.ok()) << context.error().reason;
    return *context;
  }
  static Context Client(Verify verify = Verify::kCaFile,
                        const testing::KeyPair* cert = nullptr) {
    ClientOptions options;
    options.verify = verify;
    options.ca_file = pki_->ca.certificate;
    if (cert != nullptr) {
      options.certificate_file = cert->certificate;
      options.key_file = cert->key;
    }
    Result<Context> context = Context::ForClient(options);
    EXPECT_TRUE(context.ok()) << context.error().reason;
    return *context;
  }

  // Moves ciphertext between the two sessions, `step` bytes a Feed, until
  // neither has anything to send or one has failed.
  static void Pump(Session& client, Session& server,
                   std::size_t step = 1 << 20) {
    for (int round = 0; round < 100; ++round) {
      std::string to_server, to_client;
      client.TakeCiphertext(to_server);
      server.TakeCiphertext(to_client);
      if (to_server.empty() && to_client.empty()) return;
      for (std::size_t i = 0; i < to_server.size() && !server.failure();
           i += step) {
        (void)server.Feed(std::string_view(to_server).substr(i, step),
                          server_plain_);
      }
      for (std::size_t i = 0; i < to_client.size() && !client.failure();
           i += step) {
        (void)client.Feed(std::string_view(to_client).substr(i, step),
                          client_plain_);
      }
    }
    ADD_FAILURE() << "handshake did not settle";
  }

  void SetUp() override {
    client_plain_.clear();
    server_plain_.clear();
  }

  static Pki* pki_;
  static std::string client_plain_;
  static std::string server_plain_;
};

Pki* TlsSessionTest::pki_ = nullptr;
std::string TlsSessionTest::client_plain_;
std::string TlsSessionTest::server_plain_;

TEST_F(TlsSessionTest, HandshakeAndDataBothWaysWholeAndByteByByte) {
  for (std::size_t step :
       {std::size_t{1} << 20, std::size_t{1}, std::size_t{7}}) {
    SCOPED_TRACE(step);
    SetUp();
    Context server_context = Server(pki_->server);
    Context client_context = Client();
    auto client = Session::Client(client_context, "localhost");
    auto server = Session::Server(server_context);
    ASSERT_TRUE(client.ok() && server.ok());
    // Written before the handshake: held, then sent encrypted.
    ASSERT_TRUE((*client)->Write("EHLO client.example\r\n").ok());
    Pump(**client, **server, step);
    ASSERT_FALSE((*client)->failure()) << (*client)->failure()->reason;
    ASSERT_FALSE((*server)->failure()) << (*server)->failure()->reason;
    EXPECT_TRUE((*client)->established());
    EXPECT_TRUE((*server)->established());
    EXPECT_EQ(server_plain_, "EHLO client.example\r\n");
    ASSERT_TRUE((*server)->Write("250 hello\r\n").ok());
    Pump(**client, **server, step);
    EXPECT_EQ(client_plain_, "250 hello\r\n");
    PeerInfo info = (*server)->info();
    EXPECT_EQ(info.server_name, "localhost");  // RFC 6066 3: SNI sent
    EXPECT_FALSE(info.version.empty());
    EXPECT_TRUE((*client)->info().peer_verified);
    // RFC 8446 6.1: close_notify is seen as a clean close.
    (*client)->Close();
    Pump(**client, **server, step);
    EXPECT_TRUE((*server)->peer_closed());
  }
}

TEST_F(TlsSessionTest, VerifiesIpLiteralsWithoutSni) {
  for (const char* ip : {"127.0.0.1", "::1"}) {
    Context server_context = Server(pki_->server);
    Context client_context = Client();
    auto client = Session::Client(client_context, ip);
    auto server = Session::Server(server_context);
    ASSERT_TRUE(client.ok() && server.ok());
    Pump(**client, **server);
    EXPECT_TRUE((*client)->established()) << ip;
    // RFC 6066 3: literal IP addresses are not permitted in SNI.
    EXPECT_EQ((*server)->info().server_name, "");
  }
}

struct FailureCase {
  const char* name;
  testing::KeyPair Pki::*server_cert;
  const char* host;
  FailureKind client_sees;
  const char* reason_part;
};

TEST_F(TlsSessionTest, EachCertificateProblemHasItsOwnClearError) {
  for (const FailureCase& c : std::vector<FailureCase>{
           {"unknown CA", &Pki::unknown_ca, "localhost",
            FailureKind::kUnknownCa, "not signed by a trusted CA"},
           {"wrong name", &Pki::wrong_name, "localhost",
            FailureKind::kWrongName, "does not name the host"},
           {"wrong name for IP", &Pki::wrong_name, "127.0.0.1",
            FailureKind::kWrongName, "IP address mismatch"},
           {"expired", &Pki::expired, "localhost", FailureKind::kExpired,
            "certificate has expired"},
       }) {
    SCOPED_TRACE(c.name);
    Context server_context = Server(pki_->*c.server_cert);
    Context client_context = Client();
    auto client = Session::Client(client_context, c.host);
    auto server = Session::Server(server_context);
    ASSERT_TRUE(client.ok() && server.ok());
    Pump(**client, **server);
    ASSERT_TRUE((*client)->failure().has_value());
    EXPECT_EQ(KindName((*client)->failure()->kind), KindName(c.client_sees));
    EXPECT_NE((*client)->failure()->reason.find(c.reason_part),
              std::string::npos)
        << (*client)->failure()->reason;
    // The client's alert tells the server it was rejected.
    ASSERT_TRUE((*server)->failure().has_value());
    EXPECT_EQ((*server)->failure()->kind, FailureKind::kRejectedByPeer)
        << (*server)->failure()->reason;
  }
}

TEST_F(TlsSessionTest, VerificationOffAcceptsAnyCertificate) {
  Context server_context = Server(pki_->unknown_ca);
  Context client_context = Client(Verify::kOff);
  auto client = Session::Client(client_context, "");
  auto server = Session::Server(server_context);
  ASSERT_TRUE(client.ok() && server.ok());
  Pump(**client, **server);
  EXPECT_TRUE((*client)->established());
  EXPECT_FALSE((*client)->info().peer_verified);
}

TEST_F(TlsSessionTest, VerifyingNeedsAServerName) {
  Context client_context = Client();
  auto client = Session::Client(client_context, "");
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.error().reason.find("name of the server"),
            std::string::npos);
}

// RFC 8314 port confusion: a plaintext SMTP server greets a TLS client.
TEST_F(TlsSessionTest, ClientFacingPlaintextServerSaysSo) {
  Context client_context = Client();
  auto client = Session::Client(client_context, "localhost");
  ASSERT_TRUE(client.ok());
  std::string plain;
  Status fed = (*client)->Feed("220 mx.example ESMTP ready\r\n", plain);
  ASSERT_FALSE(fed.ok());
  EXPECT_EQ((*client)->failure()->kind, FailureKind::kNotTls);
  EXPECT_NE(fed.error().reason.find("server sent plaintext (\"220 mx"),
            std::string::npos)
      << fed.error().reason;
}

TEST_F(TlsSessionTest, ServerFacingPlaintextClientSaysSo) {
  Context server_context = Server(pki_->server);
  auto server = Session::Server(server_context);
  ASSERT_TRUE(server.ok());
  std::string plain;
  // One byte at a time: OpenSSL waits for a record header first.
  std::string_view input = "EHLO client.example\r\n";
  Status fed = OkStatus();
  for (std::size_t i = 0; i < input.size() && fed.ok(); ++i) {
    fed = (*server)->Feed(input.substr(i, 1), plain);
  }
  if (fed.ok()) fed = (*server)->PeerEof();
  ASSERT_FALSE(fed.ok());
  EXPECT_EQ((*server)->failure()->kind, FailureKind::kNotTls);
  EXPECT_NE(fed.error().reason.find("client sent plaintext (\"EHLO"),
            std::string::npos)
      << fed.error().reason;
}

TEST_F(TlsSessionTest, ClientHelloLooksLikeTlsAndSmtpDoesNot) {
  Context client_context = Client();
  auto client = Session::Client(client_context, "localhost");
  ASSERT_TRUE(client.ok());
  std::string hello;
  (*client)->TakeCiphertext(hello);
  EXPECT_TRUE(LooksLikeTls(hello));
  EXPECT_FALSE(LooksLikeTls("EHLO x\r\n"));
  EXPECT_FALSE(LooksLikeTls(""));
}

TEST_F(TlsSessionTest, PeerClosingMidHandshakeIsReported) {
  Context server_context = Server(pki_->server);
  Context client_context = Client();
  auto client = Session::Client(client_context, "localhost");
  auto server = Session::Server(server_context);
  ASSERT_TRUE(client.ok() && server.ok());
  std::string hello, plain;
  (*client)->TakeCiphertext(hello);
  ASSERT_TRUE((*server)->Feed(hello, plain).ok());
  Status eof = (*server)->PeerEof();
  ASSERT_FALSE(eof.ok());
  EXPECT_EQ((*server)->failure()->kind, FailureKind::kPeerClosed);
}

TEST_F(TlsSessionTest, ClientCertificatePolicies) {
  struct Case {
    const char* name;
    ClientCertificate policy;
    const testing::KeyPair* cert;
    bool ok;
    FailureKind server_sees;
  };
  for (const Case& c : std::vector<Case>{
           {"required, valid", ClientCertificate::kRequire, &pki_->client, true,
            FailureKind::kProtocol},
           {"required, missing", ClientCertificate::kRequire, nullptr, false,
            FailureKind::kNoCertificate},
           {"required, unknown CA", ClientCertificate::kRequire,
            &pki_->unknown_client, false, FailureKind::kUnknownCa},
           {"requested, missing", ClientCertificate::kRequest, nullptr, true,
            FailureKind::kProtocol},
       }) {
    SCOPED_TRACE(c.name);
    Context server_context = Server(pki_->server, c.policy);
    Context client_context = Client(Verify::kCaFile, c.cert);
    auto client = Session::Client(client_context, "localhost");
    auto server = Session::Server(server_context);
    ASSERT_TRUE(client.ok() && server.ok());
    ASSERT_TRUE((*client)->Write("x").ok());  // TLS 1.3: verified on data
    Pump(**client, **server);
    if (c.ok) {
      EXPECT_FALSE((*server)->failure().has_value())
          << (*server)->failure()->reason;
      EXPECT_EQ((*server)->info().peer_verified, c.cert != nullptr);
    } else {
      ASSERT_TRUE((*server)->failure().has_value());
      EXPECT_EQ(KindName((*server)->failure()->kind), KindName(c.server_sees))
          << (*server)->failure()->reason;
    }
  }
}

TEST_F(TlsSessionTest, BadFilesAreNamedInTheError) {
  ServerOptions options;
  options.certificate_file = "/nonexistent/cert.pem";
  options.key_file = pki_->server.key;
  Result<Context> missing = Context::ForServer(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().reason.find("/nonexistent/cert.pem"),
            std::string::npos);
  options.certificate_file = pki_->server.certificate;
  options.key_file = pki_->client.key;
  Result<Context> mismatched = Context::ForServer(options);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.error().reason.find("does not match"), std::string::npos)
      << mismatched.error().reason;
}

}  // namespace
}  // namespace smtpspec::agents::tls
