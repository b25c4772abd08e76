// One epoll loop for many connections: non-blocking sockets, no thread per
// connection. It accepts on listeners (IPv4 and IPv6), connects out with a
// timeout, buffers each connection's output, keeps the timers the handlers
// ask for, and shuts down gracefully on SIGTERM. What is said on a
// connection is a Handler's business (connection.h).
//
// A Loop is not thread-safe: one thread runs it. The only calls allowed from
// other threads (or signal handlers) are Interrupt().
#ifndef SMTPSPEC_AGENTS_LOOP_H_
#define SMTPSPEC_AGENTS_LOOP_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "agents/address.h"
#include "agents/connection.h"
#include "agents/tls_context.h"
#include "engine/result.h"

namespace smtpspec::agents {

struct LoopOptions {
  // Accepted connections open at once; more are refused (see
  // ListenOptions::refusal). Outbound connections do not count.
  std::size_t max_connections = 1000;
  // Backpressure: a connection whose queued output exceeds this is not read
  // from until the peer has taken some, so a peer that pipelines without
  // reading replies cannot make us buffer without bound.
  std::size_t output_high_water = 256 * 1024;
  // A connection whose queued output exceeds this is aborted.
  std::size_t output_limit = 8 * 1024 * 1024;
  // How long after Shutdown() connections may take to finish writing.
  std::chrono::milliseconds shutdown_grace{10000};
  // How long a closed connection keeps reading (and dropping) what the peer
  // still sends, waiting for its FIN, before the socket is closed.
  std::chrono::milliseconds linger{2000};
  std::size_t read_chunk = 64 * 1024;
  // SO_SNDBUF for every connection's socket; 0 keeps the kernel's
  // autotuning. Small values make backpressure show sooner (tests).
  int socket_send_buffer = 0;
};

// Makes the Handler for an accepted connection, or nullptr to drop it.
using HandlerFactory = std::function<std::unique_ptr<Handler>(
    const Address& peer, const Address& local)>;

struct ListenOptions {
  // RFC 8314 implicit TLS: the handshake starts with the first byte.
  std::optional<tls::Context> implicit_tls;
  // Bytes written (best effort) to a connection refused because the loop
  // is full, before it is closed; e.g. "421 4.7.0 too busy\r\n" (RFC 5321
  // 3.8). Empty: just close.
  std::string refusal;
};

struct ConnectOptions {
  std::chrono::milliseconds timeout{30000};
  // RFC 8314 implicit TLS from the first byte, verifying `server_name`.
  std::optional<tls::Context> implicit_tls;
  std::string server_name;
};

class Loop {
 public:
  static Result<std::unique_ptr<Loop>> Create(const LoopOptions& options = {});
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // Listens on `address`; port 0 picks a free port. Returns the address
  // actually bound, port included.
  Result<Address> Listen(const Address& address, HandlerFactory factory,
                         ListenOptions options = {});

  // Connects to `address` without blocking. Errors found at once (a bad
  // address, no sockets left) are returned and `handler` is dropped;
  // later ones (refused, timed out) reach handler->OnClosed.
  Status Connect(const Address& address, std::unique_ptr<Handler> handler,
                 ConnectOptions options = {});

  // Routes `signals` (e.g. SIGTERM, SIGINT) to Shutdown() through a
  // signalfd. Blocks them in the calling thread: call it before starting
  // other threads, which inherit the mask.
  Status WatchSignals(const std::vector<int>& signals);

  // Graceful shutdown: listeners close, every open connection gets
  // Handler::OnShutdown, and connections still open after the grace period
  // are aborted. Run() then returns once every connection is gone.
  void Shutdown();
  // Asks for Shutdown() from any thread (or a signal handler).
  void Interrupt();

  // Runs until shut down and idle, or until there is nothing left to do
  // (no listeners and no connections).
  Status Run();
  // One round: waits at most `max_wait` for I/O, then handles what came and
  // the timers that fell due.
  Status RunOnce(std::chrono::milliseconds max_wait);

  std::size_t connection_count() const { return connections_.size(); }
  bool shutting_down() const { return shutting_down_; }

 private:
  struct Listener {
    int fd = -1;
    Address address;
    HandlerFactory factory;
    ListenOptions options;
  };

  explicit Loop(const LoopOptions& options);
  void Accept(Listener& listener, TimePoint now);
  void AcceptOverLimit(int fd, const Listener& listener);
  Connection* Add(std::unique_ptr<Connection> connection);
  void HandleEvents(std::uint64_t key, std::uint32_t events, TimePoint now);
  void FireTimers(TimePoint now);
  void Settle(Connection& connection, TimePoint now);
  void Watch(Connection& connection);
  void Schedule(Connection& connection);
  void Destroy(Connection& connection);
  void CloseListeners();

  LoopOptions options_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;    // eventfd for Interrupt()
  int signal_fd_ = -1;  // signalfd from WatchSignals()
  int spare_fd_ = -1;   // given up to accept-and-close when out of fds
  bool shutting_down_ = false;
  std::uint64_t next_id_ = 1;
  std::size_t inbound_ = 0;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::unordered_map<std::uint64_t, Listener> listeners_;
  std::set<std::pair<TimePoint, std::uint64_t>> timers_;
  std::vector<char> read_buffer_;
  std::string plaintext_;  // scratch for decrypted input
};

}  // namespace smtpspec::agents

#endif  // SMTPSPEC_AGENTS_LOOP_H_
