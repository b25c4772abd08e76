#include "cli/allocator.h"

#include <malloc.h>

namespace smtpspec::cli {

bool TuneAllocatorForParsing() {
#if defined(__GLIBC__) && defined(M_MXFAST)
  return mallopt(M_MXFAST, 0) == 1;
#else
  return false;
#endif
}

}  // namespace smtpspec::cli
