// One server connection, bytes in and bytes out (the h11 shape): the agent
// feeds whatever the client sent, takes the bytes to send back and the
// events to act on, and calls Tick() when Deadline() passes. No sockets,
// no clock, no threads: many connections are many Session objects.
//
// Inside, a wire::CommandReader cuts the stream into commands for the
// Machine; after DATA's 354 the stream goes to a data::Reader until the end
// of data, and after a BDAT command the next chunk-size octets go to a
// bdat::ChunkReader (RFC 3030 2: a chunk is counted, not read as lines);
// whatever follows goes back to a command reader. So pipelined commands
// (RFC 2920), BDAT chunks among them, are handled in order with no special
// case: PIPELINING only means the server says so in its EHLO reply.
#ifndef SMTPSPEC_ENGINE_SERVER_SESSION_H_
#define SMTPSPEC_ENGINE_SERVER_SESSION_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/bdat.h"
#include "engine/command_reader.h"
#include "engine/data_reader.h"
#include "engine/server_backend.h"
#include "engine/server_config.h"
#include "engine/server_event.h"
#include "engine/server_machine.h"
#include "engine/server_state.h"

namespace smtpspec::server {

class Session {
 public:
  // Opens the backend's Handler for this connection and queues the
  // greeting: 220, or 554 when Config or the backend refuses (RFC 5321
  // 3.1). `backend` need not outlive the session; the Handler is owned.
  Session(Config config, Backend& backend, const ConnectionInfo& info,
          Time now);
  // The same with a Handler the caller owns; it must outlive the session.
  Session(Config config, Handler& handler, const ConnectionInfo& info,
          Time now);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

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
  // What happened since the last call (see server_event.h). Offsets count
  // every byte given to Feed() since the session began.
  std::vector<Event> TakeEvents();
  // When Tick() must be called; nullopt once closed.
  std::optional<Time> Deadline() const { return machine_.Deadline(); }
  State state() const { return machine_.state(); }
  // Once true, flush TakeOutput() and close the connection.
  bool closed() const { return machine_.state() == State::kClosed; }
  // Reading a BDAT chunk: the next bytes are its data, not commands.
  bool reading_chunk() const { return chunk_.has_value(); }

 private:
  Session(Config config, std::variant<std::unique_ptr<Handler>, Error> opened,
          const ConnectionInfo& info, Time now);

  // Runs `bytes` through the readers and the machine.
  void Process(std::string_view bytes, Time now);
  // Drains the command reader into the machine; returns when it needs
  // data or the machine left command mode (DATA, a BDAT chunk, STARTTLS,
  // closed).
  void ReadCommands(Time now);
  // Feeds DATA content; returns the bytes consumed. At the end of data it
  // finishes the transaction and restarts the command reader after it.
  std::size_t ReadData(std::string_view bytes, Time now);
  // The same for a BDAT chunk: the machine gets the octets and, at the end
  // of the chunk, answers the BDAT.
  std::size_t ReadChunk(std::string_view bytes, Time now);
  // A new command reader for the stream from `offset` on.
  void RestartCommands(std::size_t offset);
  void ReportDataNotices();
  void NoteProblem(const wire::Problem& problem);
  // Bytes that arrived where nothing may read them (after STARTTLS, after
  // close): dropped, and reported the first time.
  void Discard(std::size_t size, std::size_t offset);
  // Moves the machine's events here, giving those without a position
  // `offset`, the start of what caused them.
  void CollectEvents(std::size_t offset);
  // Renders the machine's replies into the output and collects events.
  void Flush();
  Config config_;
  std::unique_ptr<Handler> owned_handler_;  // before machine_: outlives it
  Machine machine_;
  wire::CommandReader commands_;
  std::optional<data::Reader> data_;
  std::size_t data_start_ = 0;    // stream offset of the first DATA byte
  std::size_t data_notices_ = 0;  // data_->notices() already reported
  std::optional<bdat::ChunkReader> chunk_;
  std::size_t chunk_start_ = 0;  // stream offset of the chunk's first octet
  std::size_t offset_ = 0;       // stream offset of the next byte fed
  bool discard_reported_ = false;
  std::string output_;
  std::vector<Event> events_;
};

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_SESSION_H_
