// The server's protocol state machine at the level of parsed commands:
// Command in, Replies and Events out. It knows RFC 5321's sequencing
// rules and reply codes, and asks a Handler for every decision that
// belongs to the application. It reads no bytes (server::Session does,
// and feeds it) and no clock (every call takes `now`).
#ifndef SMTPSPEC_ENGINE_SERVER_MACHINE_H_
#define SMTPSPEC_ENGINE_SERVER_MACHINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command.h"
#include "engine/esmtp.h"
#include "engine/reply.h"
#include "engine/server_backend.h"
#include "engine/server_config.h"
#include "engine/server_event.h"
#include "engine/server_state.h"

namespace smtpspec::server {

class Machine {
 public:
  // `handler` must outlive the machine. `tls`: the connection is TLS from
  // its first byte (implicit TLS, RFC 8314), so STARTTLS is not offered.
  Machine(Config config, Handler& handler, bool tls = false);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Queues the greeting: 220 or 554 as Config::greeting says (RFC 5321
  // 3.1, 4.3.2). Later calls do nothing.
  void Start(Time now);
  // Queues a 554 greeting with the backend's reason instead (the backend
  // refused the connection, RFC 5321 3.1). Only before Start().
  void Refuse(const Error& why, Time now);

  // One command line from the client. Not valid in kData (the content goes
  // to FinishData), ignored in kClosed and reported in kStartingTls. Trailing
  // SP and HTAB after the argument are ignored (RFC 5321 4.1.1).
  void Handle(const Command& command, Time now);
  // A line that is not a command: over-long (RFC 5321 4.5.3.1.4, 4.2.2:
  // "500 ... command line too long"), empty, not text. Answers 500 and
  // carries on with the next line. `why` becomes the reply text.
  void RejectLine(std::string_view why, Time now);
  // The end of the DATA content (RFC 5321 4.1.1.4), already un-stuffed.
  // `too_big`: the content went over Config::max_message_size and was
  // not kept; it is answered 552 5.3.4 (RFC 1870 6.2, RFC 5321 4.5.3.1.10).
  void FinishData(std::string_view content, bool too_big, Time now);
  // The agent completed the TLS handshake asked for by event kStartTls.
  // Everything learnt before is forgotten, EHLO included (RFC 3207 4.2).
  void TlsEstablished(Time now);
  // The agent is shutting down: 421 and close (RFC 5321 3.8, 4.2.3).
  void Shutdown(Time now);
  // The peer went away without QUIT: tell the backend, send nothing.
  void ConnectionLost();
  // Client bytes arrived: restarts the inactivity timer (RFC 5321
  // 4.5.3.2).
  void Touch(Time now);
  // Fires the timer if `now` is at or past Deadline(): 421 4.4.2, events
  // kTimeout and kClose (RFC 5321 4.5.3.2.7).
  void Tick(Time now);

  // When Tick() must next be called; nullopt once closed.
  std::optional<Time> Deadline() const;
  State state() const { return state_; }
  // The transaction so far (recipients accepted, etc.).
  const Envelope& envelope() const { return envelope_; }
  bool tls() const { return tls_; }

  // Replies queued since the last call, in order.
  std::vector<Reply> TakeReplies();
  std::vector<Event> TakeEvents();

 private:
  void Dispatch(const Command& command);
  void Hello(const Command& command, bool extended);
  void Mail(const Command& command);
  void Rcpt(const Command& command);
  // MAIL's or RCPT's argument, parsed and its parameters checked; nullopt
  // when it failed and the 501/504/552/555 reply is already queued.
  std::optional<PathArgument> ParseArgument(const Command& command);
  void Data(const Command& command);
  void Rset(const Command& command);
  void Quit(const Command& command);
  void Vrfy(const Command& command);
  void Help(const Command& command);
  void StartTls(const Command& command);

  // Queues a reply. Drops `enhanced` before ENHANCEDSTATUSCODES has been
  // advertised, and for replies that must not carry it (RFC 2034 3: the
  // greeting, EHLO/HELO responses, 3xx).
  void Send(int code, EnhancedCode enhanced, std::string text);
  void Send(Reply reply, bool may_enhance = true);
  void SendError(const Error& error);
  void EmitEvent(event::Kind kind, std::string detail);
  // Abandons the transaction (RSET semantics, RFC 5321 4.1.1.5) and tells
  // the handler if one was open.
  void ResetTransaction();
  // Queues kClose and tells the handler; the reply is already queued.
  void Close();

  Config config_;
  Handler& handler_;
  State state_ = State::kGreeting;
  bool tls_ = false;
  bool extended_ = false;  // greeted with EHLO: ESMTP parameters allowed
  bool enhanced_ = false;  // ENHANCEDSTATUSCODES advertised (RFC 2034)
  bool logged_out_ = false;
  Envelope envelope_;
  std::optional<Time> deadline_;
  std::vector<Reply> replies_;
  std::vector<Event> events_;
};

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_MACHINE_H_
