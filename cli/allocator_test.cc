#include "cli/allocator.h"

#include <malloc.h>

#include <cstdlib>
#include <vector>

#include "gtest/gtest.h"

namespace smtpspec::cli {
namespace {

// Bytes that freed small blocks hold in glibc's fastbins after `count`
// 48-byte blocks are allocated and freed (the per-thread cache takes the
// first few of a size; the rest go to the fastbins if there are any).
std::size_t FastbinBytesAfterFreeing(int count) {
  std::vector<void*> blocks;
  for (int i = 0; i < count; ++i) blocks.push_back(std::malloc(48));
  for (void* b : blocks) std::free(b);
  return mallinfo2().fsmblks;
}

TEST(AllocatorTest, FreedSmallBlocksNoLongerWaitInFastbins) {
#if !defined(__GLIBC__)
  GTEST_SKIP() << "the setting is glibc's";
#else
  // As glibc comes, freed blocks pile up in the fastbins: the test can see
  // the difference the setting makes. A sanitizer's allocator refuses.
  if (!RestoreAllocatorDefaults()) {
    GTEST_SKIP() << "this allocator is not glibc's (a sanitizer's?)";
  }
  EXPECT_GT(FastbinBytesAfterFreeing(1000), 0u);

  ASSERT_TRUE(TuneAllocatorForParsing());
  EXPECT_EQ(mallinfo2().fsmblks, 0u) << "mallopt merges what they held";
  EXPECT_EQ(FastbinBytesAfterFreeing(1000), 0u);
#endif
}

}  // namespace
}  // namespace smtpspec::cli
