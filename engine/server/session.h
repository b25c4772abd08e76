// One server connection, bytes in and bytes out (the h11 shape): the agent
// feeds whatever the client sent, takes the bytes to send back and the
// events to act on, and calls Tick() when Deadline() passes. No sockets,
// no clock, no threads: many connections are many Session objects.
//
// Inside, the engine's wire::Framer cuts the stream into commands for the
// Machine; after DATA's 354 into DATA content up to the end of data, and
// after a BDAT command into the next chunk-size octets (RFC 3030 2: a
// chunk is counted, not read as lines); whatever follows is commands. So
// pipelined commands (RFC 2920), BDAT chunks among them, are handled in order
// with no special case: PIPELINING only means the server says so in its EHLO
// reply.
#ifndef SMTPSPEC_ENGINE_SERVER_SESSION_H_
#define SMTPSPEC_ENGINE_SERVER_SESSION_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/server/backend.h"
#include "engine/server/config.h"
#include "engine/server/event.h"
#include "engine/server/machine.h"
#include "engine/server/state.h"
#include "engine/wire/framer.h"

namespace smtpspec::server {

class Session {
 public:
  // Opens the backend's Handler for this connection and queues the
  // greeting: 220, or 554 when Config or the backend refuses (RFC 5321
  // 3.1). `backend` need not outlive the session; the Handler is owned.
  Session(Config config, Backend &backend, const ConnectionInfo &info,
          Time now);
  // The same with a Handler the caller owns; it must outlive the session.
  Session(Config config, Handler &handler, const ConnectionInfo &info,
          Time now);
  ~Session();
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  // The next bytes from the client (TLS plaintext after the handshake),
  // split anywhere: one byte at a time gives the same output and events.
  // If `now` is past Deadline() the session times out first and the bytes
  // are ignored.
  void Feed(std::string_view bytes, Time now);
  // Call when Deadline() has passed: 421 and close (RFC 5321 4.5.3.2.7).
  void Tick(Time now);
  // The TLS handshake asked for by event kStartTls succeeded; the session
  // starts over, un-greeted (RFC 3207 4.2). Feed the TLS plaintext from now
  // on. (If the handshake fails, just close the connection.)
  void TlsEstablished(Time now);
  // The agent is going down: 421 and close (RFC 5321 3.8).
  void Shutdown(Time now);
  // The client went away without QUIT: tells the backend, sends nothing.
  void ConnectionLost();

  // The bytes to send, in order, and forgets them.
  std::string TakeOutput();
  // What happened since the last call (see event.h). Offsets count
  // every byte given to Feed() since the session began.
  std::vector<Event> TakeEvents();
  // When Tick() must be called; nullopt once closed.
  std::optional<Time> Deadline() const { return machine_.Deadline(); }
  State state() const { return machine_.state(); }
  // Once true, flush TakeOutput() and close the connection.
  bool closed() const { return machine_.state() == State::kClosed; }
  // Reading a BDAT chunk: the next bytes are its data, not commands.
  bool reading_chunk() const { return framer_.in_chunk(); }

 private:
  Session(Config config, std::variant<std::unique_ptr<Handler>, Error> opened,
          const ConnectionInfo &info, Time now);

  // Runs `bytes` through the framer and the machine.
  void Process(std::string_view bytes, Time now);
  // One frame of the client's stream, given to the machine.
  void Handle(wire::frame::CommandLine &line, Time now);
  void Handle(wire::frame::BadLine &bad, Time now);
  void Handle(wire::frame::DataNotice &notice, Time now);
  void Handle(wire::frame::DataEnd &end, Time now);
  void Handle(wire::frame::ChunkData &data, Time now);
  void Handle(wire::frame::ChunkEnd &end, Time now);
  void NoteProblem(const wire::Problem &problem);
  // Bytes that arrived where nothing may read them (after STARTTLS, after
  // close): dropped, and reported the first time.
  void Discard(std::size_t size, std::size_t offset);
  // Moves the machine's events here, giving those without a position
  // `offset`, the start of what caused them.
  void CollectEvents(std::size_t offset);
  // Renders the machine's replies into the output and collects events.
  void Flush();
  std::unique_ptr<Handler> owned_handler_;  // before machine_: outlives it
  Machine machine_;
  wire::Framer framer_;     // the client's stream cut into frames
  std::size_t offset_ = 0;  // stream offset of the next byte fed
  bool discard_reported_ = false;
  std::string output_;
  std::vector<Event> events_;
};

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_SESSION_H_
