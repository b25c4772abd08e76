#include "agents/connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace smtpspec::agents {

void Handler::OnPeerClosed(Connection& connection, TimePoint now) {
  connection.Close();
}

void Handler::OnShutdown(Connection& connection, TimePoint now) {
  connection.Close();
}

Connection::Connection(std::uint64_t id, int fd, Address peer, Address local,
                       std::unique_ptr<Handler> handler)
    : id_(id),
      fd_(fd),
      peer_(std::move(peer)),
      local_(std::move(local)),
      handler_(std::move(handler)) {}

Connection::~Connection() {
  if (fd_ >= 0) close(fd_);
}

void Connection::Send(std::string_view bytes) {
  if (state_ != State::kOpen || bytes.empty()) return;
  if (tls_ == nullptr) {
    out_.append(bytes);
    return;
  }
  Status written = tls_->Write(bytes);
  if (!written.ok()) {
    Fail(written.error().reason);
    return;
  }
  PullCiphertext();
}

Status Connection::StartTls(std::unique_ptr<tls::Session> session) {
  if (tls_ != nullptr) return Error{0, "TLS is already on for this connection"};
  if (state_ != State::kOpen) return Error{0, "the connection is closing"};
  tls_ = std::move(session);
  PullCiphertext();  // a client's ClientHello
  return OkStatus();
}

void Connection::Close() {
  if (state_ != State::kOpen && state_ != State::kConnecting) return;
  if (tls_ != nullptr) {
    tls_->Close();
    PullCiphertext();
  }
  state_ = State::kClosing;
}

void Connection::Abort(std::string reason) {
  if (state_ == State::kDone) return;
  if (!error_) error_ = std::move(reason);
  state_ = State::kDone;
}

// An error that still lets queued bytes (a TLS alert, a last reply) go out.
void Connection::Fail(std::string reason) {
  if (!error_) error_ = std::move(reason);
  if (state_ == State::kOpen) state_ = State::kClosing;
}

void Connection::PullCiphertext() {
  if (tls_ != nullptr) tls_->TakeCiphertext(out_);
}

std::optional<TimePoint> Connection::Deadline() const {
  std::optional<TimePoint> deadline;
  if (state_ == State::kOpen) deadline = handler_->NextDeadline();
  if (timer_ != Timer::kNone && (!deadline || timer_at_ < *deadline)) {
    deadline = timer_at_;
  }
  return deadline;
}

void Connection::ReadSome(TimePoint now, char* buffer, std::size_t size,
                          std::string& plaintext) {
  ssize_t n = recv(fd_, buffer, size, 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
    Abort(std::string("connection with ") + FormatAddress(peer_) +
          " failed: " + std::strerror(errno));
    return;
  }
  if (n == 0) {
    OnEndOfStream(now);
    return;
  }
  // While closing, whatever the peer still sends is read and dropped, so
  // that closing the socket does not turn into a reset.
  if (state_ != State::kOpen) return;
  Deliver(now, std::string_view(buffer, static_cast<std::size_t>(n)),
          plaintext);
}

void Connection::Deliver(TimePoint now, std::string_view bytes,
                         std::string& plaintext) {
  if (tls_ == nullptr) {
    handler_->OnBytes(*this, bytes, now);
    return;
  }
  bool was_established = tls_->established();
  plaintext.clear();
  Status fed = tls_->Feed(bytes, plaintext);
  PullCiphertext();  // handshake messages, or the alert after a failure
  if (!fed.ok()) {
    Fail(fed.error().reason);
    return;
  }
  if (!was_established && tls_->established()) {
    handler_->OnTlsReady(*this, now);
  }
  if (!plaintext.empty() && state_ == State::kOpen) {
    handler_->OnBytes(*this, plaintext, now);
  }
  if (tls_ != nullptr && tls_->peer_closed() && state_ == State::kOpen) {
    handler_->OnPeerClosed(*this, now);
  }
}

void Connection::OnEndOfStream(TimePoint now) {
  read_eof_ = true;
  if (state_ != State::kOpen) return;
  if (tls_ != nullptr) {
    Status eof = tls_->PeerEof();
    if (!eof.ok()) {
      Fail(eof.error().reason);
      return;
    }
  }
  handler_->OnPeerClosed(*this, now);
}

void Connection::WriteSome() {
  while (queued() > 0) {
    ssize_t n = send(fd_, out_.data() + out_pos_, queued(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      Abort(std::string("cannot send to ") + FormatAddress(peer_) + ": " +
            std::strerror(errno));
      return;
    }
    out_pos_ += static_cast<std::size_t>(n);
  }
  // Reclaim the written prefix once it dominates the buffer; the queue's
  // memory then tracks what is really pending.
  if (out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
    if (out_.capacity() > 64 * 1024) out_.shrink_to_fit();
  } else if (out_pos_ > out_.size() / 2) {
    out_.erase(0, out_pos_);
    out_pos_ = 0;
  }
}

}  // namespace smtpspec::agents

namespace smtpspec::agents {

void Connection::FinishConnect(TimePoint now) {
  int error = 0;
  socklen_t length = sizeof(error);
  if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
    error = errno;
  }
  if (error == EINPROGRESS) return;
  if (error != 0) {
    Abort("cannot connect to " + FormatAddress(peer_) + ": " +
          std::strerror(error));
    return;
  }
  sockaddr_storage address{};
  socklen_t address_length = sizeof(address);
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address),
                  &address_length) == 0) {
    local_ = FromSocketAddress(reinterpret_cast<sockaddr*>(&address),
                               address_length);
  }
  state_ = State::kOpen;
  timer_ = Timer::kNone;
  if (implicit_tls_) {
    // RFC 8314 3.3: with implicit TLS the handshake comes first.
    Result<std::unique_ptr<tls::Session>> session =
        tls::Session::Client(*implicit_tls_, server_name_);
    if (!session.ok()) {
      Abort(session.error().reason);
      return;
    }
    (void)StartTls(std::move(session).value());
  }
  handler_->OnOpen(*this, now);
}

}  // namespace smtpspec::agents
