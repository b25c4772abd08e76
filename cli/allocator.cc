#include "cli/allocator.h"

#if defined(__has_include) && __has_include(<malloc.h>)
#include <malloc.h>
#endif

namespace smtpspec::cli {

bool TuneAllocatorForParsing() {
#if defined(__GLIBC__) && defined(M_MXFAST)
  return mallopt(M_MXFAST, 0) == 1;
#else
  return false;
#endif
}

}  // namespace smtpspec::cli
