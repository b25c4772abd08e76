// The event loop over real loopback sockets, IPv4 and IPv6: accepting,
// echoing, idle timeouts (RFC 5321 4.5.3.2.7 is what sessions build on
// them), the connection limit, graceful shutdown (RFC 5321 3.8: 421 before
// closing), backpressure and outbound connects.
#include "agents/loop.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "agents/testing/loop_helpers.h"
#include "gtest/gtest.h"

namespace smtpspec::agents {
namespace {

using std::chrono::milliseconds;
using testing::ConnectRaw;
using testing::ReadAvailable;
using testing::Record;
using testing::RunUntil;
using testing::WriteAll;

class LoopTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { MakeLoop({}); }

  // Small socket buffers on both sides, so that a megabyte or two of output
  // is more than the kernel holds and the loop's own queue is exercised.
  static constexpr int kSocketBuffer = 16 * 1024;
  static constexpr std::size_t kBig = 2 * 1024 * 1024;
  void TearDown() override {
    for (int fd : fds_) close(fd);
  }

  void MakeLoop(const LoopOptions& options) {
    Result<std::unique_ptr<Loop>> loop = Loop::Create(options);
    ASSERT_TRUE(loop.ok()) << loop.error().reason;
    loop_ = std::move(*loop);
  }

  // Listens on the parameter's loopback address, port 0; each accepted
  // connection gets an echo handler recording into records_.
  Address ListenEcho(testing::EchoOptions options = {},
                     ListenOptions listen = {}) {
    Result<Address> bound = loop_->Listen(
        {GetParam(), 0},
        [this, options](const Address&, const Address&) {
          records_.push_back(std::make_shared<Record>());
          return testing::MakeEchoHandler(records_.back(), options);
        },
        std::move(listen));
    EXPECT_TRUE(bound.ok()) << bound.error().reason;
    return bound.ok() ? *bound : Address{};
  }

  int Connect(const Address& address) {
    int fd = ConnectRaw(address, kSocketBuffer);
    EXPECT_GE(fd, 0);
    fds_.push_back(fd);
    return fd;
  }

  // Runs the loop until `fd` has delivered `want` (or EOF, or 5 s).
  std::string ReadUntil(int fd, const std::string& want, bool* eof = nullptr) {
    std::string got;
    bool closed = false;
    RunUntil(*loop_, [&] {
      // Search only what is new (and a possible match across the seam).
      std::size_t from =
          got.size() < want.size() ? 0 : got.size() - want.size();
      got += ReadAvailable(fd, &closed);
      return closed || got.find(want, from) != std::string::npos;
    });
    if (eof != nullptr) *eof = closed;
    if (closed) shutdown(fd, SHUT_WR);  // as a peer does on EOF
    return got;
  }

  bool WaitForEof(int fd) {
    bool closed = false;
    RunUntil(*loop_, [&] {
      ReadAvailable(fd, &closed);
      return closed;
    });
    if (closed) shutdown(fd, SHUT_WR);
    return closed;
  }

  std::unique_ptr<Loop> loop_;
  std::vector<std::shared_ptr<Record>> records_;
  std::vector<int> fds_;
};

INSTANTIATE_TEST_SUITE_P(Loopback, LoopTest,
                         ::testing::Values("127.0.0.1", "::1"));

TEST_P(LoopTest, PortZeroPicksAFreePortAndEchoes) {
  Address bound = ListenEcho();
  EXPECT_EQ(bound.host, GetParam());
  EXPECT_NE(bound.port, 0);
  int fd = Connect(bound);
  EXPECT_EQ(ReadUntil(fd, "\r\n"), "220 ready\r\n");
  ASSERT_TRUE(WriteAll(fd, "hello\r\n"));
  EXPECT_EQ(ReadUntil(fd, "hello\r\n"), "hello\r\n");
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0]->opened, 1);
}

TEST_P(LoopTest, InputSplitAnywhereArrivesIntact) {
  int fd = Connect(ListenEcho());
  ReadUntil(fd, "\r\n");
  std::string input = "one\r\ntwo\r\nthree\r\n";
  for (char c : input) {  // one byte a write, the loop running in between
    ASSERT_TRUE(WriteAll(fd, std::string(1, c)));
    loop_->RunOnce(milliseconds(1)).ok();
  }
  EXPECT_EQ(ReadUntil(fd, "three\r\n"), input);
  EXPECT_EQ(records_[0]->received, input);
}

TEST_P(LoopTest, QuitClosesAfterTheLastReplyIsWritten) {
  int fd = Connect(ListenEcho());
  ReadUntil(fd, "\r\n");
  ASSERT_TRUE(WriteAll(fd, "QUIT\r\n"));
  bool eof = false;
  EXPECT_EQ(ReadUntil(fd, "never", &eof), "221 bye\r\n");
  EXPECT_TRUE(eof);
  ASSERT_TRUE(RunUntil(*loop_, [&] { return records_[0]->closed; }));
  EXPECT_EQ(records_[0]->close_error, "");
  EXPECT_EQ(loop_->connection_count(), 0u);
}

