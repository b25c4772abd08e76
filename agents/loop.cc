#include "agents/loop.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace smtpspec::agents {
namespace {

// epoll keys below this are the loop's own descriptors.
constexpr std::uint64_t kWakeKey = 1;
constexpr std::uint64_t kSignalKey = 2;
constexpr std::uint64_t kFirstId = 16;
// Accepts per listener event, so one busy listener cannot starve the rest.
constexpr int kAcceptBatch = 64;
constexpr int kMaxEvents = 256;

std::string Errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

Status AddFd(int epoll_fd, int fd, std::uint32_t events, std::uint64_t key) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = key;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
    return Error{0, Errno("cannot watch a descriptor")};
  }
  return OkStatus();
}

// Options every connection's socket gets, accepted or outbound.
void Tune(int fd, const LoopOptions& options) {
  int one = 1;
  // SMTP is a conversation of short lines: do not hold them back (Nagle).
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (options.socket_send_buffer > 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &options.socket_send_buffer,
               sizeof(options.socket_send_buffer));
  }
}

Address LocalAddress(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return FromSocketAddress(reinterpret_cast<sockaddr*>(&address), length);
}

}  // namespace

Loop::Loop(const LoopOptions& options)
    : options_(options), next_id_(kFirstId), read_buffer_(options.read_chunk) {}

Result<std::unique_ptr<Loop>> Loop::Create(const LoopOptions& options) {
  std::unique_ptr<Loop> loop(new Loop(options));
  loop->epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (loop->epoll_fd_ < 0) return Error{0, Errno("cannot create epoll")};
  loop->wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (loop->wake_fd_ < 0) return Error{0, Errno("cannot create eventfd")};
  Status watched = AddFd(loop->epoll_fd_, loop->wake_fd_, EPOLLIN, kWakeKey);
  if (!watched.ok()) return watched.error();
  loop->spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  return loop;
}

Loop::~Loop() {
  // Handlers still get their last call, in no particular order.
  while (!connections_.empty()) {
    Connection& connection = *connections_.begin()->second;
    connection.Abort("the event loop was destroyed");
    Destroy(connection);
  }
  CloseListeners();
  for (int fd : {epoll_fd_, wake_fd_, signal_fd_, spare_fd_}) {
    if (fd >= 0) close(fd);
  }
}

Result<Address> Loop::Listen(const Address& address, HandlerFactory factory,
                             ListenOptions options) {
  if (shutting_down_) return Error{0, "the loop is shutting down"};
  Result<SocketAddress> socket_address = ToSocketAddress(address);
  if (!socket_address.ok()) return socket_address.error();
  int family = socket_address->storage.ss_family;
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{0, Errno("cannot create a socket")};
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  // [::1] means IPv6 only; IPv4 gets its own listener.
  if (family == AF_INET6) {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  }
  if (bind(fd, reinterpret_cast<const sockaddr*>(&socket_address->storage),
           socket_address->length) != 0 ||
      listen(fd, SOMAXCONN) != 0) {
    Error error{0, Errno("cannot listen on " + FormatAddress(address))};
    close(fd);
    return error;
  }
  std::uint64_t key = next_id_++;
  Status watched = AddFd(epoll_fd_, fd, EPOLLIN, key);
  if (!watched.ok()) {
    close(fd);
    return watched.error();
  }
  Address bound = LocalAddress(fd);
  listeners_[key] = Listener{fd, bound, std::move(factory), std::move(options)};
  return bound;
}

Status Loop::Connect(const Address& address, std::unique_ptr<Handler> handler,
                     ConnectOptions options) {
  Result<SocketAddress> socket_address = ToSocketAddress(address);
  if (!socket_address.ok()) return socket_address.error();
  int fd = socket(socket_address->storage.ss_family,
                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{0, Errno("cannot create a socket")};
  Tune(fd, options_);
  int result =
      connect(fd, reinterpret_cast<const sockaddr*>(&socket_address->storage),
              socket_address->length);
  if (result != 0 && errno != EINPROGRESS) {
    Error error{0, Errno("cannot connect to " + FormatAddress(address))};
    close(fd);
    return error;
  }
  auto connection = std::unique_ptr<Connection>(
      new Connection(next_id_++, fd, address, Address{}, std::move(handler)));
  connection->state_ = Connection::State::kConnecting;
  connection->timer_ = Connection::Timer::kConnect;
  connection->timer_at_ = Clock::now() + options.timeout;
  connection->implicit_tls_ = std::move(options.implicit_tls);
  connection->server_name_ = std::move(options.server_name);
  Connection* added = Add(std::move(connection));
  if (added == nullptr) return Error{0, Errno("cannot watch a socket")};
  // Completion (even an immediate one) is reported by EPOLLOUT.
  Settle(*added, Clock::now());
  return OkStatus();
}

Status Loop::WatchSignals(const std::vector<int>& signals) {
  sigset_t mask;
  sigemptyset(&mask);
  for (int signal : signals) sigaddset(&mask, signal);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) {
    return Error{0, "cannot block signals"};
  }
  int fd = signalfd(signal_fd_, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return Error{0, Errno("cannot create signalfd")};
  if (signal_fd_ < 0) {
    signal_fd_ = fd;
    return AddFd(epoll_fd_, fd, EPOLLIN, kSignalKey);
  }
  return OkStatus();
}

void Loop::Interrupt() {
  std::uint64_t one = 1;
  // Async-signal-safe; a full counter already means "wake up".
  ssize_t ignored = write(wake_fd_, &one, sizeof(one));
  (void)ignored;
}

void Loop::CloseListeners() {
  for (auto& [key, listener] : listeners_) close(listener.fd);
  listeners_.clear();
}

void Loop::Shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  CloseListeners();
  TimePoint now = Clock::now();
  std::vector<std::uint64_t> ids;
  for (const auto& [id, connection] : connections_) ids.push_back(id);
  for (std::uint64_t id : ids) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    Connection& connection = *it->second;
    if (connection.state_ == Connection::State::kConnecting) {
      connection.Abort("cancelled: the event loop is shutting down");
    } else {
      connection.timer_ = Connection::Timer::kGrace;
      connection.timer_at_ = now + options_.shutdown_grace;
      if (connection.state_ == Connection::State::kOpen) {
        connection.handler_->OnShutdown(connection, now);
      }
    }
    Settle(connection, now);
  }
}

