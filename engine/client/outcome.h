// What a client session reports: every exchange it made, what became of each
// message and each recipient, and how the session ended. Plain data, so a
// caller can print it, compare it in a test, or serialise it.
#ifndef SMTPSPEC_ENGINE_CLIENT_OUTCOME_H_
#define SMTPSPEC_ENGINE_CLIENT_OUTCOME_H_

#include <optional>
#include <string>
#include <vector>

#include "engine/command.h"
#include "engine/path.h"
#include "engine/reply.h"
#include "engine/result.h"

namespace smtpspec::client {

// The first digit of a reply code, RFC 5321 4.2.1.
enum class ReplyClass {
  kNoReply,       // none came: timeout, connection lost, 421 earlier
  kPositive,      // 2yz
  kIntermediate,  // 3yz
  kTransient,     // 4yz: the same request may succeed later
  kPermanent,     // 5yz: it will not
  kInvalid,       // a code outside 200..599
};

// Classifies a three-digit reply code.
ReplyClass Classify(int code);

// Which exchange a step was. The body and its terminating "." are one step:
// the reply to it is the final reply of the transaction (RFC 5321 4.1.1.4).
enum class Stage {
  kGreeting,  // no command: the server speaks first (3.1)
  kEhlo,
  kHelo,
  kStartTls,
  kMail,
  kRcpt,
  kData,       // "DATA", answered by 354
  kEndOfData,  // body + CRLF.CRLF, no command
  kRset,
  kQuit,
};

// One command and the reply it got.
struct Step {
  Stage stage = Stage::kGreeting;
  std::optional<Command> command = {};  // absent for kGreeting and kEndOfData
  std::optional<Reply> reply = {};      // absent when none arrived
  ReplyClass reply_class = ReplyClass::kNoReply;

  bool operator==(const Step&) const = default;
};

// What happened to a message, or to one of its recipients.
enum class Disposition {
  kNotAttempted,      // the session ended (or was refused) before it was tried
  kAccepted,          // a recipient got 250/251, a message got 250 after "."
  kTransientFailure,  // 4yz, timeout or lost connection: retry later
  kPermanentFailure,  // 5yz or a local refusal: do not retry as is
};

struct RecipientResult {
  Path recipient = {};
  Disposition disposition = Disposition::kNotAttempted;
  std::optional<Reply> reply = {};
  // Why, when the client refused the recipient itself (it cannot be
  // rendered) and so no reply exists.
  std::string reason = {};

  bool operator==(const RecipientResult&) const = default;
};

// One message of the queue. kAccepted means the server took responsibility
// for the message for the recipients whose own disposition is kAccepted.
struct Transaction {
  Disposition disposition = Disposition::kNotAttempted;
  std::vector<RecipientResult> recipients = {};
  std::optional<Reply> reply =
      {};                   // the reply that settled it, when a reply did
  std::string reason = {};  // one sentence unless accepted

  bool operator==(const Transaction&) const = default;
};

// How the session ended.
enum class Ending {
  kInProgress,
  kQuit,             // QUIT was answered (or the server closed after QUIT)
  kGreetingRefused,  // 554 (or another non-220) greeting, RFC 5321 3.1
  kHelloRefused,     // EHLO and HELO both refused, RFC 5321 4.1.1.1
  kServiceClosing,   // 421 at any point, RFC 5321 3.8
  kTlsUnavailable,   // TLS required but not advertised or refused, RFC 3207
  kProtocolError,    // the server answered with a code that makes no sense
  kMalformedReply,   // the reply bytes could not be parsed
  kTimeout,          // a deadline of RFC 5321 4.5.3.2 passed
  kConnectionLost,   // the server closed without 421, RFC 5321 3.8
  kAborted,          // the caller gave up (TLS handshake failed, ...)
};

struct Outcome {
  std::vector<Step> steps = {};
  std::vector<Transaction> transactions = {};  // one per message, queue order
  Ending ending = Ending::kInProgress;
  // Why the session ended otherwise than by a clean QUIT. `offset` counts
  // bytes of the reply stream when the reply bytes are to blame, else 0.
  std::optional<Error> error = {};
  // For kMalformedReply: the offending reply bytes as received.
  std::string offending_bytes = {};

  bool operator==(const Outcome&) const = default;
};

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_OUTCOME_H_
