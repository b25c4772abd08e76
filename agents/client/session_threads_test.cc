// Several threads each drive their own client Session at the same time,
// sharing nothing mutable (issue 5: the seed library asked for this). Run
// under TSan: bazel test --config=tsan //agents/client:session_threads_test
#include <atomic>
#include <thread>
#include <vector>

#include "agents/client/session.h"
#include "agents/server/testing/running_server.h"
#include "agents/testing/certs.h"
#include "gtest/gtest.h"

namespace smtpspec::agents::client {
namespace {

namespace engine = smtpspec::client;

TEST(SessionThreadsTest, ConcurrentSessionsOverStartTls) {
  Result<std::string> dir = agents::testing::MakeTempDir("client_threads");
  ASSERT_TRUE(dir.ok());
  Result<agents::testing::Pki> pki = agents::testing::MakePki(*dir);
  ASSERT_TRUE(pki.ok()) << pki.error().reason;
  config::Server config = server::testing::TestConfig();
  config.tls.certificate = pki->server.certificate;
  config.tls.key = pki->server.key;
  auto server = server::testing::RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;

  Options options;
  options.server = (*server)->address();
  options.server_name = "localhost";
  options.session.tls = engine::TlsPolicy::kRequired;
  options.tls.verify = tls::Verify::kCaFile;
  options.tls.ca_file = pki->ca.certificate;
  engine::Message message;
  message.reverse_path.kind = Path::Kind::kNull;
  message.recipients.push_back(
      Path{Path::Kind::kPostmaster, {}, {"postmaster", {}}});
  message.body = "Subject: threads\r\n\r\nhello\r\n";

  constexpr int kThreads = 4;
  constexpr int kSessionsEach = 5;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&options, &message, &accepted] {
      for (int i = 0; i < kSessionsEach; ++i) {
        // Each thread its own Session (and so its own loop and TLS).
        Result<Session> session = Session::Create(options);
        if (!session.ok()) continue;
        Result<Report> report = session->Send({message, message});
        if (report.ok() && AllAccepted(*report)) ++accepted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), kThreads * kSessionsEach);
}

}  // namespace
}  // namespace smtpspec::agents::client
