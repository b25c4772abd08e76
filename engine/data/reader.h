// Server side of DATA: wire bytes in (everything after the 354 reply), the
// message content out, and the end of data found.
//
// RFC 5321 4.1.1.4: the data ends with a line holding only ".", that is
// <CRLF>.<CRLF> where the first CRLF ends the last content line; ".<CRLF>"
// right after the 354 is an empty message (the DATA command's CRLF plays the
// first CRLF). RFC 5321 4.5.2: on every other line that begins with '.', the
// first '.' is removed. Content lines end only in CRLF: a bare CR or LF is
// content (and noticed), never a line end.
//
// Streaming: Feed takes chunks split anywhere; the content, the end found,
// the bytes consumed and the notices do not depend on the split. The bytes
// after the end of data are not consumed: they are the next pipelined
// commands (RFC 2920) and go back to the command reader.
//
// Memory is bounded: beyond ReaderOptions::max_size content is counted but
// not stored, so the server can read to the end and answer 552 (RFC 5321
// 4.5.3.1.10, RFC 1870 section 6); notices beyond max_notices are counted
// only; nothing else is buffered between calls beyond a few flags.
#ifndef SMTPSPEC_ENGINE_DATA_READER_H_
#define SMTPSPEC_ENGINE_DATA_READER_H_

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/data/notice.h"

namespace smtpspec::data {

struct ReaderOptions {
  // Content bytes to store; beyond this the content is counted only, and
  // too_big() is true once the count exceeds it.
  std::size_t max_size = std::numeric_limits<std::size_t>::max();
  // Notices to keep; later ones are counted in dropped_notices().
  std::size_t max_notices = 100;
  // End-of-data look-alikes (notice::EndLookAlikes()) that end the data.
  // Empty, the default, is RFC 5321: only <CRLF>.<CRLF> ends it. Anything
  // else makes a deliberately broken reader for testing clients and relays
  // against SMTP smuggling; the content then ends with the line break
  // before the '.', and the look-alike is still noticed.
  std::vector<notice::Kind> accepted_ends;
};

class Reader {
 public:
  explicit Reader(ReaderOptions options = {});

  // Reads `bytes`, the next chunk of the stream, up to and including the
  // end of data. Returns how many bytes of this chunk were consumed: all of
  // them until the end is found; after the end, the rest belongs to the
  // command reader. Once done(), consumes nothing.
  std::size_t Feed(std::string_view bytes);

  // True once the end of data has been read.
  bool done() const { return done_; }

  // The content stored so far (unstuffed, not yet taken).
  const std::string& content() const { return content_; }

  // Moves the stored content out, so a streaming sink can keep memory flat.
  // Taken bytes still count against max_size.
  std::string TakeContent();

  // Content bytes so far, stored or not: the message size of RFC 1870
  // (CRLF line ends, without dot-stuffing or the end-of-data line).
  std::size_t size() const { return size_; }

  // True once size() exceeds max_size: the message is incomplete and must
  // be refused with 552 after the end of data (RFC 5321 4.5.3.1.10).
  bool too_big() const { return size_ > options_.max_size; }

  // Wire bytes consumed in total.
  std::size_t consumed() const { return offset_; }

  // Notices in the order they were decided (offsets may be out of order by
  // a byte or two: a CR is judged when the byte after it arrives).
  const std::vector<Notice>& notices() const { return notices_; }
  std::size_t dropped_notices() const { return dropped_notices_; }

  // Which look-alike ended the data, when an accepted one did. Unset while
  // not done and when the real <CRLF>.<CRLF> ended it.
  const std::optional<notice::Kind>& ended_by() const { return ended_by_; }

 private:
  // What the last byte ended, as far as a following '.' is concerned. As
  // the state, kCr is a CR whose fate (CRLF or bare) the next byte decides;
  // as the break before a held '.', it is a bare CR.
  enum class After { kText, kCrLf, kLf, kCr };
  // A '.' right after a line break is held until what follows shows whether
  // it ends the data, is removed (4.5.2), or stays.
  enum class Dot { kNone, kDot, kDotCr };

  // Reads one byte at stream offset `pos`; true when the data has ended.
  // *consumed is false when the byte was only looked at: it follows an
  // accepted look-alike ending in a bare CR, and belongs to the commands.
  bool Step(char c, std::size_t pos, bool* consumed);
  // Reads one byte while no '.' is held.
  void Plain(char c, std::size_t pos);
  // The look-alike made of the break before the '.' (kCrLf, kLf or kCr)
  // and the one after it ("\r\n", "\n" or "\r").
  static notice::Kind LookAlikeKind(After before, std::string_view after);
  // A look-alike has been recognised; true when it ends the data.
  bool LookAlike(notice::Kind kind);
  // The held '.' turned out to be content: removed after a CRLF (4.5.2),
  // kept after a bare CR or LF (not a line start).
  void ReleaseDot();
  // Counts a text octet of the current line (4.5.3.1.6).
  void Text(std::size_t pos);
  void TextRun(std::size_t pos, std::size_t count);
  void Emit(std::string_view bytes);
  void Note(notice::Kind kind, std::size_t offset);

  ReaderOptions options_;
  std::string content_;
  std::size_t size_ = 0;
  std::size_t stored_ = 0;  // bytes ever stored, taken or not
  std::size_t offset_ = 0;  // wire bytes consumed
  std::vector<Notice> notices_;
  std::size_t dropped_notices_ = 0;
  std::optional<notice::Kind> ended_by_;
  bool done_ = false;

  After after_ = After::kCrLf;  // the DATA command's CRLF
  std::size_t cr_offset_ = 0;   // of the CR when after_ is kCr
  Dot dot_ = Dot::kNone;
  After dot_after_ = After::kCrLf;  // the break before the held '.'
  std::size_t dot_offset_ = 0;
  std::size_t line_octets_ = 0;  // text octets on the current CRLF line
};

}  // namespace smtpspec::data

#endif  // SMTPSPEC_ENGINE_DATA_READER_H_
