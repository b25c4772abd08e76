// Server side: bytes in, Commands out (RFC 5321 4.1).
//
// A line is split at its first space into the verb and the argument, kept
// verbatim for the per-verb parsers. The verb is recognised in any case
// (RFC 5321 2.4). A verb the engine does not know is still a Command
// (Verb::kUnknown, answered 500 by the server); a line that cannot be a
// command at all, or a faulty line (line_reader.h), is a Problem.
#ifndef SMTPSPEC_ENGINE_WIRE_COMMAND_READER_H_
#define SMTPSPEC_ENGINE_WIRE_COMMAND_READER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "engine/command.h"
#include "engine/wire/line_reader.h"
#include "engine/wire/wire.h"

namespace smtpspec::wire {

// One command line, without its line end, read as a Command. `offset` is
// the stream offset of the line and goes into the Problem on failure.
std::variant<Command, Problem> ParseCommand(std::string_view line,
                                            std::size_t offset = 0);

// A Command whose strings point into the reader's buffer; see
// CommandReader::NextView().
struct CommandView {
  Verb verb = Verb::kUnknown;
  std::string_view name;
  std::string_view argument;
};

class CommandReader {
 public:
  explicit CommandReader(Policy policy = {}, std::size_t start_offset = 0);

  // Appends the next chunk of the stream, split anywhere.
  void Feed(std::string_view bytes) { lines_.Feed(bytes); }

  // The next command, or a Problem in place of a faulty line (answer 500
  // and read on), or NeedData.
  Event<Received<Command>> Next();

  // Next() without copying: the views are valid until the next call of any
  // non-const method. For a caller that acts on the command at once or
  // keeps only part of it: it spares Next()'s allocation per argument,
  // about 40% of its time (bench/engine_bench.cc).
  Event<Received<CommandView>> NextView();

  // As LineReader: bytes fed and not yet read, where they start, and the
  // hand-off after DATA, BDAT and STARTTLS (see LineReader::TakeBuffered:
  // after STARTTLS, buffered() > 0 is a command injection attempt).
  std::size_t buffered() const { return lines_.buffered(); }
  std::size_t offset() const { return lines_.offset(); }
  std::string TakeBuffered() { return lines_.TakeBuffered(); }

 private:
  LineReader lines_;
};

}  // namespace smtpspec::wire

#endif  // SMTPSPEC_ENGINE_WIRE_COMMAND_READER_H_
