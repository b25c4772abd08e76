// What a server makes of a client's byte stream: command lines; after a
// 354, DATA content up to <CRLF>.<CRLF> (RFC 5321 4.1.1.4); after a BDAT,
// exactly the announced number of octets (RFC 3030 2); then command lines
// again. The one framer of the project: the server session reads its
// client with it, and the interpreter reads the harness's own output and a
// client's output with it, so both agree where every command, message and
// chunk begins and ends. A new mode (AUTH's continuation lines, RFC 4954 4)
// is added here once.
//
// The framer does not decide when DATA content or a chunk begins: the
// reader of a command does (the server machine after its 354, the
// interpreter after the 354 it saw), by calling BeginData() or
// BeginChunk(). Bytes after that command already fed are then re-read as
// content, so pipelined input (RFC 2920) is framed the same however it was
// split.
#ifndef SMTPSPEC_ENGINE_WIRE_FRAMER_H_
#define SMTPSPEC_ENGINE_WIRE_FRAMER_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/bdat/bdat.h"
#include "engine/command.h"
#include "engine/data/notice.h"
#include "engine/data/reader.h"
#include "engine/wire/command_reader.h"
#include "engine/wire/wire.h"

namespace smtpspec::wire {

struct FramerOptions {
  Policy commands;           // command lines (RFC 5321 4.5.3.1.4, 2.3.8)
  data::ReaderOptions data;  // DATA content
  // The most of each BDAT chunk handed out in ChunkData frames; octets past
  // it are counted, not kept (a reader that only follows the framing keeps
  // none).
  std::size_t keep_chunk = std::numeric_limits<std::size_t>::max();
};

namespace frame {

// A command line. `offset` is where its line starts in the stream,
// `octets` its length with its line end; `notices` are the faults
// tolerated in it (a bare LF ending it, under a lenient policy).
struct CommandLine {
  Command command;
  std::size_t offset = 0;
  std::size_t octets = 0;
  std::vector<Problem> notices;
};

// A line that is no command (answer 500 and read on, RFC 5321 4.2.2).
struct BadLine {
  Problem problem;
};

// Something noticed inside DATA content (a bare CR or LF, a smuggling
// look-alike, a long line), at stream offset `offset`, as soon as decided.
struct DataNotice {
  data::Notice notice;
  std::size_t offset = 0;
};

// The end of DATA content: the content unstuffed (RFC 5321 4.5.2), whether
// it passed the size limit, where it began and how many octets it took
// with its end-of-data line.
struct DataEnd {
  std::string content;
  bool too_big = false;
  std::size_t offset = 0;
  std::size_t octets = 0;
};

// Octets of a BDAT chunk as they arrive (up to keep_chunk in all).
struct ChunkData {
  std::string octets;
};

// A BDAT chunk is complete: where its first octet was, and its size.
struct ChunkEnd {
  std::size_t offset = 0;
  std::uint64_t size = 0;
};

}  // namespace frame

using Frame =
    std::variant<frame::CommandLine, frame::BadLine, frame::DataNotice,
                 frame::DataEnd, frame::ChunkData, frame::ChunkEnd>;

class Framer {
 public:
  explicit Framer(FramerOptions options = {}, std::size_t start_offset = 0);

  // The next bytes of the stream, split anywhere.
  void Feed(std::string_view bytes);

  // The next frame, or nullopt when more bytes are needed. Call until
  // nullopt after each Feed().
  std::optional<Frame> Next();

  // The command just read was answered 354: what follows is DATA content.
  void BeginData();
  // The BDAT command just read announced `size` octets that are read as
  // its chunk (RFC 3030 2).
  void BeginChunk(std::uint64_t size);
  // A new command reader for the stream from `offset` on, all else
  // dropped (after the TLS handshake, RFC 3207 4.2).
  void Restart(std::size_t offset);

  // Command mode: the bytes fed and not yet read, taken away (after
  // STARTTLS they must never be read, RFC 3207 6), and where they start.
  std::string TakeBuffered() { return commands_.TakeBuffered(); }
  std::size_t offset() const { return commands_.offset(); }

  bool in_data() const { return data_.has_value(); }
  bool in_chunk() const { return chunk_.has_value(); }
  // Bytes held that do not yet form a frame.
  std::size_t buffered() const;

 private:
  std::optional<Frame> NextCommand();
  // After the end of DATA content or of a chunk: commands again from
  // `offset`, starting with the bytes left over.
  void ResumeCommands(std::size_t offset, std::string_view rest);

  FramerOptions options_;
  CommandReader commands_;
  std::optional<data::Reader> data_;
  std::size_t data_start_ = 0;
  std::size_t notices_sent_ = 0;  // data_->notices() handed out
  std::optional<bdat::ChunkReader> chunk_;
  std::size_t chunk_start_ = 0;
};

}  // namespace smtpspec::wire

#endif  // SMTPSPEC_ENGINE_WIRE_FRAMER_H_
