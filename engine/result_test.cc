#include "engine/result.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace smtpspec {
namespace {

TEST(ResultTest, HoldsValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
}

TEST(ResultTest, HoldsErrorWithPositionAndReason) {
  Result<int> r = Error{7, "reply code '25x': a code is three digits"};
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 7u);
  EXPECT_EQ(r.error().reason, "reply code '25x': a code is three digits");
}

TEST(ResultTest, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);
}

TEST(ResultTest, StatusOk) {
  Status s = OkStatus();
  EXPECT_TRUE(s.ok());
  Status bad = Error{0, "no"};
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace smtpspec
