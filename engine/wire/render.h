// Commands and replies back to wire bytes, exactly, or an Error when the
// value cannot be put on the wire as it is. Reading what these render gives
// back the same value (see wire_test.cc), so nothing built through them can
// smuggle a line end or a malformed line onto the wire.
#ifndef SMTPSPEC_ENGINE_WIRE_RENDER_H_
#define SMTPSPEC_ENGINE_WIRE_RENDER_H_

#include <string>

#include "engine/command.h"
#include "engine/reply.h"
#include "engine/result.h"

namespace smtpspec::wire {

// "NAME SP argument CRLF", or "NAME CRLF" when the argument is empty
// (RFC 5321 4.1.1). NAME is Command::name, or VerbName(verb) when the name
// is empty. Refused: a name that is not printable US-ASCII without spaces,
// or that spells a different verb than Command::verb; an argument holding
// CR, LF or NUL (a line end inside it would inject a second command).
// Error offsets are where the offending byte would have been on the wire.
Result<std::string> RenderCommand(const Command& command);

// Every line as "ddd-" (all but the last) or "ddd " (the last) followed by
// the enhanced code and a space when Reply::enhanced is set (RFC 2034 3),
// then the line's text, then CRLF (RFC 5321 4.2.1). A last line with no
// text and no enhanced code is "ddd" alone, since textstring is at least
// one character (RFC 5321 4.2). Refused: a code outside 200-599 or whose
// second digit is above 5 (RFC 5321 4.2), no lines, an enhanced code whose
// class is not the code's first digit or not 2, 4 or 5, or whose parts are
// outside 0-999 (RFC 3463 2), text holding CR, LF or NUL.
//
// One ambiguity is the wire's, not ours: a Reply without `enhanced` whose
// first line begins with "2.0.0 " renders to the same bytes as the Reply
// with enhanced = 2.0.0, and reading gives the latter.
Result<std::string> RenderReply(const Reply& reply);

}  // namespace smtpspec::wire

#endif  // SMTPSPEC_ENGINE_WIRE_RENDER_H_
