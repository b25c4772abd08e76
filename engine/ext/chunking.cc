#include "engine/ext/chunking.h"

namespace smtpspec::ext {
namespace {

constexpr Verb kVerbs[] = {Verb::kBdat};

}  // namespace

// RFC 3030 2: the EHLO keyword is CHUNKING, with no parameters. (BODY=
// BINARYMIME is RFC 3030 3's BINARYMIME extension, not offered here.)
std::optional<std::string> Chunking::EhloLine(const Context& context) const {
  return "CHUNKING";
}

std::span<const Verb> Chunking::verbs() const { return kVerbs; }

}  // namespace smtpspec::ext
