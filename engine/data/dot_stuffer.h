// Client side of DATA: message content in, wire bytes out.
//
// RFC 5321 4.5.2 (transparency): before sending a line of mail text the
// client checks its first character; if it is a period, one more period is
// put in front of it, so that no content line can be mistaken for the
// end-of-data line ".". RFC 5321 4.1.1.4: the data ends with <CRLF>.<CRLF>,
// the first CRLF being the end of the last content line; content that does
// not end in CRLF gets one before the dot.
//
// RFC 5321 2.3.8: CR and LF must only be sent together, as CRLF. Content
// with bare CR or bare LF (files written on Unix or classic Mac OS) is
// either converted or rejected, as the caller's LineEndings policy says. A
// bare LF followed by '.' is exactly what SMTP smuggling sends, so nothing
// bare ever leaves the Stuffer.
//
// Streaming: content may be fed in chunks split anywhere, also between the
// CR and LF of a CRLF; the output does not depend on the split. Memory use
// is constant: nothing is buffered between calls beyond a few flags.
#ifndef SMTPSPEC_ENGINE_DATA_DOT_STUFFER_H_
#define SMTPSPEC_ENGINE_DATA_DOT_STUFFER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/data/notice.h"
#include "engine/result.h"

namespace smtpspec::data {

// What to do with a CR or LF that is not part of a CRLF.
enum class LineEndings {
  // Turn each bare CR and each bare LF into CRLF (what most MUAs do).
  kConvert,
  // Refuse the content: Feed or Finish returns an Error at the bare byte.
  kReject,
};

class Stuffer {
 public:
  explicit Stuffer(LineEndings policy = LineEndings::kConvert);

  // Appends the wire form of `content`, the next chunk of the message, to
  // *out. With kReject, a bare CR or LF is an Error whose offset counts
  // content bytes from the start of the first chunk; *out may then hold a
  // partial line, and every later call fails with the same Error.
  Status Feed(std::string_view content, std::string* out);

  // Appends the end of data to *out: ".<CRLF>" when the content was empty
  // or ended in CRLF, "<CRLF>.<CRLF>" otherwise (RFC 5321 4.1.1.4). Content
  // ending in a bare CR is converted or rejected like any other. Feeding or
  // finishing again afterwards is an Error.
  Status Finish(std::string* out);

  // Content bytes accepted so far (before stuffing and conversion).
  std::size_t content_size() const { return offset_; }

 private:
  Status Fail(std::size_t offset, std::string reason);
  Status Bare(notice::Kind kind, std::size_t offset, std::string_view fix,
              std::string* out);

  LineEndings policy_;
  std::size_t offset_ = 0;     // content bytes seen
  bool line_start_ = true;     // the next byte begins a line
  bool cr_pending_ = false;    // last byte was a CR (already written)
  std::size_t cr_offset_ = 0;  // where that CR was
  bool finished_ = false;
  std::optional<Error> error_;  // sticky, once anything fails
};

// The whole wire form of `content` in one call: Feed then Finish.
Result<std::string> Stuff(std::string_view content,
                          LineEndings policy = LineEndings::kConvert);

}  // namespace smtpspec::data

#endif  // SMTPSPEC_ENGINE_DATA_DOT_STUFFER_H_
