// The reference client against the reference server over real loopback
// sockets: plain, STARTTLS (RFC 3207) and implicit TLS (RFC 8314), IPv4
// and IPv6, the STARTTLS policies, client certificates, and TLS failures
// that must end in a clear error. Certificates are made at test time.
#include "agents/client/session.h"

#include <chrono>

#include "agents/server/testing/running_server.h"
#include "agents/sink.h"
#include "agents/testing/certs.h"
#include "gtest/gtest.h"

namespace smtpspec::agents::client {
namespace {

using server::testing::RunningServer;
using namespace std::chrono_literals;
namespace engine = smtpspec::client;

class ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::string> dir = agents::testing::MakeTempDir("client_test");
    ASSERT_TRUE(dir.ok());
    dir_ = new std::string(*dir);
    Result<agents::testing::Pki> pki = agents::testing::MakePki(*dir);
    ASSERT_TRUE(pki.ok()) << pki.error().reason;
    pki_ = new agents::testing::Pki(*pki);
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }

  // A server with `cert` for STARTTLS and an implicit-TLS listener, its
  // messages in a fresh maildir.
  void StartServer(const agents::testing::KeyPair* cert,
                   const std::string& host = "127.0.0.1") {
    config::Server config = server::testing::TestConfig();
    config.listen = {Address{host, 0}};
    maildir_ = *dir_ + "/md" + std::to_string(++servers_);
    config.sink = {sink::Kind::kMaildir, maildir_};
    if (cert != nullptr) {
      config.tls.certificate = cert->certificate;
      config.tls.key = cert->key;
      config.tls.implicit_listen = {Address{host, 0}};
      config.tls.client_certificate = client_certificate_;
      if (client_certificate_ != tls::ClientCertificate::kNone) {
        config.tls.client_ca = pki_->ca.certificate;
      }
    }
    auto server = RunningServer::Start(config);
    ASSERT_TRUE(server.ok()) << server.error().reason;
    server_ = std::move(*server);
  }

  Options BaseOptions(engine::TlsPolicy policy) {
    Options options;
    options.server = server_->address();
    options.server_name = "localhost";
    options.session.domain = "client.example";
    options.session.tls = policy;
    options.tls.verify = tls::Verify::kCaFile;
    options.tls.ca_file = pki_->ca.certificate;
    options.connect_timeout = 5s;
    return options;
  }

  static engine::Message Message() {
    engine::Message message;
    Mailbox from{"alice", Domain{Domain::Kind::kName, "a.example", ""}};
    Mailbox to{"bob", Domain{Domain::Kind::kName, "b.example", ""}};
    message.reverse_path.mailbox = from;
    message.recipients.push_back(Path{Path::Kind::kMailbox, {}, to});
    message.body = "Subject: test\r\n\r\n.leading dot\r\nbye\r\n";
    return message;
  }

  Report Send(const Options& options) {
    Result<Session> session = Session::Create(options);
    EXPECT_TRUE(session.ok()) << session.error().reason;
    if (!session.ok()) return {};
    Result<Report> report = session->Send({Message()});
    EXPECT_TRUE(report.ok()) << report.error().reason;
    return report.ok() ? *report : Report{};
  }

  std::vector<sink::Message> Stored() {
    Result<std::vector<sink::Message>> stored = sink::ReadMaildir(maildir_);
    EXPECT_TRUE(stored.ok()) << stored.error().reason;
    return stored.ok() ? *stored : std::vector<sink::Message>{};
  }

