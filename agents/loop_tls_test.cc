// TLS on the event loop over real loopback sockets: STARTTLS (RFC 3207) in
// the middle of a plaintext conversation, implicit TLS from the first byte
// (RFC 8314 3.3), and the failures a user must be told apart.
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "agents/loop.h"
#include "agents/testing/certs.h"
#include "agents/testing/loop_helpers.h"
#include "gtest/gtest.h"

namespace smtpspec::agents {
namespace {

using testing::Record;
using testing::RunUntil;

// Client side of a STARTTLS exchange with the echo handler: waits for the
// greeting, sends STARTTLS, upgrades on "220 go ahead", then says "hello"
// and QUIT inside TLS.
class StartTlsClient : public testing::RecordingHandler {
 public:
  StartTlsClient(std::shared_ptr<Record> record, tls::Context context,
                 std::string server_name)
      : RecordingHandler(std::move(record)),
        context_(std::move(context)),
        server_name_(std::move(server_name)) {}

  void OnBytes(Connection& connection, std::string_view bytes,
               TimePoint now) override {
    RecordingHandler::OnBytes(connection, bytes, now);
    if (connection.tls() != nullptr) return;
    if (record_->received == "220 ready\r\n") {
      connection.Send("STARTTLS\r\n");
    } else if (record_->received == "220 ready\r\n220 go ahead\r\n") {
      auto session = tls::Session::Client(context_, server_name_);
      ASSERT_TRUE(session.ok()) << session.error().reason;
      ASSERT_TRUE(connection.StartTls(std::move(*session)).ok());
    }
  }

  void OnTlsReady(Connection& connection, TimePoint now) override {
    RecordingHandler::OnTlsReady(connection, now);
    connection.Send("hello\r\nQUIT\r\n");
  }

 private:
  tls::Context context_;
  std::string server_name_;
};

// Sends "hello" and QUIT once open (inside TLS when implicit).
class HelloClient : public testing::RecordingHandler {
 public:
  using RecordingHandler::RecordingHandler;
  void OnOpen(Connection& connection, TimePoint now) override {
    RecordingHandler::OnOpen(connection, now);
    connection.Send("hello\r\nQUIT\r\n");
  }
};

class LoopTlsTest : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    Result<std::string> dir = testing::MakeTempDir("loop_tls_test");
    ASSERT_TRUE(dir.ok());
    Result<testing::Pki> pki = testing::MakePki(*dir);
    ASSERT_TRUE(pki.ok()) << pki.error().reason;
    pki_ = new testing::Pki(*pki);
  }
  static void TearDownTestSuite() { delete pki_; }

  void SetUp() override {
    Result<std::unique_ptr<Loop>> loop = Loop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = std::move(*loop);
  }

  static tls::Context ServerContext(const testing::KeyPair& pair) {
    tls::ServerOptions options;
    options.certificate_file = pair.certificate;
    options.key_file = pair.key;
    Result<tls::Context> context = tls::Context::ForServer(options);
    EXPECT_TRUE(context.ok()) << context.error().reason;
    return *context;
  }
  static tls::Context ClientContext() {
    tls::ClientOptions options;
    options.verify = tls::Verify::kCaFile;
    options.ca_file = pki_->ca.certificate;
    Result<tls::Context> context = tls::Context::ForClient(options);
    EXPECT_TRUE(context.ok()) << context.error().reason;
    return *context;
  }

  Address Listen(testing::EchoOptions echo, ListenOptions listen = {}) {
    Result<Address> bound = loop_->Listen(
        {GetParam(), 0},
        [this, echo](const Address&, const Address&) {
          server_ = std::make_shared<Record>();
          return testing::MakeEchoHandler(server_, echo);
        },
        std::move(listen));
    EXPECT_TRUE(bound.ok()) << bound.error().reason;
    return *bound;
  }

  void Connect(const Address& address, std::unique_ptr<Handler> handler,
               std::optional<tls::Context> implicit = std::nullopt) {
    ConnectOptions options;
    options.implicit_tls = std::move(implicit);
    options.server_name = GetParam();
    ASSERT_TRUE(loop_->Connect(address, std::move(handler), options).ok());
  }

  bool BothClosed() {
    return RunUntil(*loop_, [&] {
      return client_->closed && server_ != nullptr && server_->closed;
    });
  }

  static testing::Pki* pki_;
  std::unique_ptr<Loop> loop_;
  std::shared_ptr<Record> server_;
  std::shared_ptr<Record> client_ = std::make_shared<Record>();
};

testing::Pki* LoopTlsTest::pki_ = nullptr;

INSTANTIATE_TEST_SUITE_P(Loopback, LoopTlsTest,
                         ::testing::Values("127.0.0.1", "::1"));

