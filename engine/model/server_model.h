// The reference model of a conformant SMTP server.
//
// When a server is under test, the interpreter feeds every observed exchange
// (the command it sent and the reply it got) to a ServerModel, which says
// whether a conformant server could have answered that way in that state.
// This is independent of a scenario's patterns: a transcript that forgot to
// pin a reply still catches a server that answers RCPT before MAIL with 250.
//
// The model only flags what the RFCs actually require. Where RFC 5321 leaves
// a server free (accepting MAIL before EHLO, a nested MAIL) it says nothing;
// a scenario that wants stricter behaviour pins it with a pattern.
#ifndef SMTPSPEC_ENGINE_MODEL_SERVER_MODEL_H_
#define SMTPSPEC_ENGINE_MODEL_SERVER_MODEL_H_

#include <string>
#include <vector>

#include "engine/command.h"
#include "engine/model/extension_rules.h"
#include "engine/model/finding.h"
#include "engine/reply.h"

namespace smtpspec::model {

class ServerModel {
 public:
  struct Options {
    // Domains the server under test provides mail service for. RCPT to
    // postmaster at one of them MUST be accepted (RFC 5321 4.5.1); without
    // a domain list only "<Postmaster>" itself is checked.
    std::vector<std::string> served_domains;
  };

  ServerModel() = default;
  explicit ServerModel(Options options);

  // The connection greeting (RFC 5321 3.1, 4.2, 4.3.2).
  std::vector<Finding> OnGreeting(const Reply& reply);

  // A command the client sent and the server's reply to it. For DATA this
  // is the intermediate reply (354 or a rejection); the reply after the
  // end of data goes to OnDataEnd. For BDAT it is the reply after the
  // chunk (RFC 3030 2), which the server reads as data, not commands.
  // `line_octets` is the command line's length including CRLF as sent (0 if
  // unknown): a 500 "line too long" is only legitimate past 512 octets (RFC
  // 5321 4.5.3.1.4).
  std::vector<Finding> OnExchange(const Command& command, const Reply& reply,
                                  std::size_t line_octets = 0);

  // The reply after the end-of-data indication (RFC 5321 4.3.2, DATA).
  std::vector<Finding> OnDataEnd(const Reply& reply);

  // TLS was negotiated after STARTTLS: the session restarts without EHLO
  // (RFC 3207 4.2).
  void OnTlsStarted();

  // The server closed the connection. Before QUIT was answered and without
  // a 421 that is a violation (RFC 5321 3.8, 4.1.1.10).
  std::vector<Finding> OnClose();

 private:
  // The rules of the extensions in force (extension_rules.h).
  std::vector<Finding> JudgeExtensions(const Command& command,
                                       const Reply& reply) const;
  void ResetTransaction();
  // A 503 before EHLO or HELO to a command that works at any time (RFC
  // 5321 4.1.4: "SMTP servers SHOULD process these normally (that is, not
  // return a 503 code) even if no EHLO command has yet been received"):
  // that SHOULD is what it breaks, judged once, not the verb's MUST reply.
  bool BeforeEhlo503(int code) const { return !session_open_ && code == 503; }
  // BDAT's reply (RFC 3030 2); follows the transaction.
  void JudgeBdat(const Command& command, const Reply& reply,
                 std::vector<Finding>& findings);

  Options options_;
  bool greeted_ = false;         // a 220 greeting was received
  bool refused_ = false;         // a 554 greeting: only QUIT may follow
  bool session_open_ = false;    // EHLO or HELO was accepted
  bool mail_accepted_ = false;   // MAIL got 250 in this transaction
  int recipients_accepted_ = 0;  // RCPTs that got 250/251
  bool in_data_ = false;         // DATA got 354; waiting for end of data
  // RFC 3030 2 (BDAT): a chunk of this transaction was accepted; a chunk of
  // it failed, which leaves the state "indeterminate" until RSET, so the
  // model judges no BDAT or DATA until then; the last transaction ended
  // with an accepted BDAT LAST, so a BDAT now MUST get 503.
  bool chunked_ = false;
  bool chunk_failed_ = false;
  bool after_last_ = false;
  // The model rules of the extensions the last EHLO reply advertised.
  std::vector<const ServerRules*> in_force_;
  bool quit_answered_ = false;  // QUIT got 221
  bool closing_ = false;        // a 421 was sent
};

}  // namespace smtpspec::model

#endif  // SMTPSPEC_ENGINE_MODEL_SERVER_MODEL_H_
