#include "engine/model/client_model.h"

#include <string>
#include <utility>

#include "engine/bdat/bdat.h"
#include "engine/ehlo.h"
#include "engine/model/text.h"

namespace smtpspec::model {
namespace {

using rules::Id;

}  // namespace

void ClientModel::ResetTransaction() {
  mail_accepted_ = false;
  in_transaction_ = false;
  chunked_ = false;
  chunk_failed_ = false;
}

void ClientModel::OnGreeting(const Reply& reply) {
  greeted_ = true;
  if (reply.code == 421) server_closing_ = true;
}

std::vector<Finding> ClientModel::OnCommand(const Command& command,
                                            std::size_t line_octets) {
  std::vector<Finding> findings;
  const Verb verb = command.verb;
  pending_.push_back(verb);
  if (verb == Verb::kBdat) {
    Result<bdat::Argument> argument = bdat::ParseArgument(command.argument);
    bdat_last_.push_back(argument.ok() && argument->last);
  }
  if (line_octets > 512) {
    findings.push_back(Broke(Id("rfc5321/4.5.3.1.4-command-line"),
                             "the " + command.name + " command line is " +
                                 std::to_string(line_octets) +
                                 " octets; the limit is 512 including CRLF"));
  }
  if (quit_sent_) {
    findings.push_back(Broke(Id("rfc5321/4.1.4-quit-last"),
                             "the client sent " + command.name +
                                 " after QUIT; QUIT must be the last command"));
    return findings;
  }
  if (server_closing_) {
    findings.push_back(Broke(Id("rfc5321/3.8-client-after-421"),
                             "the client sent " + command.name +
                                 " after a 421 reply announced that the "
                                 "server is closing the channel"));
    return findings;
  }
  if (tls_restart_ && verb != Verb::kEhlo && verb != Verb::kQuit) {
    findings.push_back(Broke(Id("rfc3207/4.2-ehlo-again"),
                             "after the TLS handshake the client should "
                             "send EHLO first, not " +
                                 command.name));
  }
  tls_restart_ = false;

  switch (verb) {
    case Verb::kEhlo:
    case Verb::kHelo: {
      // ehlo = "EHLO" SP ( Domain / address-literal ) CRLF (4.1.1.1).
      const std::string_view arg(command.argument);
      if (!IsDomainOrLiteral(arg)) {
        findings.push_back(
            Broke(Id("rfc5321/4.1.4-primary-name"),
                  command.name +
                      " must carry the client's domain or an address "
                      "literal, not '" +
                      command.argument + "'"));
      }
      break;
    }
    case Verb::kMail:
      // 4.1.4: "A session that will contain mail transactions MUST first
      // be initialized by the use of the EHLO command."
      if (!session_open_) {
        findings.push_back(Broke(Id("rfc5321/4.1.1.1-hello-first"),
                                 "the client sent MAIL before EHLO or HELO "
                                 "was accepted"));
      }
      // 4.1.4: MAIL "MUST NOT be sent if a mail transaction is already
      // open".
      if (in_transaction_ || mail_pending_) {
        findings.push_back(Broke(Id("rfc5321/4.1.4-no-nested-mail"),
                                 "the client sent MAIL while a mail "
                                 "transaction was already open"));
      }
      mail_pending_ = true;
      break;
    case Verb::kRcpt:
      // 3.3: "Mail transaction commands MUST be used in the order
      // discussed above."
      // With PIPELINING the reply to MAIL may still be on its way
      // (RFC 2920 3.1).
      if (!mail_accepted_ && !mail_pending_) {
        findings.push_back(Broke(Id("rfc5321/3.3-order-client"),
                                 "the client sent RCPT without an accepted "
                                 "MAIL command"));
      }
      break;
    case Verb::kData:
    case Verb::kRset:
    case Verb::kQuit:
      // data = "DATA" CRLF, rset = "RSET" CRLF, quit = "QUIT" CRLF.
      if (!command.argument.empty()) {
        findings.push_back(Broke(Id("rfc5321/4.1.1-client-no-arguments"),
                                 command.name +
                                     " takes no argument, but the "
                                     "client sent '" +
                                     command.argument + "'"));
      }
      if (verb == Verb::kData && !mail_accepted_ && !mail_pending_) {
        findings.push_back(Broke(Id("rfc5321/3.3-order-client"),
                                 "the client sent DATA without an accepted "
                                 "MAIL command"));
      }
      if (verb == Verb::kData && chunked_) {
        findings.push_back(Broke(Id("rfc3030/2-no-mixing"),
                                 "the client sent DATA after BDAT in the same "
                                 "transaction; the two cannot be mixed"));
      }
      if (verb == Verb::kQuit) quit_sent_ = true;
      break;
    case Verb::kBdat:
      OnBdat(command, findings);
      break;
    default:
      break;
  }
  return findings;
}

void ClientModel::OnBdat(const Command& command,
                         std::vector<Finding>& findings) {
  const Result<bdat::Argument> argument = bdat::ParseArgument(command.argument);
  // BDAT is the CHUNKING extension's verb; a client uses an extension only
  // when the server's EHLO reply offers it (RFC 3030 2, RFC 5321 2.2.1).
  if (!chunking_offered_) {
    findings.push_back(Broke(Id("rfc3030/2-advertised"),
                             "the client sent BDAT although the server did not "
                             "advertise CHUNKING"));
  }
  if (!argument.ok()) {
    findings.push_back(Broke(Id("rfc3030/2-syntax"),
                             "BDAT must be 'BDAT' SP chunk-size [SP 'LAST']: " +
                                 argument.error().reason));
  }
  if (!mail_accepted_ && !mail_pending_) {
    findings.push_back(Broke(Id("rfc5321/3.3-order-client"),
                             "the client sent BDAT without an accepted MAIL "
                             "command"));
  }
  if (chunk_failed_) {
    // "If a 5XX or 4XX code is received by the sender-SMTP in response to a
    // BDAT chunk, the transaction should be considered failed and the
    // sender-SMTP MUST NOT send any additional BDAT segments."
    findings.push_back(Broke(Id("rfc3030/2-after-failure"),
                             "the client sent another BDAT after a BDAT of the "
                             "transaction was refused; it must send RSET"));
  }
  chunked_ = true;
}

void ClientModel::OnReply(const Reply& reply) {
  if (pending_.empty()) return;  // a reply to nothing the client sent
  const Verb verb = pending_.front();
  pending_.pop_front();
  bool last_chunk = false;
  if (verb == Verb::kBdat && !bdat_last_.empty()) {
    last_chunk = bdat_last_.front();
    bdat_last_.pop_front();
  }
  if (verb == Verb::kMail) mail_pending_ = false;
  if (reply.code == 421) {
    server_closing_ = true;
    return;
  }
  const bool ok = reply.code / 100 == 2;
  switch (verb) {
    case Verb::kEhlo:
    case Verb::kHelo:
      if (ok) {
        session_open_ = true;
        ResetTransaction();  // 4.1.4: an accepted EHLO resets like RSET
        chunking_offered_ =
            verb == Verb::kEhlo && AdvertisesKeyword(reply, "CHUNKING");
      }
      break;
    case Verb::kMail:
      if (ok) {
        mail_accepted_ = true;
        in_transaction_ = true;
        chunked_ = false;
        chunk_failed_ = false;
      }
      break;
    case Verb::kRset:
      if (ok) ResetTransaction();
      break;
    case Verb::kData:
      // A rejected DATA leaves the transaction open; 354 leads to
      // OnDataEnd.
      break;
    case Verb::kBdat:
      if (!ok) {
        // Until RSET (RFC 3030 2); a BDAT refused outside a transaction
        // spoils none.
        chunk_failed_ = in_transaction_;
      } else if (last_chunk) {
        ResetTransaction();  // the message is sent; the transaction is over
      }
      break;
    default:
      break;
  }
}

void ClientModel::OnDataEnd(const Reply& reply) {
  if (reply.code == 421) server_closing_ = true;
  ResetTransaction();  // the transaction ends, accepted or not (4.1.1.4)
}

void ClientModel::OnTlsStarted() {
  session_open_ = false;
  chunking_offered_ = false;  // RFC 3207 4.2: the EHLO reply comes again
  ResetTransaction();
  tls_restart_ = true;
}

std::vector<Finding> ClientModel::OnClose() {
  if (quit_sent_ || server_closing_) return {};
  // 4.1.4: "The last command in a session MUST be the QUIT command."
  return {Broke(Id("rfc5321/4.1.1.10-client-quit"),
                "the client closed the connection without sending QUIT")};
}

}  // namespace smtpspec::model