  // The message arrived once, exactly, with TLS as `tls` says.
  void ExpectDelivered(const Report& report, bool tls) {
    EXPECT_TRUE(AllAccepted(report)) << Summary(report);
    EXPECT_EQ(report.outcome.ending, engine::Ending::kQuit);
    EXPECT_EQ(report.tls.has_value(), tls);
    std::vector<sink::Message> stored = Stored();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].data, Message().body);
    EXPECT_EQ(stored[0].envelope.reverse_path, "alice@a.example");
    EXPECT_EQ(stored[0].envelope.tls, tls);
  }

  // Nothing was delivered, and the report says why in words containing
  // `words`.
  void ExpectTlsFailure(const Report& report, const std::string& words) {
    EXPECT_FALSE(AllAccepted(report));
    EXPECT_NE(report.error.find(words), std::string::npos)
        << "error: '" << report.error << "'; summary: " << Summary(report);
    EXPECT_TRUE(Stored().empty());
  }

  static std::string* dir_;
  static agents::testing::Pki* pki_;
  tls::ClientCertificate client_certificate_ = tls::ClientCertificate::kNone;
  std::unique_ptr<RunningServer> server_;
  std::string maildir_;
  static int servers_;
};

std::string* ClientTest::dir_ = nullptr;
agents::testing::Pki* ClientTest::pki_ = nullptr;
int ClientTest::servers_ = 0;

TEST_F(ClientTest, PlainIpv4) {
  StartServer(nullptr);
  ExpectDelivered(Send(BaseOptions(engine::TlsPolicy::kOff)), false);
}

TEST_F(ClientTest, PlainIpv6) {
  StartServer(nullptr, "::1");
  ExpectDelivered(Send(BaseOptions(engine::TlsPolicy::kOff)), false);
}

// RFC 3207: STARTTLS, then the whole transaction inside TLS.
TEST_F(ClientTest, StartTlsRequired) {
  StartServer(&pki_->server);
  Report report = Send(BaseOptions(engine::TlsPolicy::kRequired));
  ExpectDelivered(report, true);
  ASSERT_TRUE(report.tls.has_value());
  EXPECT_FALSE(report.tls->version.empty());
}

TEST_F(ClientTest, StartTlsIpv6) {
  StartServer(&pki_->server, "::1");
  ExpectDelivered(Send(BaseOptions(engine::TlsPolicy::kRequired)), true);
}

// Opportunistic: TLS when offered, clear text when not.
TEST_F(ClientTest, StartTlsOpportunistic) {
  StartServer(&pki_->server);
  ExpectDelivered(Send(BaseOptions(engine::TlsPolicy::kOpportunistic)), true);
}

TEST_F(ClientTest, OpportunisticWithoutTlsGoesInClear) {
  StartServer(nullptr);
  ExpectDelivered(Send(BaseOptions(engine::TlsPolicy::kOpportunistic)), false);
}

// RFC 3207 4: a client that requires TLS sends nothing in clear.
TEST_F(ClientTest, RequiredWithoutTlsSendsNothing) {
  StartServer(nullptr);
  Report report = Send(BaseOptions(engine::TlsPolicy::kRequired));
  EXPECT_FALSE(AllAccepted(report));
  EXPECT_EQ(report.outcome.ending, engine::Ending::kTlsUnavailable);
  EXPECT_TRUE(Stored().empty());
}

// RFC 8314 3.3: implicit TLS from the first byte.
TEST_F(ClientTest, ImplicitTls) {
  StartServer(&pki_->server);
  Options options = BaseOptions(engine::TlsPolicy::kOff);
  options.server = server_->server().implicit_tls().front();
  options.implicit_tls = true;
  ExpectDelivered(Send(options), true);
}

TEST_F(ClientTest, ImplicitTlsIpv6) {
  StartServer(&pki_->server, "::1");
  Options options = BaseOptions(engine::TlsPolicy::kOff);
  options.server = server_->server().implicit_tls().front();
  options.implicit_tls = true;
  ExpectDelivered(Send(options), true);
}

TEST_F(ClientTest, UnknownCa) {
  StartServer(&pki_->unknown_ca);
  ExpectTlsFailure(Send(BaseOptions(engine::TlsPolicy::kRequired)),
                   "not signed by a trusted CA");
}

