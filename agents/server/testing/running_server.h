// Test helpers: the reference server running on its own thread, and a raw
// blocking peer that reads with a deadline, for tests that speak SMTP
// bytes by hand (hostile clients, faults on the wire).
#ifndef SMTPSPEC_AGENTS_SERVER_TESTING_RUNNING_SERVER_H_
#define SMTPSPEC_AGENTS_SERVER_TESTING_RUNNING_SERVER_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "agents/address.h"
#include "agents/config.h"
#include "agents/server/faults.h"
#include "agents/server/server.h"
#include "engine/result.h"

namespace smtpspec::agents::server::testing {

// Defaults for tests: plain listener on 127.0.0.1, any port, discard sink.
config::Server TestConfig();

class RunningServer {
 public:
  // Creates the server and runs it on a new thread.
  static Result<std::unique_ptr<RunningServer>> Start(
      const config::Server& config, std::vector<Fault> faults = {});
  ~RunningServer();  // Stop()

  const Address& address() const { return server_->listening().front(); }
  Server& server() { return *server_; }
  // Shuts the server down (SIGTERM's path) and waits for its thread.
  void Stop();

 private:
  explicit RunningServer(std::unique_ptr<Server> server);
  std::unique_ptr<Server> server_;
  std::thread thread_;
  bool stopped_ = false;
};

// A connected blocking socket with a read deadline.
class Peer {
 public:
  explicit Peer(const Address& address);
  ~Peer();
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool Send(std::string_view bytes);
  // Reads until `text` appears in what was received since the last call
  // (which is consumed up to and including it), the peer closes, or
  // `timeout` passes. Returns everything read up to that point.
  std::string ReadUntil(
      std::string_view text,
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads for `timeout` (or until close) and returns what came.
  std::string ReadFor(std::chrono::milliseconds timeout);
  bool closed() const { return eof_; }
  void Close();

 private:
  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
};

}  // namespace smtpspec::agents::server::testing

#endif  // SMTPSPEC_AGENTS_SERVER_TESTING_RUNNING_SERVER_H_