Status Loop::Run() {
  while (!connections_.empty() || (!listeners_.empty() && !shutting_down_)) {
    Status round = RunOnce(std::chrono::milliseconds(60000));
    if (!round.ok()) return round;
  }
  return OkStatus();
}

Status Loop::RunOnce(std::chrono::milliseconds max_wait) {
  TimePoint now = Clock::now();
  auto wait = max_wait;
  if (!timers_.empty()) {
    auto until = std::chrono::ceil<std::chrono::milliseconds>(
        timers_.begin()->first - now);
    wait = std::max(std::chrono::milliseconds(0), std::min(wait, until));
  }
  epoll_event events[kMaxEvents];
  int n =
      epoll_wait(epoll_fd_, events, kMaxEvents, static_cast<int>(wait.count()));
  if (n < 0 && errno != EINTR) return Error{0, Errno("epoll_wait failed")};
  now = Clock::now();
  for (int i = 0; i < n; ++i) {
    HandleEvents(events[i].data.u64, events[i].events, now);
  }
  FireTimers(now);
  return OkStatus();
}

void Loop::HandleEvents(std::uint64_t key, std::uint32_t events,
                        TimePoint now) {
  if (key == kWakeKey || key == kSignalKey) {
    char drain[sizeof(signalfd_siginfo)];
    ssize_t ignored =
        read(key == kWakeKey ? wake_fd_ : signal_fd_, drain, sizeof(drain));
    (void)ignored;
    Shutdown();
    return;
  }
  if (auto listener = listeners_.find(key); listener != listeners_.end()) {
    Accept(listener->second, now);
    return;
  }
  auto it = connections_.find(key);
  if (it == connections_.end()) return;  // closed earlier in this batch
  Connection& connection = *it->second;
  if (connection.state_ == Connection::State::kConnecting) {
    connection.FinishConnect(now);
  } else {
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
      connection.ReadSome(now, read_buffer_.data(), read_buffer_.size(),
                          plaintext_);
    }
  }
  Settle(connection, now);
}

void Loop::Accept(Listener& listener, TimePoint now) {
  for (int i = 0; i < kAcceptBatch; ++i) {
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    int fd = accept4(listener.fd, reinterpret_cast<sockaddr*>(&peer), &length,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if ((errno == EMFILE || errno == ENFILE) && spare_fd_ >= 0) {
        // Out of descriptors: free the spare to take the connection off the
        // backlog and close it, or the listener stays readable forever.
        close(spare_fd_);
        int dropped = accept(listener.fd, nullptr, nullptr);
        if (dropped >= 0) close(dropped);
        spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
        continue;
      }
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN, or an error the next round will see again
    }
    if (inbound_ >= options_.max_connections) {
      AcceptOverLimit(fd, listener);
      continue;
    }
    Tune(fd, options_);
    Address peer_address =
        FromSocketAddress(reinterpret_cast<sockaddr*>(&peer), length);
    Address local_address = LocalAddress(fd);
    std::unique_ptr<Handler> handler =
        listener.factory(peer_address, local_address);
    if (handler == nullptr) {
      close(fd);
      continue;
    }
    Connection* connection = Add(std::unique_ptr<Connection>(new Connection(
        next_id_++, fd, peer_address, local_address, std::move(handler))));
    if (connection == nullptr) continue;
    connection->inbound_ = true;
    ++inbound_;
    if (listener.options.implicit_tls) {
      Result<std::unique_ptr<tls::Session>> session =
          tls::Session::Server(*listener.options.implicit_tls);
      if (session.ok()) {
        (void)connection->StartTls(std::move(session).value());
      } else {
        connection->Abort(session.error().reason);
      }
    }
    if (connection->state_ == Connection::State::kOpen) {
      connection->handler_->OnOpen(*connection, now);
    }
    Settle(*connection, now);
  }
}

