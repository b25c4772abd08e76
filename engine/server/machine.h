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

#include "engine/bdat/bdat.h"
#include "engine/command.h"
#include "engine/esmtp.h"
#include "engine/ext/extension.h"
#include "engine/reply.h"
#include "engine/server/backend.h"
#include "engine/server/config.h"
#include "engine/server/event.h"
#include "engine/server/legality.h"
#include "engine/server/state.h"
#include "engine/server/transaction.h"

namespace smtpspec::server {

class Machine {
 public:
  // `handler` must outlive the machine. `tls`: the connection is TLS from
  // its first byte (implicit TLS, RFC 8314), so STARTTLS is not offered.
  Machine(Config config, Handler& handler, bool tls = false);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // The configuration it was made with (the session's framer reads its
  // limits from it; one copy a session).
  const Config& config() const { return config_; }

  // Queues the greeting: 220 or 554 as Config::greeting says (RFC 5321
  // 3.1, 4.3.2). Later calls do nothing.
  void Start(Time now);
  // Queues a 554 greeting with the backend's reason instead (the backend
  // refused the connection, RFC 5321 3.1). Only before Start().
  void Refuse(const Error& why, Time now);

  // One command line from the client. Not valid in kData (the content goes
  // to FinishData) nor while a BDAT chunk is awaited (ChunkData), ignored in
  // kClosed and reported in kStartingTls. Trailing
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

  // BDAT (RFC 3030 2). After Handle() of a BDAT command whose chunk size
  // can be read, the next awaited_chunk() octets of the stream are its
  // chunk, whether the command will be accepted or refused: a server
  // "MUST accept and discard the associated message data before sending
  // the appropriate 5XX or 4XX code", or the data would be read as
  // commands. The caller hands them to ChunkData() as they arrive (split
  // anywhere, exactly that many in all) and then calls EndChunk(), which
  // queues the BDAT's one reply: 250 per accepted chunk, and after LAST
  // the transaction's reply from Handler::Data. A BDAT whose size cannot
  // be read is answered 501 at once, and no chunk is awaited.
  std::optional<std::uint64_t> awaited_chunk() const;
  void ChunkData(std::string_view octets);
  void EndChunk(Time now);
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
  const Envelope& envelope() const { return transaction_.envelope(); }
  const Transaction& transaction() const { return transaction_; }
  bool tls() const { return tls_; }

  // Replies queued since the last call, in order.
  std::vector<Reply> TakeReplies();
  std::vector<Event> TakeEvents();

 private:
  void Dispatch(const Command& command);
  void Hello(const Command& command, bool extended);
  void Mail(const Command& command);
  void Rcpt(const Command& command);
  // MAIL's or RCPT's argument, parsed; nullopt when it failed and the 501
  // reply is already queued.
  std::optional<PathArgument> ParseArgument(const Command& command);
  void Data(const Command& command);
  void Bdat(const Command& command, const Rule& rule);
  // Why the BDAT just read is refused, decided when it is read; its chunk
  // is read and dropped before the reply goes out (RFC 3030 2). `offered`:
  // a module adds BDAT (CHUNKING).
  std::optional<Error> BdatRefusal(const Result<bdat::Argument>& argument,
                                   std::uint64_t size, const Rule& rule,
                                   bool offered) const;
  // Hands a complete message to the backend and queues the transaction's
  // reply: 552 when `too_big`, the backend's refusal, or 250 once stored
  // (RFC 5321 4.1.1.4). Ends the transaction either way.
  void Deliver(std::string_view content, bool too_big);
  void Rset(const Command& command);
  void Quit(const Command& command);
  void Vrfy(const Command& command);
  void StartTls(const Command& command, const Rule& rule);
  // A verb outside RFC 5321's minimum implementation (4.5.1) needs an
  // offered module that adds it: false when the command is answered here
  // (502 without one, 503 STARTTLS under TLS, or the module's own reply,
  // HELP's), true when the machine carries it out.
  bool Offered(const Command& command);
  // The legality table's column for the session now.
  Phase CurrentPhase() const;
  // What the extension modules are told about this session.
  ext::Context ExtensionContext() const;

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
  const ext::Switches switches_;  // of config_.extensions
  State state_ = State::kGreeting;
  bool tls_ = false;
  bool extended_ = false;  // greeted with EHLO: ESMTP parameters allowed
  bool enhanced_ = false;  // ENHANCEDSTATUSCODES advertised (RFC 2034)
  bool logged_out_ = false;
  Transaction transaction_;
  // BDAT (RFC 3030 2). The chunk being read: its size, LAST, and the
  // refusal to send once it is read (nullopt: accepted so far). Not the
  // transaction's: a refused BDAT's chunk is read outside one too.
  struct Chunk {
    std::uint64_t size = 0;
    bool last = false;
    std::optional<Error> refusal;
    bool spoils = false;  // the refusal leaves the transaction failed
  };
  std::optional<Chunk> chunk_;
  std::optional<Time> deadline_;
  std::vector<Reply> replies_;
  std::vector<Event> events_;
};

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_MACHINE_H_
