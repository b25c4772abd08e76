// A client SMTP session at the byte level, sans-IO like h11: reply bytes in
// (split anywhere), command and message bytes out, events for the rest.
// It reads replies with wire::ReplyReader, renders commands with
// wire::RenderCommand, dot-stuffs the body with data::Stuffer and leaves
// every decision to client::Machine.
//
// A caller's loop: write TakeOutput(); act on TakeEvents() (start TLS,
// close); read from the socket into Feed(); call Tick() when deadline()
// passes. When the session is done(), outcome() says what happened.
#ifndef SMTPSPEC_ENGINE_CLIENT_CONNECTION_H_
#define SMTPSPEC_ENGINE_CLIENT_CONNECTION_H_

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/client/config.h"
#include "engine/client/event.h"
#include "engine/client/machine.h"
#include "engine/client/message.h"
#include "engine/client/outcome.h"
#include "engine/wire/reply_reader.h"
#include "engine/wire/wire.h"

namespace smtpspec::client {

// How strictly reply bytes are read (RFC 5321 4.5.3.1.5, 2.3.8).
struct WireOptions {
  wire::Policy policy = {.max_line = wire::kReplyLineMax};
  std::size_t max_reply_lines = wire::kReplyLinesMax;
};

class Connection {
 public:
  // The connection is open; the session waits for the greeting.
  Connection(Config config, std::vector<Message> messages, Time now,
             WireOptions options = {});

  // Bytes from the server (after TLS: the decrypted bytes), split anywhere.
  // A malformed reply ends the session with Ending::kMalformedReply; the
  // error's offset counts bytes from the start of the stream.
  void Feed(std::string_view bytes, Time now);

  // Up to `max` bytes to write, removed from the output. Each call is one
  // "send" in the sense of RFC 5321 4.5.3.2.5: while the body goes out,
  // each call restarts the data block timer, and the call that takes the
  // last byte of CRLF.CRLF starts the DATA termination timer.
  std::string TakeOutput(Time now, std::size_t max = kAll);
  std::size_t pending_output() const { return out_.size() - out_head_; }

  std::vector<Event> TakeEvents();

  // The TLS handshake asked for by Event::kStartTls completed; the bytes
  // fed from now on are the TLS plaintext.
  void TlsEstablished(Time now);
  // The handshake failed: the session is over.
  void TlsFailed(std::string reason, Time now);
  // The server closed the connection (read returned 0).
  void ConnectionClosed(Time now);
  // Fires the machine's timer if `now` has reached deadline().
  void Tick(Time now);

  std::optional<Time> deadline() const { return machine_.deadline(); }
  bool done() const { return machine_.done(); }
  const Outcome& outcome() const { return machine_.outcome(); }
  const Machine& machine() const { return machine_; }

  static constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();

 private:
  // Turns the machine's new actions into output bytes and events.
  void Pump(Time now);
  // Bytes that arrived in clear after 220 to STARTTLS (RFC 3207 6).
  void RejectPlaintext(std::size_t offset, std::string bytes, Time now);

  Machine machine_;
  wire::ReplyReader reader_;
  std::string out_;
  std::size_t out_head_ = 0;  // out_[0, out_head_) was taken already
  // Bytes at the front of out_ that belong to a body not fully taken yet.
  std::size_t body_pending_ = 0;
  // Between Event::kStartTls and TlsEstablished nothing may be read.
  bool in_handshake_ = false;
  std::vector<Event> events_;
};

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_CONNECTION_H_