void Loop::AcceptOverLimit(int fd, const Listener& listener) {
  const std::string& refusal = listener.options.refusal;
  if (!refusal.empty() && !listener.options.implicit_tls) {
    ssize_t ignored =
        send(fd, refusal.data(), refusal.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    (void)ignored;
  }
  shutdown(fd, SHUT_WR);
  close(fd);
}

Connection* Loop::Add(std::unique_ptr<Connection> connection) {
  Connection* raw = connection.get();
  std::uint32_t events =
      raw->state_ == Connection::State::kConnecting ? EPOLLOUT : EPOLLIN;
  if (!AddFd(epoll_fd_, raw->fd_, events, raw->id_).ok()) return nullptr;
  raw->events_ = events;
  connections_[raw->id_] = std::move(connection);
  return raw;
}

void Loop::FireTimers(TimePoint now) {
  // Only what was due when we started: a handler that leaves its deadline
  // in the past is called again next round, not in an endless loop here.
  std::vector<std::uint64_t> due;
  for (auto it = timers_.begin(); it != timers_.end() && it->first <= now;
       ++it) {
    due.push_back(it->second);
  }
  for (std::uint64_t id : due) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    Connection& connection = *it->second;
    if (connection.timer_ != Connection::Timer::kNone &&
        connection.timer_at_ <= now) {
      // Everything was written; the peer just never sent its FIN.
      if (connection.state_ == Connection::State::kDraining) {
        connection.state_ = Connection::State::kDone;
      }
      switch (connection.timer_) {
        case Connection::Timer::kConnect:
          connection.Abort("connecting to " + FormatAddress(connection.peer_) +
                           " timed out");
          break;
        case Connection::Timer::kGrace:
          connection.Abort("still open when the shutdown grace period ended");
          break;
        case Connection::Timer::kLinger:
        case Connection::Timer::kNone:
          break;
      }
    } else if (connection.state_ == Connection::State::kOpen) {
      std::optional<TimePoint> wanted = connection.handler_->NextDeadline();
      if (wanted && *wanted <= now) {
        connection.handler_->OnDeadline(connection, now);
      }
    }
    Settle(connection, now);
  }
}

// After anything happened to a connection: write what can be written,
// enforce the output limit, move through the closing states, and bring
// epoll's interest and the timer set up to date.
void Loop::Settle(Connection& connection, TimePoint now) {
  using State = Connection::State;
  if (connection.state_ == State::kOpen ||
      connection.state_ == State::kClosing) {
    connection.PullCiphertext();
    connection.WriteSome();
  }
  if (connection.queued() > options_.output_limit &&
      connection.state_ != State::kDone) {
    connection.Abort("more than " + std::to_string(options_.output_limit) +
                     " bytes are waiting to be sent: the peer is not "
                     "reading");
  }
  if (connection.state_ == State::kClosing && connection.queued() == 0) {
    shutdown(connection.fd_, SHUT_WR);
    if (connection.read_eof_) {
      connection.state_ = State::kDone;
    } else {
      connection.state_ = State::kDraining;
      TimePoint linger_end = now + options_.linger;
      if (connection.timer_ == Connection::Timer::kNone ||
          linger_end < connection.timer_at_) {
        connection.timer_ = Connection::Timer::kLinger;
        connection.timer_at_ = linger_end;
      }
    }
  }
  if (connection.state_ == State::kDraining && connection.read_eof_) {
    connection.state_ = State::kDone;
  }
  if (connection.state_ == State::kDone) {
    Destroy(connection);
    return;
  }
  Watch(connection);
  Schedule(connection);
}

void Loop::Watch(Connection& connection) {
  using State = Connection::State;
  std::uint32_t events = 0;
  if (connection.state_ == State::kConnecting || connection.queued() > 0) {
    events |= EPOLLOUT;
  }
  bool backlogged = connection.queued() > options_.output_high_water;
  if (connection.state_ != State::kConnecting && !connection.read_eof_ &&
      !backlogged) {
    events |= EPOLLIN;
  }
  if (events == connection.events_) return;
  epoll_event event{};
  event.events = events;
  event.data.u64 = connection.id_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd_, &event);
  connection.events_ = events;
}

void Loop::Schedule(Connection& connection) {
  std::optional<TimePoint> deadline = connection.Deadline();
  if (deadline == connection.scheduled_) return;
  if (connection.scheduled_) {
    timers_.erase({*connection.scheduled_, connection.id_});
  }
  if (deadline) timers_.insert({*deadline, connection.id_});
  connection.scheduled_ = deadline;
}

void Loop::Destroy(Connection& connection) {
  if (connection.scheduled_) {
    timers_.erase({*connection.scheduled_, connection.id_});
  }
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, connection.fd_, nullptr);
  if (connection.inbound_) --inbound_;
  auto it = connections_.find(connection.id_);
  std::unique_ptr<Connection> owned = std::move(it->second);
  connections_.erase(it);
  Status status = owned->error_ ? Status(Error{0, *owned->error_}) : OkStatus();
  owned->handler_->OnClosed(status);
}

}  // namespace smtpspec::agents
