// Client side: bytes in, Replies out (RFC 5321 4.2).
//
// A reply is one or more lines with the same three-digit code, "-" after
// the code on all but the last line and " " (or nothing, below) on the last
// (RFC 5321 4.2.1). Enhanced status codes (RFC 3463, advertised with
// ENHANCEDSTATUSCODES, RFC 2034): when the first line's text begins with
// class.subject.detail whose class is the code's first digit, followed by
// a space or the line end, Reply::enhanced is set and that prefix is taken
// off every line that begins with it (see reply.h).
//
// Faults (line_reader.h, and the reply faults in wire.h) end the reply
// being read: its lines so far are dropped, the Problem is returned, and
// the next line starts a new reply, so one broken reply never swallows the
// next one. The exception is kTooManyReplyLines, where the reply is known
// to go on: its remaining lines (same code) are skipped through its last.
#ifndef SMTPSPEC_ENGINE_WIRE_REPLY_READER_H_
#define SMTPSPEC_ENGINE_WIRE_REPLY_READER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/reply.h"
#include "engine/wire/line_reader.h"
#include "engine/wire/wire.h"

namespace smtpspec::wire {

class ReplyReader {
 public:
  // `max_lines` bounds the lines of one reply, and so, with the Policy's
  // line limit, the memory a reply can take.
  explicit ReplyReader(Policy policy = {.max_line = kReplyLineMax},
                       std::size_t max_lines = kReplyLinesMax,
                       std::size_t start_offset = 0);

  // Appends the next chunk of the stream, split anywhere.
  void Feed(std::string_view bytes) { lines_.Feed(bytes); }

  // The next complete reply, or a Problem, or NeedData.
  Event<Received<Reply>> Next();

  // As LineReader. After the server's 220 to STARTTLS, buffered() > 0 means
  // the server (or a man in the middle) sent bytes before the handshake:
  // they must be discarded, not read as if protected (RFC 3207 6).
  std::size_t buffered() const { return lines_.buffered(); }
  std::size_t offset() const { return lines_.offset(); }
  std::string TakeBuffered() { return lines_.TakeBuffered(); }

 private:
  // Adds `line` (with its tolerated `notices`, if any) to the reply being
  // read and sets `*done` when it was the last; or returns the Problem that
  // ends the reply. The line comes by value, in registers: it was just
  // written, and reading it back from memory stalled (store forwarding).
  std::optional<Problem> Take(std::string_view line, std::size_t offset,
                              std::vector<Problem>* notices, bool* done);
  // Forgets the reply being read.
  void Drop();

  LineReader lines_;
  std::size_t max_lines_;
  Received<Reply> reply_;      // the reply being read; code 0 when none
  std::string enhanced_text_;  // its enhanced code as the first line spelt it
  int skip_code_ = 0;  // after too many lines, skip the rest of this code
};

}  // namespace smtpspec::wire

#endif  // SMTPSPEC_ENGINE_WIRE_REPLY_READER_H_
