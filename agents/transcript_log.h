// Session logs in the transcript format, so a log can be pasted into a
// scenario: what the client sent as `C:` lines and what the server sent as
// `S:` lines, in the order the bytes went by.
//
// A line that ends in CRLF and is plain text becomes `C: text`. Everything
// else is written exactly, as a raw line `C! "..."` (no CRLF added) with the
// transcript format's string escapes: \r \n \t \0 \\ \" \$, \xHH for other
// bytes outside printable ASCII, and \{N}x for a run of N equal bytes. So a
// bare LF shows as `C! "EHLO x\n"`, a NUL as \0, and a 10,000-byte line
// stays short. "Plain" is deliberately narrow (printable ASCII without the
// glob and comment characters \ * ? # $ and without leading or trailing
// spaces), so every `C:`/`S:` line means exactly its bytes.
//
// Memory stays bounded: an unterminated line longer than `max_pending` is
// written out as a raw piece and the rest follows in further pieces.
#ifndef SMTPSPEC_AGENTS_TRANSCRIPT_LOG_H_
#define SMTPSPEC_AGENTS_TRANSCRIPT_LOG_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace smtpspec::agents::transcript_log {

enum class Side { kClient, kServer };

// One direction of a byte stream, cut into transcript lines.
class Formatter {
 public:
  explicit Formatter(Side side, std::size_t max_pending = 4096)
      : side_(side), max_pending_(max_pending > 0 ? max_pending : 1) {}

  // Appends the transcript lines (each ending in '\n') that `bytes`
  // completes to `out`; an unfinished line waits for more.
  void Feed(std::string_view bytes, std::string& out);
  // Writes out an unfinished line, as a raw piece.
  void Finish(std::string& out);

 private:
  Side side_;
  std::size_t max_pending_;
  std::string pending_;
  bool line_start_ = true;  // pending_ starts a line (not a cut-off tail)
};

// Both directions of one session, interleaved as they happen.
class SessionLog {
 public:
  explicit SessionLog(std::size_t max_pending = 4096)
      : client_(Side::kClient, max_pending),
        server_(Side::kServer, max_pending) {}

  // Bytes the client sent / the server sent. Switching direction first
  // finishes the other side's unfinished line, so the order stays true.
  void Client(std::string_view bytes, std::string& out);
  void Server(std::string_view bytes, std::string& out);
  // The `!starttls` step: what follows was inside TLS (RFC 3207).
  void StartTls(std::string& out);
  void Finish(std::string& out);

 private:
  Formatter client_;
  Formatter server_;
};

// One transcript line for `bytes` from `side`: `C: text` when `bytes` is a
// plain line ending in CRLF, otherwise the raw form. Ends with '\n'.
std::string FormatLine(Side side, std::string_view bytes);
// The same for a piece of a stream: unless `line_start`, the piece
// continues a line already written and is always raw.
std::string FormatPiece(Side side, std::string_view bytes, bool line_start);

}  // namespace smtpspec::agents::transcript_log

#endif  // SMTPSPEC_AGENTS_TRANSCRIPT_LOG_H_
