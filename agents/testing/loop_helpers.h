// Helpers for tests that drive an agents::Loop over real loopback sockets
// from a single thread: blocking-free raw peers, running the loop until a
// condition holds, and a line-echoing handler with STARTTLS, idle timeout
// and graceful shutdown behaviour close to what an SMTP server does.
#ifndef SMTPSPEC_AGENTS_TESTING_LOOP_HELPERS_H_
#define SMTPSPEC_AGENTS_TESTING_LOOP_HELPERS_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "agents/address.h"
#include "agents/connection.h"
#include "agents/loop.h"
#include "agents/tls_context.h"
#include "engine/result.h"

namespace smtpspec::agents::testing {

// A connected TCP socket (blocking connect), or -1. A `receive_buffer`
// (SO_RCVBUF) keeps the kernel from soaking up megabytes on the reading
// side, so tests of backpressure need little data.
int ConnectRaw(const Address& address, int receive_buffer = 0);
// Whatever can be read from `fd` right now, without waiting. Sets *eof when
// the peer has closed.
std::string ReadAvailable(int fd, bool* eof = nullptr);
// Writes all of `bytes` (blocking).
bool WriteAll(int fd, std::string_view bytes);

// Runs `loop` in rounds of at most 10 ms until `done` holds or `timeout`
// passes; returns done().
bool RunUntil(Loop& loop, const std::function<bool()>& done,
              std::chrono::milliseconds timeout = std::chrono::seconds(5));

// What a handler saw, kept by the test (same thread as the loop).
struct Record {
  std::string received;
  int opened = 0;
  bool tls_ready = false;
  bool peer_closed = false;
  bool closed = false;
  std::string close_error;  // "" after an orderly close
  std::size_t bytes_calls = 0;
};

// Per line: "QUIT" answers "221 bye" and closes, "STARTTLS" answers "220 go
// ahead" and starts TLS with `tls`, "BIG n" sends n bytes of 'x', anything
// else is echoed. Greets with "220 ready". Idle longer than `idle` gets
// "421 idle" and a close; OnShutdown sends "421 shutting down".
struct EchoOptions {
  std::optional<tls::Context> tls;
  std::chrono::milliseconds idle{5000};
  bool greet = true;
};
std::unique_ptr<Handler> MakeEchoHandler(std::shared_ptr<Record> record,
                                         EchoOptions options);

// A handler that only records, for outbound connections in tests.
class RecordingHandler : public Handler {
 public:
  explicit RecordingHandler(std::shared_ptr<Record> record)
      : record_(std::move(record)) {}
  void OnOpen(Connection& connection, TimePoint now) override;
  void OnBytes(Connection& connection, std::string_view bytes,
               TimePoint now) override;
  void OnTlsReady(Connection& connection, TimePoint now) override;
  void OnPeerClosed(Connection& connection, TimePoint now) override;
  void OnClosed(const Status& status) override;

 protected:
  std::shared_ptr<Record> record_;
};

}  // namespace smtpspec::agents::testing

#endif  // SMTPSPEC_AGENTS_TESTING_LOOP_HELPERS_H_
