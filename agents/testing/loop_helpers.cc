#include "agents/testing/loop_helpers.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace smtpspec::agents::testing {

int ConnectRaw(const Address& address, int receive_buffer) {
  Result<SocketAddress> socket_address = ToSocketAddress(address);
  if (!socket_address.ok()) return -1;
  int fd = socket(socket_address->storage.ss_family, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (receive_buffer > 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
               sizeof(receive_buffer));
  }
  if (connect(fd, reinterpret_cast<const sockaddr*>(&socket_address->storage),
              socket_address->length) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string ReadAvailable(int fd, bool* eof) {
  std::string out;
  char buffer[65536];
  while (true) {
    ssize_t n = recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      if (eof != nullptr) *eof = true;
    }
    return out;
  }
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RunUntil(Loop& loop, const std::function<bool()>& done,
              std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < end) {
    if (!loop.RunOnce(std::chrono::milliseconds(10)).ok()) return false;
  }
  return done();
}

void RecordingHandler::OnOpen(Connection& connection, TimePoint now) {
  ++record_->opened;
}
void RecordingHandler::OnBytes(Connection& connection, std::string_view bytes,
                               TimePoint now) {
  record_->received.append(bytes);
  ++record_->bytes_calls;
}
void RecordingHandler::OnTlsReady(Connection& connection, TimePoint now) {
  record_->tls_ready = true;
}
void RecordingHandler::OnPeerClosed(Connection& connection, TimePoint now) {
  record_->peer_closed = true;
  connection.Close();
}
void RecordingHandler::OnClosed(const Status& status) {
  record_->closed = true;
  record_->close_error = status.ok() ? "" : status.error().reason;
}

namespace {

class EchoHandler : public RecordingHandler {
 public:
  EchoHandler(std::shared_ptr<Record> record, EchoOptions options)
      : RecordingHandler(std::move(record)), options_(std::move(options)) {}

  void OnOpen(Connection& connection, TimePoint now) override {
    RecordingHandler::OnOpen(connection, now);
    last_activity_ = now;
    if (options_.greet) connection.Send("220 ready\r\n");
  }

  void OnBytes(Connection& connection, std::string_view bytes,
               TimePoint now) override {
    RecordingHandler::OnBytes(connection, bytes, now);
    last_activity_ = now;
    line_.append(bytes);
    std::size_t end;
    while ((end = line_.find("\r\n")) != std::string::npos) {
      std::string line = line_.substr(0, end);
      line_.erase(0, end + 2);
      if (line == "QUIT") {
        connection.Send("221 bye\r\n");
        connection.Close();
        return;
      }
      if (line == "STARTTLS" && options_.tls) {
        connection.Send("220 go ahead\r\n");
        line_.clear();  // RFC 3207 6: drop plaintext sent after STARTTLS
        auto session = tls::Session::Server(*options_.tls);
        if (session.ok()) (void)connection.StartTls(std::move(*session));
        return;
      }
      if (line.rfind("BIG ", 0) == 0) {
        connection.Send(std::string(std::stoul(line.substr(4)), 'x'));
        continue;
      }
      connection.Send(line + "\r\n");
    }
  }

  std::optional<TimePoint> NextDeadline() const override {
    return last_activity_ + options_.idle;
  }

  void OnDeadline(Connection& connection, TimePoint now) override {
    connection.Send("421 idle\r\n");
    connection.Close();
  }

  void OnShutdown(Connection& connection, TimePoint now) override {
    connection.Send("421 shutting down\r\n");
    connection.Close();
  }

 private:
  EchoOptions options_;
  TimePoint last_activity_{};
  std::string line_;
};

}  // namespace

std::unique_ptr<Handler> MakeEchoHandler(std::shared_ptr<Record> record,
                                         EchoOptions options) {
  return std::make_unique<EchoHandler>(std::move(record), std::move(options));
}

}  // namespace smtpspec::agents::testing
