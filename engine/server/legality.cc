#include "engine/server/legality.h"

#include <iterator>
#include <string>

#include "engine/server/reply.h"

namespace smtpspec::server {
namespace {

constexpr EnhancedCode kBadCommand{5, 5, 1};  // RFC 3463 5.5.1

constexpr Rule kOk{};

// A 503 (RFC 5321 4.2.2: "503 Bad sequence of commands").
constexpr Rule Refuse(std::string_view text) {
  return Rule{false, 503, kBadCommand, text};
}
// The same, decided after the verb's own argument check.
constexpr Rule RefuseLater(std::string_view text) {
  Rule rule = Refuse(text);
  rule.after_argument = true;
  return rule;
}
// Legal, but a failure of the verb here spoils the transaction.
constexpr Rule Spoils(Rule rule) {
  rule.spoils = true;
  return rule;
}

// RFC 5321 3.1, after a 554 greeting: "A server taking this approach MUST
// still wait for the client to send a QUIT ... and SHOULD respond to any
// intervening commands with "503 bad sequence of commands"."
constexpr Rule kOnlyQuit =
    Refuse("No SMTP service here; only QUIT is accepted");

// RFC 5321 4.1.4: "A session that will contain mail transactions MUST
// first be initialized by the use of the EHLO command."
constexpr Rule kGreetFirst = Refuse("Send EHLO or HELO first");

// RFC 5321 4.1.4: "MAIL ... MUST NOT be sent if a mail transaction is
// already open"; "If the commands in a transaction are out of order to the
// degree that they cannot be processed by the server, a 503 failure reply
// MUST be returned". A chunked transaction is open too.
constexpr Rule kNestedMail = Refuse("Nested MAIL command");

// RFC 5321 3.3: "If a RCPT command appears without a previous MAIL
// command, the server MUST return a 503 "Bad sequence of commands"
// response."
constexpr Rule kRcptNeedsMail = Refuse("Need MAIL before RCPT");

// RFC 5321 4.1.4: a transaction is "a transaction beginning command, one
// or more RCPT commands, and a DATA command, in that order"; BDAT takes
// DATA's place (RFC 3030 2), so once the message has begun no recipient
// can join it.
constexpr Rule kRcptAfterBdat = Refuse("RCPT after BDAT; send RSET first");

// RFC 5321 3.3: "If there was no MAIL, or no RCPT, command, or all such
// commands were rejected, the server MAY return a "command out of
// sequence" (503) or "no valid recipients" (554) reply in response to the
// DATA command."
constexpr Rule kDataNeedsMail = Refuse("Need MAIL and RCPT before DATA");
constexpr Rule kNoRecipients = Refuse("No valid recipients");

// RFC 3030 2: "If a DATA statement is issued after a BDAT for the current
// transaction, a 503 "Bad sequence of commands" MUST be issued. The state
// resulting from this error is indeterminate."
constexpr Rule kDataAfterBdat = Spoils(
    Refuse("DATA after BDAT in one transaction; send RSET (RFC 3030 2)"));

// RFC 3207 4.2: "Upon completion of the TLS handshake, the SMTP protocol is
// reset to the initial state": an open transaction would be silently
// lost, so STARTTLS is refused inside one (RFC 5321 4.1.4's 503 for
// commands out of order).
constexpr Rule kTlsInTransaction =
    RefuseLater("STARTTLS inside a mail transaction");

// RFC 3030 2 makes BDAT the data of a transaction (RFC 5321 3.3): as DATA.
// A BDAT after BDAT LAST falls here too (the transaction is over): "Any
// BDAT command sent after the BDAT LAST is illegal and MUST be replied to
// with a 503 "Bad sequence of commands" reply code."
constexpr Rule kBdatNeedsMail = RefuseLater("Need MAIL and RCPT before BDAT");
constexpr Rule kBdatNoRecipients = RefuseLater("No valid recipients");

// RFC 3030 2: after a failed BDAT the receiver must be prepared "to accept
// and discard additional BDAT chunks already in the pipeline"; the
// transaction is indeterminate until RSET.
constexpr Rule kBdatAfterFailure = Spoils(
    RefuseLater("An earlier BDAT of this transaction failed; send RSET"));

// A BDAT refused inside a transaction with recipients, for its argument or
// its size, leaves it failed (RFC 3030 2: "the transaction should be
// considered failed").
constexpr Rule kBdatSpoils = Spoils(kOk);

// Verb by phase, rows in the order of enum Verb (command.h). A verb legal
// everywhere but after 554 is one the session takes in any state (RFC
// 5321 4.1.4: "NOOP, HELP, EXPN, VRFY, and RSET commands can be used at
// any time during a session"; EHLO/HELO restart it).
constexpr Rule kAllowed[][kPhases] = {
    // kRefused  kConnected  kReady  kMail  kRcpt  kChunks  kSpoilt
    /* unknown: 500 */
    {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    /* EHLO */ {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    /* HELO */ {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    /* MAIL */
    {kOnlyQuit, kGreetFirst, kOk, kNestedMail, kNestedMail, kNestedMail,
     kNestedMail},
    /* RCPT */
    {kOnlyQuit, kRcptNeedsMail, kRcptNeedsMail, kOk, kOk, kRcptAfterBdat,
     kRcptAfterBdat},
    /* DATA */
    {kOnlyQuit, kDataNeedsMail, kDataNeedsMail, kNoRecipients, kOk,
     kDataAfterBdat, kDataAfterBdat},
    /* RSET */ {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    /* NOOP */ {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    // RFC 5321 3.1: QUIT is the way out of a refused session.
    /* QUIT */ {kOk, kOk, kOk, kOk, kOk, kOk, kOk},
    /* VRFY */ {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    /* EXPN */ {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    /* HELP */ {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    /* STARTTLS */
    {kOnlyQuit, kOk, kOk, kTlsInTransaction, kTlsInTransaction,
     kTlsInTransaction, kTlsInTransaction},
    /* AUTH */ {kOnlyQuit, kOk, kOk, kOk, kOk, kOk, kOk},
    /* BDAT */
    {kOnlyQuit, kBdatNeedsMail, kBdatNeedsMail, kBdatNoRecipients, kBdatSpoils,
     kBdatSpoils, kBdatAfterFailure},
};
static_assert(std::size(kAllowed) == static_cast<std::size_t>(Verb::kBdat) + 1,
              "one row per Verb, in the enum's order");

}  // namespace

Phase PhaseOf(State state, bool chunked, bool spoilt) {
  switch (state) {
    case State::kRefused:
      return Phase::kRefused;
    case State::kReady:
      return Phase::kReady;
    case State::kMail:
      return Phase::kMail;
    case State::kRcpt:
      return spoilt ? Phase::kSpoilt : chunked ? Phase::kChunks : Phase::kRcpt;
    default:
      return Phase::kConnected;
  }
}

const Rule& Legality(Verb verb, Phase phase) {
  return kAllowed[static_cast<std::size_t>(verb)]
                 [static_cast<std::size_t>(phase)];
}

Error NotOffered(Verb verb, std::string_view name) {
  // RFC 5321 4.2.4: "502 SHOULD be used when the command is actually
  // recognized by the SMTP server, but not implemented."
  switch (verb) {
    case Verb::kHelp:  // RFC 5321 4.1.1.8: HELP is optional
      return Error{502, kBadCommand, "HELP not implemented"};
    case Verb::kStarttls:
      return Error{502, kBadCommand, "STARTTLS not available"};
    case Verb::kBdat:
      // CHUNKING is not in the EHLO reply. The chunk is still read as data
      // when its size can be, so that a client that ignored the EHLO reply
      // (RFC 3030 2 forbids it) cannot have its message run as commands.
      return Error{502, kBadCommand, "Command not implemented: BDAT"};
    default:  // EXPN (RFC 5321 3.5.2: optional), AUTH (RFC 4954)
      return Error{502, kBadCommand,
                   "Command not implemented: " + Printable(name)};
  }
}

Error Unavailable(Verb verb) {
  if (verb == Verb::kStarttls) {
    // RFC 3207 4.2: TLS is active, and "A server MUST NOT return the
    // STARTTLS extension in response to an EHLO command received after a
    // TLS handshake has completed": never twice.
    return Error{503, kBadCommand, "TLS already active"};
  }
  return Error{503, kBadCommand, "Command not available now"};
}

}  // namespace smtpspec::server