TEST_P(LoopTest, IdleConnectionsAreTimedOut) {
  testing::EchoOptions options;
  options.idle = milliseconds(150);
  int fd = Connect(ListenEcho(options));
  auto start = std::chrono::steady_clock::now();
  bool eof = false;
  EXPECT_EQ(ReadUntil(fd, "never", &eof), "220 ready\r\n421 idle\r\n");
  EXPECT_TRUE(eof);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(150));
}

TEST_P(LoopTest, ConnectionLimitRefusesTheExtraOnesWithTheRefusal) {
  MakeLoop({.max_connections = 2});
  ListenOptions listen;
  listen.refusal = "421 4.7.0 too busy\r\n";
  Address bound = ListenEcho({}, std::move(listen));
  int first = Connect(bound);
  int second = Connect(bound);
  ReadUntil(first, "\r\n");
  ReadUntil(second, "\r\n");
  int third = Connect(bound);
  bool eof = false;
  EXPECT_EQ(ReadUntil(third, "never", &eof), "421 4.7.0 too busy\r\n");
  EXPECT_TRUE(eof);
  EXPECT_EQ(records_.size(), 2u);
  // A freed slot is usable again.
  ASSERT_TRUE(WriteAll(first, "QUIT\r\n"));
  ASSERT_TRUE(WaitForEof(first));
  ASSERT_TRUE(RunUntil(*loop_, [&] { return loop_->connection_count() == 1; }));
  int fourth = Connect(bound);
  EXPECT_EQ(ReadUntil(fourth, "\r\n"), "220 ready\r\n");
}

TEST_P(LoopTest, ShutdownSays421AndFinishesWritesInProgress) {
  MakeLoop({.socket_send_buffer = kSocketBuffer});
  Address bound = ListenEcho();
  int fd = Connect(bound);
  ReadUntil(fd, "\r\n");
  // Queue more than the socket buffers take, then shut down at once.
  ASSERT_TRUE(WriteAll(fd, "BIG " + std::to_string(kBig) + "\r\n"));
  ASSERT_TRUE(RunUntil(*loop_, [&] { return records_[0]->bytes_calls > 0; }));
  loop_->Shutdown();
  EXPECT_TRUE(loop_->shutting_down());
  bool eof = false;
  std::string got = ReadUntil(fd, "421 shutting down\r\n", &eof);
  EXPECT_EQ(got.size(), kBig + 19);
  EXPECT_EQ(got.substr(kBig), "421 shutting down\r\n");
  EXPECT_TRUE(WaitForEof(fd));
  // The listener is gone and Run() returns once the last connection is.
  EXPECT_LT(ConnectRaw(bound), 0);
  EXPECT_TRUE(loop_->Run().ok());
  EXPECT_EQ(records_[0]->close_error, "");
}

TEST_P(LoopTest, ShutdownGraceAbortsConnectionsThatWillNotFinish) {
  MakeLoop({.output_high_water = 1024,
            .shutdown_grace = milliseconds(200),
            .socket_send_buffer = kSocketBuffer});
  int fd = Connect(ListenEcho());
  ReadUntil(fd, "\r\n");
  ASSERT_TRUE(WriteAll(fd, "BIG " + std::to_string(kBig) + "\r\n"));
  // ... and never read it.
  ASSERT_TRUE(RunUntil(*loop_, [&] { return records_[0]->bytes_calls > 0; }));
  loop_->Shutdown();
  ASSERT_TRUE(RunUntil(*loop_, [&] { return records_[0]->closed; }));
  EXPECT_NE(records_[0]->close_error.find("grace period"), std::string::npos);
}

TEST_P(LoopTest, SignalStartsTheShutdown) {
  ASSERT_TRUE(loop_->WatchSignals({SIGUSR1}).ok());
  int fd = Connect(ListenEcho());
  ReadUntil(fd, "\r\n");
  // Directed at this thread, which has SIGUSR1 blocked: signalfd gets it.
  ASSERT_EQ(pthread_kill(pthread_self(), SIGUSR1), 0);
  bool eof = false;
  EXPECT_EQ(ReadUntil(fd, "never", &eof), "421 shutting down\r\n");
  EXPECT_TRUE(loop_->shutting_down());
}

TEST_P(LoopTest, BackpressureStopsReadingUntilThePeerReads) {
  MakeLoop(
      {.output_high_water = 64 * 1024, .socket_send_buffer = kSocketBuffer});
  int fd = Connect(ListenEcho());
  ReadUntil(fd, "\r\n");
  ASSERT_TRUE(WriteAll(fd, "BIG " + std::to_string(kBig) + "\r\n"));
  ASSERT_TRUE(RunUntil(*loop_, [&] { return records_[0]->bytes_calls == 1; }));
  ASSERT_TRUE(WriteAll(fd, "ping\r\n"));
  RunUntil(
      *loop_, [] { return false; }, milliseconds(200));
  EXPECT_EQ(records_[0]->bytes_calls, 1u) << "read while backlogged";
  std::string got = ReadUntil(fd, "ping\r\n");
  EXPECT_EQ(got.size(), kBig + 6);
  EXPECT_EQ(records_[0]->bytes_calls, 2u);
}

