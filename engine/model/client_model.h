// The reference model of a conformant SMTP client.
//
// When a client is under test, the harness plays the server. The
// interpreter feeds the model what the harness sent (greeting, replies) and
// what the client sent (commands, message data, closing), and the model
// says where a conformant client could not have behaved that way.
#ifndef SMTPSPEC_ENGINE_MODEL_CLIENT_MODEL_H_
#define SMTPSPEC_ENGINE_MODEL_CLIENT_MODEL_H_

#include <cstddef>
#include <deque>
#include <vector>

#include "engine/command.h"
#include "engine/model/finding.h"
#include "engine/reply.h"

namespace smtpspec::model {

class ClientModel {
 public:
  // The greeting the harness sent.
  void OnGreeting(const Reply& reply);

  // A command the client sent, judged before the harness replies.
  // `line_octets` is its length including CRLF as sent (0 if unknown).
  std::vector<Finding> OnCommand(const Command& command,
                                 std::size_t line_octets = 0);

  // The harness's reply to the last command.
  void OnReply(const Reply& reply);

  // The client sent the end of data and the harness replied `reply`.
  void OnDataEnd(const Reply& reply);

  // TLS was negotiated after STARTTLS (RFC 3207 4.2).
  void OnTlsStarted();

  // The client closed the connection.
  std::vector<Finding> OnClose();

 private:
  void ResetTransaction();
  // A BDAT command (RFC 3030 2), judged before the harness replies.
  void OnBdat(const Command& command, std::vector<Finding>& findings);

  // Commands sent and not yet answered, oldest first: with PIPELINING
  // (RFC 2920) several may be outstanding, and replies come in order.
  std::deque<Verb> pending_;
  bool mail_pending_ = false;  // MAIL sent, its reply not yet seen
  bool greeted_ = false;
  bool session_open_ = false;    // EHLO/HELO got 250
  bool mail_accepted_ = false;   // MAIL got 250
  bool in_transaction_ = false;  // MAIL accepted and not yet concluded
  bool quit_sent_ = false;
  bool server_closing_ = false;  // 421 sent (RFC 5321 3.8)
  bool tls_restart_ = false;     // TLS just started: EHLO should follow
  // RFC 3030 2 (BDAT): CHUNKING was in the last EHLO reply; a BDAT of this
  // transaction was sent; one was refused (no more may follow); and, for
  // each BDAT not yet answered, whether it was LAST.
  bool chunking_offered_ = false;
  bool chunked_ = false;
  bool chunk_failed_ = false;
  std::deque<bool> bdat_last_;
};

}  // namespace smtpspec::model

#endif  // SMTPSPEC_ENGINE_MODEL_CLIENT_MODEL_H_
