// BDAT (RFC 3030 2, CHUNKING): the command's argument and the chunk of
// octets that follows it.
//
//   bdat-cmd   ::= "BDAT" SP chunk-size [ SP end-marker ] CR LF
//   chunk-size ::= 1*DIGIT
//   end-marker ::= "LAST"
//
// The chunk is binary: exactly chunk-size octets sent right after the
// command's CRLF, with no dot-stuffing and no end-of-data line. CRLF.CRLF,
// a bare CR or LF and NUL inside it are data, and what follows it is the
// next command. So the chunk is a byte count, never a line: ChunkReader
// counts, and hands back the bytes that are not the chunk's.
#ifndef SMTPSPEC_ENGINE_BDAT_BDAT_H_
#define SMTPSPEC_ENGINE_BDAT_BDAT_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "engine/result.h"

namespace smtpspec::bdat {

// A well-formed BDAT argument.
struct Argument {
  std::uint64_t size = 0;  // chunk-size, in octets
  bool last = false;       // end-marker: the message's final chunk

  bool operator==(const Argument&) const = default;
};

// The chunk size the client announced: the argument's first word (up to SP
// or HTAB) when it is 1*DIGIT and fits in 64 bits, even when the rest of
// the argument is wrong ("5 LAT", "5\tLAST"). Such a client has still sent that
// many octets of data, and a server must read them as data whatever it answers
// (RFC 3030 2: "If a failure occurs after a BDAT command is received, the
// receiver-SMTP MUST accept and discard the associated message data"). nullopt:
// no size can be read, so there is no chunk to skip and the next bytes are
// commands.
std::optional<std::uint64_t> AnnouncedSize(std::string_view argument);

// The whole argument by the grammar above. The end-marker is matched
// without regard to case, as SMTP keywords are (RFC 5321 2.4). Errors say
// what is wrong, for a 501 reply.
Result<Argument> ParseArgument(std::string_view argument);

// Reads one chunk off a byte stream: the first `size` octets fed, split
// anywhere, are the chunk; the rest is not consumed. Up to `max_store` of
// the chunk's octets are kept (for a reader that wants the content, e.g.
// to show it); the rest are counted only, so a lying size costs no memory.
class ChunkReader {
 public:
  explicit ChunkReader(std::uint64_t size, std::size_t max_store = 0);

  // Reads the chunk's octets from the front of `bytes` and returns how many
  // were the chunk's: all of them until the chunk is complete, then none.
  // The bytes after the chunk belong to the command reader.
  std::size_t Feed(std::string_view bytes);

  bool done() const { return remaining_ == 0; }
  // The announced chunk-size and the octets still to come.
  std::uint64_t size() const { return size_; }
  std::uint64_t remaining() const { return remaining_; }

  // The octets kept and not yet taken (at most max_store in all), and
  // whether some of the chunk is not kept.
  const std::string& content() const { return content_; }
  std::string TakeContent();
  bool truncated() const { return size_ > max_store_; }

 private:
  std::uint64_t size_;
  std::uint64_t remaining_;
  std::size_t max_store_;
  std::size_t stored_ = 0;  // octets ever kept, taken or not
  std::string content_;
};

}  // namespace smtpspec::bdat

#endif  // SMTPSPEC_ENGINE_BDAT_BDAT_H_
