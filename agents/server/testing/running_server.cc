#include "agents/server/testing/running_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

namespace smtpspec::agents::server::testing {

config::Server TestConfig() {
  config::Server config;
  config.listen = {Address{"127.0.0.1", 0}};
  config.sink.kind = sink::Kind::kDiscard;
  return config;
}

Result<std::unique_ptr<RunningServer>> RunningServer::Start(
    const config::Server& config, std::vector<Fault> faults) {
  Result<std::unique_ptr<Server>> server = Server::Create(config, faults);
  if (!server.ok()) return server.error();
  return std::unique_ptr<RunningServer>(new RunningServer(std::move(*server)));
}

RunningServer::RunningServer(std::unique_ptr<Server> server)
    : server_(std::move(server)) {
  thread_ = std::thread([this] { (void)server_->Run(); });
}

RunningServer::~RunningServer() { Stop(); }

void RunningServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  server_->loop().Interrupt();
  thread_.join();
}

Peer::Peer(const Address& address) {
  Result<SocketAddress> target = ToSocketAddress(address);
  if (!target.ok()) return;
  fd_ = socket(target->storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  if (connect(fd_, reinterpret_cast<const sockaddr*>(&target->storage),
              target->length) != 0) {
    Close();
  }
}

Peer::~Peer() { Close(); }

void Peer::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

bool Peer::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string Peer::ReadUntil(std::string_view text,
                            std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::size_t found = buffer_.find(text);
    if (found != std::string::npos) {
      std::string out = buffer_.substr(0, found + text.size());
      buffer_.erase(0, found + text.size());
      return out;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (eof_ || fd_ < 0 || left.count() <= 0) break;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      eof_ = true;
      break;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  return std::exchange(buffer_, {});
}

std::string Peer::ReadFor(std::chrono::milliseconds timeout) {
  // A string that cannot arrive: NUL bytes are never sent by the server.
  return ReadUntil(std::string_view("\0\0\0never", 8), timeout);
}

}  // namespace smtpspec::agents::server::testing
