// The client side of an SMTP session (RFC 5321 3.1-3.3, 4.1, 4.5.3.2) as a
// pure state machine over parsed replies and commands: no bytes, no
// sockets, no clock.
//
// The caller feeds it what happened (a reply, the TLS handshake finished,
// the body went out, time passed, the connection closed) and takes the
// actions it decided on (send a command, send the body, start TLS, close).
// Exactly one command is outstanding at a time and every reply answers the
// oldest outstanding one, so a pipelining layer (RFC 2920) can sit around it
// without the machine knowing.
//
// Use client::Connection for the byte-level session; use the Machine
// directly to drive a session from already parsed replies.
#ifndef SMTPSPEC_ENGINE_CLIENT_MACHINE_H_
#define SMTPSPEC_ENGINE_CLIENT_MACHINE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/client/action.h"
#include "engine/client/config.h"
#include "engine/client/extensions.h"
#include "engine/client/message.h"
#include "engine/client/outcome.h"
#include "engine/reply.h"
#include "engine/result.h"

namespace smtpspec::client {

class Machine {
 public:
  // The connection is open: the machine waits for the server's greeting
  // (RFC 5321 3.1), then delivers `messages` in order in one session,
  // with RSET after each failed transaction (4.1.1.5) and QUIT at the end.
  Machine(Config config, std::vector<Message> messages, Time now);

  // A complete reply arrived. It answers the outstanding command (or is the
  // greeting, or the final reply to the body).
  void OnReply(const Reply& reply, Time now);
  // The handshake requested by Action::kStartTls completed. Everything
  // learnt before it is forgotten and EHLO is sent again (RFC 3207 4.2).
  void OnTlsEstablished(Time now);
  // Part of the body was written: restarts the data block timer
  // (RFC 5321 4.5.3.2.5).
  void OnBodyProgress(Time now);
  // The whole body and CRLF.CRLF were written: the client now waits for
  // the final reply, up to the DATA termination timeout (4.5.3.2.6).
  void OnBodySent(Time now);
  // Time passed. If the deadline is at or before `now` the session ends
  // with Ending::kTimeout.
  void OnTimer(Time now);
  // The server closed the connection (RFC 5321 3.8).
  void OnConnectionClosed(Time now);
  // The reply bytes could not be parsed; `bytes` is the offending part.
  // The stream can no longer be trusted, so the machine closes.
  void OnMalformedReply(Error error, std::string bytes, Time now);

  // The caller gives up on the session: the TLS handshake failed, a
  // command could not be rendered, ... `error` says why. Closes at once.
  void Abort(Error error, Time now);

  // The actions decided since the last call, oldest first.
  std::vector<Action> TakeActions();
  // When OnTimer must be called next; nullopt when nothing is awaited.
  std::optional<Time> deadline() const { return deadline_; }
  // True once Action::kClose was issued.
  bool done() const { return state_ == State::kClosed; }
  bool tls_active() const { return tls_active_; }
  // What the latest EHLO taught the client (empty after HELO or TLS).
  const Extensions& extensions() const { return extensions_; }
  const Outcome& outcome() const { return outcome_; }

 private:
  enum class State {
    kGreeting,
    kEhlo,
    kHelo,
    kStartTls,
    kTlsHandshake,
    kMail,
    kRcpt,
    kData,
    kBody,
    kEndOfData,
    kRset,
    kQuit,
    kClosed,
  };

  struct Wait {
    Stage stage;
    Duration Timeouts::*timeout;
    const char* expired;  // the reason when the timer fires
  };
  static Wait WaitFor(State state);

  void OnGreeting(const Reply& reply, Time now);
  void OnEhlo(const Reply& reply, Time now);
  void OnHelo(const Reply& reply, Time now);
  void OnStartTls(const Reply& reply, Time now);
  void OnMail(const Reply& reply, Time now);
  void OnRcpt(const Reply& reply, Time now);
  void OnData(const Reply& reply, Time now);
  void OnEndOfData(const Reply& reply, Time now);
  void OnRset(const Reply& reply, Time now);

  void SendEhlo(Time now);
  void AfterHello(Time now);
  void NextTransaction(Time now);
  // RCPT for the next recipient that renders; after the last, DATA if any
  // was accepted, else RSET.
  void NextRecipient(Time now);
  void Send(State state, Verb verb, std::string name, std::string argument,
            Time now);
  void Await(State state, Time now);
  // A failed transaction: settle it, then RSET (RFC 5321 4.1.1.5).
  void FailTransaction(const Reply& reply, std::string reason, Time now);
  void Settle(Disposition disposition, std::optional<Reply> reply,
              std::string reason);
  // Ends the session early: records why, settles the open transaction as
  // transient (RFC 5321 3.8 treats a lost session like 451), then sends
  // QUIT when the stream is still in step, or closes.
  void Abandon(Ending ending, Error error, bool send_quit, Time now);
  void ProtocolError(const Reply& reply, const char* expected, Time now);
  void Close();

  Config config_;
  std::vector<Message> messages_;
  Outcome outcome_;
  std::vector<Action> actions_;
  State state_ = State::kGreeting;
  std::optional<Time> deadline_;
  Extensions extensions_;
  bool tls_active_ = false;
  std::size_t next_message_ = 0;     // first message not yet started
  std::optional<std::size_t> open_;  // the transaction in progress
  std::size_t next_recipient_ = 0;   // of the open transaction
};

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_MACHINE_H_
