// Bytes in, SMTP lines out: the framing under the command and reply readers.
//
// RFC 5321 2.3.8: lines end in CRLF, and CR and LF must not appear apart.
// The reader finds every defect of that kind and lets a Policy decide which
// ones are tolerated (the line is delivered with a notice) and which are
// faults (the line is replaced by a Problem and reading continues).
//
// Bare LF deserves care. Tolerated, it ends a line like CRLF. Rejected, it
// ends nothing: RFC 5321 2.3.8 says implementations "MUST NOT recognize ...
// any other character or character sequence as a line terminator", 4.1.1.4
// forbids treating it as a line end, and a reader that did so would let
// "<LF>.<CRLF>" end DATA early (SMTP smuggling). So the line runs on, the
// bare LF inside it, to the next CRLF, and the whole line is one Problem
// (kBareLf at the first bare LF): "RSET<LF>RSET<CRLF>" is one faulty line,
// answered once. No line ever starts right after a bare LF.
//
// Memory is bounded: a line that reaches the limit without its line end
// (bare LFs count as octets of the line) is reported at once (kLineTooLong,
// so a server can answer 500 without waiting for an end that may never
// come) and its bytes are discarded up to the next line end, a CRLF unless
// bare LF is accepted; then reading recovers. As long as Next() is drained
// until NeedData before each Feed(), buffered() never exceeds the line
// limit; bytes fed while complete lines wait unread are kept whole, because
// they may belong to another reader (see TakeBuffered).
#ifndef SMTPSPEC_ENGINE_WIRE_LINE_READER_H_
#define SMTPSPEC_ENGINE_WIRE_LINE_READER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/wire/wire.h"

namespace smtpspec::wire {

// Which defects a reader tolerates, and how long a line may be.
struct Policy {
  // Octets a line may have, its line end included (RFC 5321 4.5.3.1).
  std::size_t max_line = kCommandLineMax;
  // Treat a bare LF as a line end, with a notice. Off by default: RFC 5321
  // 4.1.1.4 says servers MUST NOT do this "even in the name of improved
  // robustness".
  bool accept_bare_lf = false;
  // Deliver lines holding a bare CR, with a notice.
  bool accept_bare_cr = false;
  // Deliver lines holding NUL, with a notice.
  bool accept_nul = false;
};

// How a delivered line ended.
enum class LineEnd {
  kCrlf,
  kBareLf,  // only when Policy::accept_bare_lf
};

// One line, without its line end.
struct Line {
  std::string text;
  std::size_t offset = 0;  // stream offset of the line's first byte
  LineEnd end = LineEnd::kCrlf;
  std::vector<Problem> notices;  // defects the Policy tolerated

  bool operator==(const Line&) const = default;
};

// A Line whose text points into the reader's buffer; see NextView().
struct LineView {
  std::string_view text;
  std::size_t offset = 0;
  LineEnd end = LineEnd::kCrlf;
  std::vector<Problem> notices;
};

class LineReader {
 public:
  // `start_offset` is the stream offset of the first byte to be fed, for
  // a reader that takes over a stream part-way (see TakeBuffered).
  explicit LineReader(Policy policy = {}, std::size_t start_offset = 0);

  // Appends the next chunk of the stream, split anywhere.
  void Feed(std::string_view bytes);

  // The next line, or a Problem in place of a faulty one, or NeedData.
  Event<Line> Next();

  // Next() without copying: the view is valid until the next call of any
  // non-const method. For readers layered on this one.
  Event<LineView> NextView();

  // The common case of NextView() without building an Event, for readers
  // layered on this one: when the next line is complete and clean (CRLF,
  // within the limit, no CR, LF or NUL inside), consumes it, sets
  // its text (valid as NextView's) and offset, and returns true. Otherwise
  // consumes nothing and returns false: NextView() then says what comes.
  bool NextClean(std::string_view* text, std::size_t* offset);

  // Bytes fed but not yet returned as lines (or discarded).
  std::size_t buffered() const { return buf_.size() - head_; }

  // Stream offset of the first buffered byte: after a line, where the next
  // one starts.
  std::size_t offset() const { return offset_; }

  // Hands the buffered bytes to another reader and forgets them. After DATA
  // is answered with 354, or after BDAT, the stream that follows is not
  // lines (RFC 5321 4.1.1.4, RFC 3030): call this after Next() returned the
  // command, and feed the result to the data reader, constructed with
  // start_offset = offset() read before this call.
  //
  // After STARTTLS, any buffered byte is an attack: it was sent in
  // plaintext but would be read as if it came through TLS (RFC 3207 6,
  // CVE-2011-0411). Check buffered() == 0, and discard what this returns.
  std::string TakeBuffered();

  const Policy& policy() const { return policy_; }

 private:
  // Index of the first '\n' at or after head_ that ends a line (after CR,
  // or any LF if the Policy accepts bare LF), or npos. Remembers how far it
  // looked, so feeding a byte at a time stays linear.
  std::size_t FindLf();
  // Reports the line at offset_ as too long and discards its bytes until
  // its line end.
  Problem StartDiscard();
  // Drops bytes of a too-long line up to and including its line end;
  // returns the rest of `bytes`.
  std::string_view Discard(std::string_view bytes);
  // Faults in `text` (CR, NUL, tolerated or not by the Policy; a bare LF,
  // which can only be there when the Policy rejects it).
  std::optional<Problem> CheckText(std::string_view text, std::size_t offset,
                                   std::vector<Problem>& notices) const;

  Policy policy_;
  std::string buf_;                 // bytes; those before head_ are consumed
  std::size_t head_ = 0;            // first unconsumed byte of buf_
  std::size_t scan_ = 0;            // no '\n' in buf_[head_, scan_)
  std::size_t offset_;              // stream offset of buf_[head_]
  bool discarding_ = false;         // inside a too-long line, before its end
  bool discard_cr_ = false;         // the last byte discarded was CR
  std::optional<Problem> pending_;  // found by Feed, returned by Next
};

}  // namespace smtpspec::wire

#endif  // SMTPSPEC_ENGINE_WIRE_LINE_READER_H_
