// The seam between the event loop and a protocol session. The loop owns the
// socket and a Connection; a Handler (for the reference agents: an adapter
// around the engine's sans-IO server or client session) is told about bytes,
// deadlines and closes, and answers through the Connection: Send, StartTls,
// Close. Every call happens on the loop's thread, with the loop's idea of
// "now" passed in, so a Handler is as deterministic as the engine under it.
//
// Lifetime: a Handler belongs to its Connection; the Connection belongs to
// the Loop and is destroyed after OnClosed returns. A Handler must not keep
// the Connection reference beyond a callback.
#ifndef SMTPSPEC_AGENTS_CONNECTION_H_
#define SMTPSPEC_AGENTS_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agents/address.h"
#include "agents/tls_session.h"
#include "engine/result.h"

namespace smtpspec::agents {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

class Connection;
class Loop;

class Handler {
 public:
  virtual ~Handler() = default;

  // The connection is up: accepted, or an outbound connect completed (with
  // implicit TLS, the handshake is still under way: output is held until it
  // ends). A server sends its greeting here.
  virtual void OnOpen(Connection& connection, TimePoint now) {}

  // Bytes from the peer, decrypted when TLS is on. They are a slice of a
  // stream: any split is possible.
  virtual void OnBytes(Connection& connection, std::string_view bytes,
                       TimePoint now) = 0;

  // The TLS handshake started by StartTls (or implicit TLS) completed;
  // connection.tls()->info() says what was agreed.
  virtual void OnTlsReady(Connection& connection, TimePoint now) {}

  // The peer will send nothing more (TCP FIN, or a TLS close_notify). The
  // default closes our side too once our output is written.
  virtual void OnPeerClosed(Connection& connection, TimePoint now);

  // When the handler next wants OnDeadline, or nullopt. Asked after every
  // callback, so a session exposes its timers as data (RFC 5321 4.5.3.2)
  // and the loop does the waiting. A handler must move its deadline on once
  // OnDeadline has run, or it is called again at once.
  virtual std::optional<TimePoint> NextDeadline() const { return std::nullopt; }
  virtual void OnDeadline(Connection& connection, TimePoint now) {}

  // The loop is shutting down (SIGTERM): say goodbye (a server sends 421,
  // RFC 5321 3.8) and Close(). Output still queued is written before the
  // socket closes, within the loop's grace period. The default just closes.
  virtual void OnShutdown(Connection& connection, TimePoint now);

  // The last call. `status` is OK after an orderly close and otherwise says
  // why the connection ended: connect failure or timeout, reset by the
  // peer, TLS failure (tls()->failure() is gone by now; the reason is in
  // the status), output overflow, shutdown grace exceeded.
  virtual void OnClosed(const Status& status) {}
};

class Connection {
 public:
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  std::uint64_t id() const { return id_; }
  const Address& peer() const { return peer_; }
  const Address& local() const { return local_; }

  // Queues bytes for the peer (encrypted when TLS is on). Never blocks.
  // Ignored once the connection is closing.
  void Send(std::string_view bytes);

  // Everything sent from now on goes through `session`, and every byte
  // received from now on is fed to it. Bytes already queued go out in
  // plaintext first, which is what STARTTLS needs (RFC 3207 4: the 220
  // reply precedes the handshake). A server must discard any plaintext it
  // buffered before this call (RFC 3207 6). Fails if TLS is already on.
  Status StartTls(std::unique_ptr<tls::Session> session);
  const tls::Session* tls() const { return tls_.get(); }

  // Orderly close: queued output (and a TLS close_notify) is written, our
  // side is shut down, then the socket closes when the peer closes or after
  // a short linger, so the peer gets our last reply rather than a reset.
  void Close();
  // Immediate close, discarding queued output; OnClosed gets `reason`.
  void Abort(std::string reason);

  // Bytes queued and not yet accepted by the kernel.
  std::size_t queued() const { return out_.size() - out_pos_; }
  bool closing() const { return state_ != State::kOpen; }

 private:
  friend class Loop;
  enum class State { kConnecting, kOpen, kClosing, kDraining, kDone };
  // Why the loop itself set a deadline on this connection.
  enum class Timer { kNone, kConnect, kGrace, kLinger };

  Connection(std::uint64_t id, int fd, Address peer, Address local,
             std::unique_ptr<Handler> handler);

  void ReadSome(TimePoint now, char* buffer, std::size_t size,
                std::string& plaintext);
  void Deliver(TimePoint now, std::string_view bytes, std::string& plaintext);
  void OnEndOfStream(TimePoint now);
  void FinishConnect(TimePoint now);
  void WriteSome();
  void PullCiphertext();
  void Fail(std::string reason);
  std::optional<TimePoint> Deadline() const;

  std::uint64_t id_;
  int fd_;
  Address peer_;
  Address local_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<tls::Session> tls_;
  State state_ = State::kOpen;
  std::string out_;
  std::size_t out_pos_ = 0;
  bool read_eof_ = false;
  bool inbound_ = false;
  std::optional<std::string> error_;  // why it ended, if not orderly
  Timer timer_ = Timer::kNone;
  TimePoint timer_at_{};
  std::optional<TimePoint> scheduled_;        // what the loop's timer set holds
  std::uint32_t events_ = 0;                  // what epoll is asked for
  std::optional<tls::Context> implicit_tls_;  // outbound: start on connect
  std::string server_name_;
};

}  // namespace smtpspec::agents

#endif  // SMTPSPEC_AGENTS_CONNECTION_H_