TEST_P(LoopTlsTest, StartTlsUpgradesAPlaintextConversation) {
  testing::EchoOptions echo;
  echo.tls = ServerContext(pki_->server);
  Address bound = Listen(echo);
  Connect(bound, std::make_unique<StartTlsClient>(client_, ClientContext(),
                                                  GetParam()));
  ASSERT_TRUE(BothClosed());
  EXPECT_EQ(client_->close_error, "");
  EXPECT_EQ(server_->close_error, "");
  EXPECT_TRUE(client_->tls_ready);
  EXPECT_TRUE(server_->tls_ready);
  // Greeting and 220 in plaintext; echo and 221 decrypted from TLS.
  EXPECT_EQ(client_->received,
            "220 ready\r\n220 go ahead\r\nhello\r\n221 bye\r\n");
  EXPECT_EQ(server_->received, "STARTTLS\r\nhello\r\nQUIT\r\n");
}

TEST_P(LoopTlsTest, ImplicitTlsFromTheFirstByte) {
  ListenOptions listen;
  listen.implicit_tls = ServerContext(pki_->server);
  Address bound = Listen({}, std::move(listen));
  Connect(bound, std::make_unique<HelloClient>(client_), ClientContext());
  ASSERT_TRUE(BothClosed());
  EXPECT_EQ(client_->close_error, "");
  EXPECT_TRUE(client_->tls_ready);
  EXPECT_EQ(client_->received, "220 ready\r\nhello\r\n221 bye\r\n");
}

TEST_P(LoopTlsTest, CertificateProblemsEndBothSidesWithClearErrors) {
  struct Case {
    testing::KeyPair testing::Pki::*certificate;
    const char* client_error;
  };
  for (const Case& c : std::vector<Case>{
           {&testing::Pki::unknown_ca, "not signed by a trusted CA"},
           {&testing::Pki::expired, "has expired"},
           {&testing::Pki::wrong_name, "does not name the host"},
       }) {
    SCOPED_TRACE(c.client_error);
    client_ = std::make_shared<Record>();
    ListenOptions listen;
    listen.implicit_tls = ServerContext(pki_->*c.certificate);
    Address bound = Listen({}, std::move(listen));
    Connect(bound, std::make_unique<HelloClient>(client_), ClientContext());
    ASSERT_TRUE(BothClosed());
    EXPECT_NE(client_->close_error.find(c.client_error), std::string::npos)
        << client_->close_error;
    // The client's alert tells the server why (RFC 8446 6.2).
    EXPECT_NE(server_->close_error.find("alert"), std::string::npos)
        << server_->close_error;
    EXPECT_EQ(client_->received, "");  // nothing leaked in plaintext
  }
}

// RFC 8314 port confusion, both ways round.
TEST_P(LoopTlsTest, TlsClientOnAPlaintextPortIsToldTheServerSpokePlaintext) {
  Address bound = Listen({});  // greets "220 ready" in plaintext
  Connect(bound, std::make_unique<HelloClient>(client_), ClientContext());
  ASSERT_TRUE(RunUntil(*loop_, [&] { return client_->closed; }));
  EXPECT_NE(client_->close_error.find("server sent plaintext (\"220 ready"),
            std::string::npos)
      << client_->close_error;
}

TEST_P(LoopTlsTest, PlaintextClientOnATlsPortIsToldApart) {
  ListenOptions listen;
  listen.implicit_tls = ServerContext(pki_->server);
  testing::EchoOptions echo;
  echo.greet = false;
  Address bound = Listen(echo, std::move(listen));
  Connect(bound, std::make_unique<HelloClient>(client_));  // no TLS
  ASSERT_TRUE(BothClosed());
  EXPECT_NE(server_->close_error.find("client sent plaintext (\"hello"),
            std::string::npos)
      << server_->close_error;
  EXPECT_EQ(server_->received, "");
}

// Sessions on different threads share nothing mutable but the TLS
// contexts, which OpenSSL allows; each thread runs its own Loop. (TSan runs
// this.)
TEST_P(LoopTlsTest, LoopsOnSeveralThreadsShareOnlyTheTlsContexts) {
  tls::Context server_context = ServerContext(pki_->server);
  tls::Context client_context = ClientContext();
  const std::string host = GetParam();
  auto run = [&](std::string* outcome) {
    Result<std::unique_ptr<Loop>> loop = Loop::Create();
    if (!loop.ok()) return;
    auto server = std::make_shared<Record>();
    auto client = std::make_shared<Record>();
    ListenOptions listen;
    listen.implicit_tls = server_context;
    Result<Address> bound = (*loop)->Listen(
        {host, 0},
        [&](const Address&, const Address&) {
          return testing::MakeEchoHandler(server, {});
        },
        std::move(listen));
    if (!bound.ok()) return;
    ConnectOptions options;
    options.implicit_tls = client_context;
    options.server_name = host;
    if (!(*loop)
             ->Connect(*bound, std::make_unique<HelloClient>(client), options)
             .ok()) {
      return;
    }
    RunUntil(**loop, [&] { return client->closed; });
    *outcome = client->received + client->close_error;
  };
  std::vector<std::string> outcomes(4);
  std::vector<std::thread> threads;
  for (std::string& outcome : outcomes) threads.emplace_back(run, &outcome);
  for (std::thread& thread : threads) thread.join();
  for (const std::string& outcome : outcomes) {
    EXPECT_EQ(outcome, "220 ready\r\nhello\r\n221 bye\r\n");
  }
}

}  // namespace
}  // namespace smtpspec::agents
