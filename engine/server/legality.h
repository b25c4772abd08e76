// Which verb is legal where in a server session (RFC 5321 3.3, 4.1.4; RFC
// 3030 2; RFC 3207), as one table in legality.cc, h11-style: for
// each verb and each phase of the session, legal or the reply that
// refuses it. Every 503 the server sends is decided there.
#ifndef SMTPSPEC_ENGINE_SERVER_LEGALITY_H_
#define SMTPSPEC_ENGINE_SERVER_LEGALITY_H_

#include <cstddef>
#include <string_view>

#include "engine/command.h"
#include "engine/reply.h"
#include "engine/server/error.h"
#include "engine/server/state.h"

namespace smtpspec::server {

// Where the session is, as far as legality goes: the State, refined by the
// transaction's BDAT chunks. Commands are looked at only in these; in
// kGreeting the greeting goes out first, and in kData, kStartingTls and
// kClosed a line is no command (machine.h, Machine::Handle).
enum class Phase {
  kRefused,    // State::kRefused: the 554 greeting was sent (RFC 5321 3.1)
  kConnected,  // State::kConnected: no EHLO/HELO yet (4.1.4)
  kReady,      // State::kReady: greeted, no transaction
  kMail,       // State::kMail: MAIL accepted, no recipient yet
  kRcpt,       // State::kRcpt: recipients, no chunk yet
  kChunks,     // State::kRcpt and a BDAT chunk accepted (RFC 3030 2)
  // State::kRcpt and a BDAT (or a DATA after BDAT) failed: "The state
  // resulting from this error is indeterminate" until RSET (RFC 3030 2).
  kSpoilt,
};
inline constexpr std::size_t kPhases = 7;

// The phase of a session in `state` whose transaction has had a chunk
// accepted (`chunked`) or a BDAT fail (`spoilt`). The states where no
// command is dispatched map to kConnected.
Phase PhaseOf(State state, bool chunked, bool spoilt);

// What the table says about one verb in one phase.
struct Rule {
  bool legal = true;
  // When not legal, the reply: 503 5.5.1 and why.
  int code = 0;
  EnhancedCode enhanced;
  std::string_view text;
  // Decided only once the verb has checked its own argument (STARTTLS's
  // 501, BDAT's 501), as the machine always did; otherwise before anything
  // else about the command, even whether a module offers the verb.
  bool after_argument = false;
  // Refused here, for whatever reason (this rule, a bad argument, a size),
  // the verb leaves the transaction indeterminate until RSET (RFC 3030 2).
  bool spoils = false;

  // The refusal as an Error; only when !legal.
  Error refusal() const { return Error{code, enhanced, std::string(text)}; }
};

// The rule for `verb` in `phase`.
const Rule& Legality(Verb verb, Phase phase);

// The reply to a verb outside RFC 5321's minimum implementation (4.5.1)
// that no offered module adds: 502 (RFC 5321 4.2.4). `name` is the verb as
// the client spelt it.
Error NotOffered(Verb verb, std::string_view name);

// The reply to a verb whose module is offered but not available on the
// connection now (ext::Extension::Available): STARTTLS under TLS.
Error Unavailable(Verb verb);

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_LEGALITY_H_
