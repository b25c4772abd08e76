#include "cli/allocator.h"

#include <cstddef>

#if defined(__has_include) && __has_include(<malloc.h>)
#include <malloc.h>
#endif

namespace smtpspec::cli {

namespace {

bool SetMxfast(int bytes) {
#if defined(__GLIBC__) && defined(M_MXFAST)
  return mallopt(M_MXFAST, bytes) == 1;
#else
  (void)bytes;
  return false;
#endif
}

}  // namespace

bool TuneAllocatorForParsing() { return SetMxfast(0); }

bool RestoreAllocatorDefaults() {
  return SetMxfast(64 * sizeof(std::size_t) / 4);
}

}  // namespace smtpspec::cli
