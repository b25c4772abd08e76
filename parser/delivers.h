// Whether playing a scenario's client side against a server may complete a
// mail transaction, so that the server delivers a message (RFC 5321 3.3:
// the transaction ends with the end of data; RFC 3030 2: or BDAT LAST).
// Known from the steps alone, without playing them: `smtpspec probe` runs
// only scenarios that deliver nothing, and `run --target` says how many
// messages a selection may deliver to a live server.
#ifndef SMTPSPEC_PARSER_DELIVERS_H_
#define SMTPSPEC_PARSER_DELIVERS_H_

#include "parser/scenario.h"

namespace smtpspec::parser {

// The first step that may complete a transaction, or null when none does:
// a `!bdat ... last`, or, after a DATA command (C:, in a `!pipeline` or
// raw), a `!body` or raw bytes the client sends (the message content and
// its end of data). A DATA the server refuses (503) followed only by
// commands delivers nothing. A scenario that tests a client (`tests:
// client`) delivers nothing to its target: the harness is the server.
// Includes must be resolved first (include.h).
const Step* DeliveringStep(const Scenario& scenario);

inline bool Delivers(const Scenario& scenario) {
  return DeliveringStep(scenario) != nullptr;
}

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_DELIVERS_H_