TEST_P(LoopTest, OutputLimitAbortsAPeerThatNeverReads) {
  MakeLoop({.output_high_water = 1024,
            .output_limit = 1 << 20,
            .socket_send_buffer = kSocketBuffer});
  int fd = Connect(ListenEcho());
  ReadUntil(fd, "\r\n");
  ASSERT_TRUE(WriteAll(fd, "BIG " + std::to_string(kBig) + "\r\n"));
  ASSERT_TRUE(RunUntil(*loop_, [&] { return records_[0]->closed; }));
  EXPECT_NE(records_[0]->close_error.find("the peer is not reading"),
            std::string::npos)
      << records_[0]->close_error;
}

TEST_P(LoopTest, ConnectsOutAndReportsRefusalAndTimeout) {
  Address bound = ListenEcho();
  auto out = std::make_shared<Record>();
  ASSERT_TRUE(loop_
                  ->Connect(bound,
                            std::make_unique<testing::RecordingHandler>(out),
                            {.timeout = milliseconds(1000),
                             .implicit_tls = {},
                             .server_name = ""})
                  .ok());
  ASSERT_TRUE(RunUntil(*loop_, [&] { return out->received.size() >= 11; }));
  EXPECT_EQ(out->opened, 1);
  EXPECT_EQ(out->received, "220 ready\r\n");

  // Refused: a port that was just freed.
  Address closed_port;
  {
    auto probe = Loop::Create();
    Result<Address> bound2 = (*probe)->Listen(
        {GetParam(), 0},
        [](const Address&, const Address&) { return nullptr; });
    ASSERT_TRUE(bound2.ok());
    closed_port = *bound2;
  }
  auto refused = std::make_shared<Record>();
  ASSERT_TRUE(
      loop_
          ->Connect(closed_port,
                    std::make_unique<testing::RecordingHandler>(refused))
          .ok());
  ASSERT_TRUE(RunUntil(*loop_, [&] { return refused->closed; }));
  EXPECT_EQ(refused->opened, 0);
  EXPECT_NE(refused->close_error.find("Connection refused"), std::string::npos)
      << refused->close_error;
}

// A listener whose backlog is full and never accepts: SYNs go unanswered,
// so the connect can only end by its timeout.
TEST_P(LoopTest, ConnectTimesOut) {
  Result<SocketAddress> any = ToSocketAddress({GetParam(), 0});
  ASSERT_TRUE(any.ok());
  int listener = socket(any->storage.ss_family, SOCK_STREAM, 0);
  fds_.push_back(listener);
  ASSERT_EQ(
      bind(listener, reinterpret_cast<sockaddr*>(&any->storage), any->length),
      0);
  ASSERT_EQ(listen(listener, 0), 0);
  sockaddr_storage name{};
  socklen_t length = sizeof(name);
  getsockname(listener, reinterpret_cast<sockaddr*>(&name), &length);
  Address target =
      FromSocketAddress(reinterpret_cast<sockaddr*>(&name), length);
  for (int i = 0; i < 4; ++i) {  // fill the accept queue
    int fd = socket(any->storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
    fds_.push_back(fd);
    connect(fd, reinterpret_cast<sockaddr*>(&name), length);
  }
  auto out = std::make_shared<Record>();
  ASSERT_TRUE(loop_
                  ->Connect(target,
                            std::make_unique<testing::RecordingHandler>(out),
                            {.timeout = milliseconds(300),
                             .implicit_tls = {},
                             .server_name = ""})
                  .ok());
  ASSERT_TRUE(RunUntil(*loop_, [&] { return out->closed; }));
  EXPECT_NE(out->close_error.find("timed out"), std::string::npos)
      << out->close_error;
}

// The loop on its own thread, stopped from the test's thread: the one
// cross-thread call is Interrupt(). (TSan runs this.)
TEST_P(LoopTest, InterruptFromAnotherThreadShutsDown) {
  Address bound = ListenEcho();
  std::thread runner([this] { ASSERT_TRUE(loop_->Run().ok()); });
  int fd = ConnectRaw(bound);
  ASSERT_GE(fd, 0);
  fds_.push_back(fd);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ASSERT_TRUE(WriteAll(fd, "hi\r\n"));
  std::string got;
  char buffer[256];
  while (got.find("hi\r\n") == std::string::npos) {
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    ASSERT_GT(n, 0);
    got.append(buffer, static_cast<std::size_t>(n));
  }
  loop_->Interrupt();
  while (true) {
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    ASSERT_GE(n, 0);
    if (n == 0) break;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  shutdown(fd, SHUT_WR);
  runner.join();
  EXPECT_EQ(got, "220 ready\r\nhi\r\n421 shutting down\r\n");
}

}  // namespace
}  // namespace smtpspec::agents
