// The vocabulary shared by the wire codec: the RFC's line limits, the faults
// a reader can find in the bytes, and the events readers return.
//
// The readers (line_reader.h, command_reader.h, reply_reader.h) are sans-IO,
// like h11: Feed() takes bytes split anywhere, Next() returns one event at a
// time: an item, a Problem, or NeedData when nothing is complete yet. The
// events do not depend on how the bytes were split.
#ifndef SMTPSPEC_ENGINE_WIRE_WIRE_H_
#define SMTPSPEC_ENGINE_WIRE_WIRE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace smtpspec::wire {

// RFC 5321 4.5.3.1.4: a command line is at most 512 octets including CRLF.
// (Extensions such as SIZE may raise it for MAIL and RCPT; the readers take
// the limit as configuration for that reason.)
inline constexpr std::size_t kCommandLineMax = 512;
// RFC 5321 4.5.3.1.5: a reply line is at most 512 octets including CRLF.
inline constexpr std::size_t kReplyLineMax = 512;
// RFC 5321 4.5.3.1.6: a line of message text is at most 1000 octets
// including CRLF.
inline constexpr std::size_t kTextLineMax = 1000;
// Lines one reply may have before the reply reader gives up on it. The RFC
// sets no bound; this one keeps a reply's memory under 64 KiB with 512-octet
// lines while leaving room for the longest real EHLO responses.
inline constexpr std::size_t kReplyLinesMax = 128;

// What can be wrong with the bytes. Each reader reports the kinds it finds.
enum class Fault {
  // Line level (line_reader.h).
  kLineTooLong,  // RFC 5321 4.5.3.1.4-6
  kBareLf,       // RFC 5321 2.3.8: LF not preceded by CR
  kBareCr,       // RFC 5321 2.3.8: CR not followed by LF
  kNul,          // a NUL byte: no command, reply or text syntax admits one
  // Command level (command_reader.h).
  kEmptyCommand,  // an empty line where a command was due
  kBadVerb,       // the verb is missing or has bytes outside printable ASCII
  // Reply level (reply_reader.h).
  kBadReplyCode,       // RFC 5321 4.2: not %x32-35 %x30-35 %x30-39
  kBadReplySeparator,  // RFC 5321 4.2: the code is followed by neither SP
                       // nor "-" nor the line end
  kMixedReplyCodes,    // RFC 5321 4.2.1: lines of one reply differ in code
  kTooManyReplyLines,  // more lines than the reader's bound
};

// A stable lower-case name for logs and JSON ("line-too-long").
std::string_view FaultName(Fault fault);

// One fault found in the bytes. `offset` counts from the start of the stream
// (see each reader's start_offset), so a report can point at the byte.
struct Problem {
  Fault fault = Fault::kLineTooLong;
  std::size_t offset = 0;
  std::string reason;  // one sentence a person understands, citing the RFC
  // The line at fault without its line end, for reports. For a too-long
  // line: its first max_line octets, as received.
  std::string line;

  bool operator==(const Problem&) const = default;
};

// Next() has no complete item: feed more bytes.
struct NeedData {
  bool operator==(const NeedData&) const = default;
};

// An item read off the wire: where its first byte was in the stream, and the
// faults the reader's Policy tolerated in it (e.g. an accepted bare LF), in
// the order they occurred, so a harness can still report them.
template <typename T>
struct Received {
  T value;
  std::size_t offset = 0;
  std::vector<Problem> notices;

  bool operator==(const Received&) const = default;
};

// What a reader's Next() returns: nothing yet, an item, or a Problem (the
// offending bytes are consumed and reading can continue after them).
template <typename T>
using Event = std::variant<NeedData, T, Problem>;

}  // namespace smtpspec::wire

#endif  // SMTPSPEC_ENGINE_WIRE_WIRE_H_