TEST_F(ClientTest, WrongName) {
  StartServer(&pki_->wrong_name);
  ExpectTlsFailure(Send(BaseOptions(engine::TlsPolicy::kRequired)),
                   "does not name the host");
}

TEST_F(ClientTest, Expired) {
  StartServer(&pki_->expired);
  Options options = BaseOptions(engine::TlsPolicy::kOff);
  options.server = server_->server().implicit_tls().front();
  options.implicit_tls = true;
  ExpectTlsFailure(Send(options), "has expired");
}

// RFC 8314 port confusion: TLS spoken to a plaintext SMTP port.
TEST_F(ClientTest, PlaintextPeerOnTlsPort) {
  StartServer(nullptr);
  Options options = BaseOptions(engine::TlsPolicy::kOff);
  options.implicit_tls = true;
  ExpectTlsFailure(Send(options), "plaintext");
}

// Verification off is an explicit choice; then any certificate will do.
TEST_F(ClientTest, VerificationOff) {
  StartServer(&pki_->unknown_ca);
  Options options = BaseOptions(engine::TlsPolicy::kRequired);
  options.tls.verify = tls::Verify::kOff;
  ExpectDelivered(Send(options), true);
}

// RFC 8446 4.3.2: a server that requires a client certificate.
TEST_F(ClientTest, ClientCertificate) {
  client_certificate_ = tls::ClientCertificate::kRequire;
  StartServer(&pki_->server);
  Options options = BaseOptions(engine::TlsPolicy::kRequired);
  options.tls.certificate_file = pki_->client.certificate;
  options.tls.key_file = pki_->client.key;
  ExpectDelivered(Send(options), true);
}

TEST_F(ClientTest, MissingClientCertificateFails) {
  client_certificate_ = tls::ClientCertificate::kRequire;
  StartServer(&pki_->server);
  Report report = Send(BaseOptions(engine::TlsPolicy::kRequired));
  EXPECT_FALSE(AllAccepted(report));
  EXPECT_TRUE(Stored().empty());
  EXPECT_FALSE(report.error.empty() && !report.outcome.error.has_value())
      << Summary(report);
}

TEST_F(ClientTest, ConnectionRefused) {
  StartServer(nullptr);
  Options options = BaseOptions(engine::TlsPolicy::kOff);
  server_->Stop();  // nothing listens there any more
  Report report = Send(options);
  EXPECT_FALSE(AllAccepted(report));
  EXPECT_FALSE(report.error.empty()) << Summary(report);
}

// A body larger than the loop's output limit goes out in bounded pieces
// (RFC 1870: under the server's SIZE of 10 MB).
TEST_F(ClientTest, NineMegabyteMessage) {
  StartServer(nullptr);
  engine::Message big = Message();
  std::string line(998, 'x');
  line += "\r\n";
  big.body.clear();
  while (big.body.size() < 9 * 1024 * 1024) big.body += line;
  Result<Session> session =
      Session::Create(BaseOptions(engine::TlsPolicy::kOff));
  ASSERT_TRUE(session.ok());
  Result<Report> report = session->Send({big});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(AllAccepted(*report)) << Summary(*report);
  std::vector<sink::Message> stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].data.size(), big.body.size());
}

TEST_F(ClientTest, OneSendPerSession) {
  StartServer(nullptr);
  Result<Session> session =
      Session::Create(BaseOptions(engine::TlsPolicy::kOff));
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(session->Send({Message()}).ok());
  EXPECT_FALSE(session->Send({Message()}).ok());
}

TEST_F(ClientTest, MissingCaFileIsReportedAtCreate) {
  Options options;
  options.session.tls = engine::TlsPolicy::kRequired;
  options.tls.verify = tls::Verify::kCaFile;
  options.tls.ca_file = "/nonexistent/ca.pem";
  EXPECT_FALSE(Session::Create(options).ok());
}

}  // namespace
}  // namespace smtpspec::agents::client
