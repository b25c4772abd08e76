// The server binary as a separate process under 5,000 connections opened
// and dropped (some mid-command, some after garbage): it stays up, answers
// a well-behaved client throughout, its memory stays bounded (VmRSS) and
// it leaks no file descriptors (/proc/<pid>/fd). Also checks the binary's
// contract with `./smtpspec serve`: port 0 prints "listening HOST:PORT"
// first, and SIGTERM ends it with exit status 0 after 421 (RFC 5321 3.8).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "agents/address.h"
#include "agents/server/testing/running_server.h"
#include "gtest/gtest.h"

extern char** environ;

namespace smtpspec::agents::server {
namespace {

using testing::Peer;
using namespace std::chrono_literals;

std::string ServerBinary() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) {
    return "agents/server/smtpspec_server";
  }
  return std::string(srcdir) + "/" + workspace +
         "/agents/server/smtpspec_server";
}

// The server process; killed (by its pid) if the test ends early.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> args) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::string binary = ServerBinary();
    std::vector<char*> argv = {binary.data()};
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    // Under AddressSanitizer freed memory sits in a quarantine (256 MB by
    // default) and counts in VmRSS; a small one measures the server, not
    // the sanitizer.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      env_strings.push_back(*e);
      if (env_strings.back().rfind("ASAN_OPTIONS=", 0) == 0) {
        env_strings.back() += ":quarantine_size_mb=1";
      }
    }
    std::vector<char*> env;
    for (std::string& e : env_strings) env.push_back(e.data());
    env.push_back(nullptr);
    if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(),
                    env.data()) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_ = fdopen(out[0], "r");
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ != nullptr) fclose(stdout_);
  }
  pid_t pid() const { return pid_; }
  // The first line of standard output.
  std::string FirstLine() {
    char line[256] = {};
    if (stdout_ == nullptr || fgets(line, sizeof(line), stdout_) == nullptr) {
      return "";
    }
    return line;
  }
  // SIGTERM, then the exit status.
  int Terminate() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  std::FILE* stdout_ = nullptr;
};

long RssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

std::size_t OpenFds(pid_t pid) {
  std::size_t count = 0;
  for (auto& entry : std::filesystem::directory_iterator(
           "/proc/" + std::to_string(pid) + "/fd")) {
    (void)entry;
    ++count;
  }
  return count;
}

// Waits for the server's fd count to come back to `baseline` (dropped
// connections linger until the peer's FIN is seen).
bool FdsBackTo(pid_t pid, std::size_t baseline) {
  for (int i = 0; i < 100; ++i) {
    if (OpenFds(pid) <= baseline) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

bool WellBehaved(const Address& address) {
  Peer peer(address);
  if (peer.ReadUntil("\r\n").rfind("220 ", 0) != 0) return false;
  peer.Send("EHLO good.example\r\nNOOP\r\nQUIT\r\n");
  std::string replies = peer.ReadFor(2s);
  return replies.find("\r\n250 2.0.0") != std::string::npos &&
         replies.find("221 ") != std::string::npos;
}

TEST(FloodTest, FiveThousandConnectionsDropped) {
  ServerProcess server({"--listen", "127.0.0.1:0", "--discard", "--set",
                        "limits.connections=2000"});
  ASSERT_GT(server.pid(), 0);
  std::string first = server.FirstLine();
  ASSERT_EQ(first.rfind("listening 127.0.0.1:", 0), 0u) << first;
  first.erase(first.find_last_not_of("\r\n") + 1);
  Result<Address> address = ParseAddress(first.substr(10));
  ASSERT_TRUE(address.ok()) << address.error().reason;

  ASSERT_TRUE(WellBehaved(*address));
  // Warm up the allocator with one round before the baseline.
  {
    std::vector<std::unique_ptr<Peer>> peers;
    for (int i = 0; i < 250; ++i) {
      peers.push_back(std::make_unique<Peer>(*address));
    }
  }
  ASSERT_TRUE(FdsBackTo(server.pid(), OpenFds(server.pid())));
  std::this_thread::sleep_for(300ms);
  std::size_t fds_before = OpenFds(server.pid());
  long rss_before = RssKb(server.pid());
  ASSERT_GT(rss_before, 0);

  constexpr int kRounds = 20;
  constexpr int kPerRound = 250;  // 5,000 in all
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::unique_ptr<Peer>> peers;
    for (int i = 0; i < kPerRound; ++i) {
      auto peer = std::make_unique<Peer>(*address);
      ASSERT_TRUE(peer->connected()) << "round " << round << " peer " << i;
      // A third say half a command, a third send garbage, a third nothing.
      if (i % 3 == 1) peer->Send("EHLO half");
      if (i % 3 == 2) peer->Send(std::string("\x16\x03\x01\0\xff garbage", 14));
      peers.push_back(std::move(peer));
    }
    peers.clear();  // all dropped at once
    if (round % 5 == 4) {
      EXPECT_TRUE(WellBehaved(*address)) << "after round " << round;
    }
  }
  EXPECT_TRUE(FdsBackTo(server.pid(), fds_before))
      << "fds before " << fds_before << ", now " << OpenFds(server.pid());
  long rss_after = RssKb(server.pid());
  // Bounded: 5,000 sessions came and went; what stays is a few MB at most.
  EXPECT_LT(rss_after, rss_before + 16 * 1024)
      << "VmRSS " << rss_before << " kB -> " << rss_after << " kB";
  EXPECT_TRUE(WellBehaved(*address));

  // SIGTERM: an open session is told 421, and the process exits 0.
  Peer open(*address);
  EXPECT_EQ(open.ReadUntil("\r\n").substr(0, 4), "220 ");
  EXPECT_EQ(server.Terminate(), 0);
  EXPECT_EQ(open.ReadFor(1s).substr(0, 4), "421 ");
}

}  // namespace
}  // namespace smtpspec::agents::server
