#include "engine/ext/chunking.h"

namespace smtpspec::ext {
namespace {

constexpr Verb kVerbs[] = {Verb::kBdat};

}  // namespace

std::span<const Verb> Chunking::verbs() const { return kVerbs; }

}  // namespace smtpspec::ext
