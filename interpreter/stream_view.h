// What a conformant SMTP server makes of a client's byte stream: command
// lines, then after a 354 the DATA content up to <CRLF>.<CRLF>, and BDAT
// chunks by their announced size.
//
// The interpreter needs this view twice. With a server under test it runs
// over the harness's own output, so every reply can be paired with the
// command the server saw, even for raw and pipelined sends. With a client
// under test it runs over the client's output, to read its commands and
// message data.
#ifndef SMTPSPEC_INTERPRETER_STREAM_VIEW_H_
#define SMTPSPEC_INTERPRETER_STREAM_VIEW_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command.h"
#include "engine/data/notice.h"
#include "engine/wire/framer.h"
#include "engine/wire/wire.h"

namespace smtpspec::interp {

// One thing read off the stream.
struct StreamItem {
  enum class Kind {
    kCommand,   // `command`, whose line was `octets` long with its CRLF
    kDataEnd,   // the end of DATA content; `content` holds it unstuffed
    kBdatChunk, // a BDAT chunk's octets in `content` (at most kMaxChunk)
    kProblem,   // a malformed line, described by `problem`
  };
  Kind kind = Kind::kCommand;
  Command command;
  std::string line; // the command line as sent, without its line end
  std::size_t octets = 0;
  std::string content;
  wire::Problem problem;
  // Faults tolerated in a command line (a bare LF ending it) and notices
  // inside DATA content (bare CR/LF, SMTP smuggling look-alikes, long
  // lines), for findings.
  std::vector<wire::Problem> notices;
  std::vector<data::Notice> data_notices;
};

class StreamView {
public:
  // The most of one BDAT chunk kept in StreamItem::content: a scenario's
  // data is never longer (parser/raw_string.h), so a longer chunk differs
  // from it anyway, and a lying size costs no memory.
  static constexpr std::size_t kMaxChunk = 64 << 20;

  // `lenient`: accept a bare LF as a command line end (with a notice), so
  // a sloppy client can still be followed; the harness's own stream is
  // read strictly.
  // `max_chunk`: how much of each BDAT chunk to keep in StreamItem::content
  // (0 when only the framing matters, as for the harness's own stream).
  explicit StreamView(bool lenient, std::size_t max_chunk = kMaxChunk);

  void Feed(std::string_view bytes);

  // The next item, or nullopt when more bytes are needed.
  std::optional<StreamItem> Next();

  // A 354 was sent or received: what follows is DATA content (RFC 5321
  // 4.1.1.4). Bytes already buffered are re-read as content.
  void BeginData() { framer_.BeginData(); }

  bool in_data() const { return framer_.in_data(); }
  // Reading the octets of a BDAT chunk (RFC 3030 2).
  bool in_chunk() const { return framer_.in_chunk(); }
  // Bytes held that do not yet form an item.
  std::size_t buffered() const { return framer_.buffered() + chunk_.size(); }

private:
  // The engine's framer (engine/wire/framer.h), the server session's own: both
  // agree where every command, message and chunk ends.
  wire::Framer framer_;
  std::string chunk_;                      // the chunk's octets so far
  std::vector<data::Notice> data_notices_; // the DATA content's so far
};

} // namespace smtpspec::interp

#endif // SMTPSPEC_INTERPRETER_STREAM_VIEW_H_
