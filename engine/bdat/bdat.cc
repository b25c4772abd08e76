#include "engine/bdat/bdat.h"

#include <algorithm>
#include <utility>

#include "engine/syntax.h"

namespace smtpspec::bdat {

std::optional<std::uint64_t> AnnouncedSize(std::string_view argument) {
  // Up to the first blank: the machine drops trailing SP and HTAB before it
  // parses (RFC 5321 4.1.1), a reader of the raw line may not, and both
  // must find the same size.
  return syntax::ParseDecimal(
      argument.substr(0, argument.find_first_of(" \t")));
}

Result<Argument> ParseArgument(std::string_view argument) {
  const std::size_t space = argument.find(' ');
  const std::string_view size_text = argument.substr(0, space);
  if (size_text.empty()) {
    return syntax::Fail(0, "BDAT needs the chunk size in octets");
  }
  std::optional<std::uint64_t> size = syntax::ParseDecimal(size_text);
  if (!size) {
    const bool digits = std::all_of(size_text.begin(), size_text.end(),
                                    [](char c) { return syntax::IsDigit(c); });
    return syntax::Fail(0, digits ? "the chunk size is too large"
                                  : "the chunk size must be decimal digits");
  }
  Argument out{*size, false};
  if (space == std::string_view::npos) return out;
  // end-marker ::= "LAST", after exactly one SP; nothing may follow it.
  const std::string_view marker = argument.substr(space + 1);
  if (!syntax::EqualsIgnoreCase(marker, "LAST")) {
    return syntax::Fail(space + 1,
                        "only LAST may follow the chunk size (RFC 3030 2)");
  }
  out.last = true;
  return out;
}

ChunkReader::ChunkReader(std::uint64_t size, std::size_t max_store)
    : size_(size), remaining_(size), max_store_(max_store) {}

std::size_t ChunkReader::Feed(std::string_view bytes) {
  const auto take = static_cast<std::size_t>(
      std::min<std::uint64_t>(remaining_, bytes.size()));
  // Taken content still counts against max_store.
  const std::size_t keep = std::min(take, max_store_ - stored_);
  content_.append(bytes.substr(0, keep));
  stored_ += keep;
  remaining_ -= take;
  return take;
}

std::string ChunkReader::TakeContent() { return std::exchange(content_, {}); }

}  // namespace smtpspec::bdat
