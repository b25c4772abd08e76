// The round-trip bound for bench/interpreter_bench.py: a client and an
// echo server on loopback exchange SMTP-sized lines (a 30-octet command,
// a 40-octet reply), one at a time, as an SMTP client and server do
// without pipelining. Prints round trips per second and the mean round
// trip in microseconds.
//
// Usage: pingpong [ROUND_TRIPS]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

bool ReadExactly(int fd, char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = read(fd, buf + got, n - got);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

void NoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

int main(int argc, char** argv) {
  const long rounds = argc > 1 ? std::atol(argv[1]) : 20000;
  const std::string command = "RCPT TO:<postmaster@localhost>\r\n";  // 32
  const std::string reply = "250 2.1.5 OK recipient postmaster ok\r\n";  // 38

  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 1) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("pingpong: listen");
    return 1;
  }
  std::thread server([&] {
    const int fd = accept(listener, nullptr, nullptr);
    NoDelay(fd);
    std::string buf(command.size(), '\0');
    while (ReadExactly(fd, buf.data(), buf.size())) {
      if (write(fd, reply.data(), reply.size()) < 0) break;
    }
    close(fd);
  });
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("pingpong: connect");
    return 1;
  }
  NoDelay(fd);
  std::string buf(reply.size(), '\0');
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < rounds; ++i) {
    if (write(fd, command.data(), command.size()) < 0 ||
        !ReadExactly(fd, buf.data(), buf.size())) {
      std::perror("pingpong: exchange");
      return 1;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  close(fd);
  server.join();
  close(listener);
  std::printf("round_trips_per_second %.0f\nmean_round_trip_us %.2f\n",
              rounds / seconds, 1e6 * seconds / rounds);
  return 0;
}
