// SIZE (RFC 1870): the EHLO line carries the limit, SIZE=n is checked
// against it and noted in the transaction's state.
#include "engine/ext/size.h"

#include "gtest/gtest.h"

namespace smtpspec::ext {
namespace {

std::optional<Error> Check(const Size& size, std::optional<std::string> value,
                           std::uint64_t max, State* state = nullptr) {
  return size.CheckMail(Parameter{"SIZE", std::move(value)},
                        Context{max, false, {}}, state);
}

TEST(Size, AdvertisesTheLimit) {
  Size size;
  EXPECT_EQ(size.EhloLine(Context{10485760, false, {}}), "SIZE 10485760");
  // RFC 1870 4: 0 declares no fixed maximum.
  EXPECT_EQ(size.EhloLine(Context{0, false, {}}), "SIZE 0");
}

TEST(Size, ChecksTheDeclaredSize) {
  Size size;
  EXPECT_EQ(Check(size, "1000", 1000), std::nullopt);
  EXPECT_EQ(Check(size, "0", 1000), std::nullopt);
  // RFC 1870 6.1: above the fixed maximum, 552 at once.
  EXPECT_EQ(Check(size, "1001", 1000),
            (Error{552, EnhancedCode{5, 3, 4},
                   "Message size exceeds fixed maximum message size"}));
  // No limit: any size, even one past 2^64 (it saturates).
  EXPECT_EQ(Check(size, "99999999999999999999", 0), std::nullopt);
  EXPECT_EQ(Check(size, "99999999999999999999", 1000)->code, 552);
  // RFC 1870 4: size-value ::= 1*20DIGIT.
  for (std::optional<std::string> bad :
       {std::optional<std::string>{}, std::optional<std::string>{"1k"},
        std::optional<std::string>{"-1"},
        std::optional<std::string>{"123456789012345678901"}}) {
    std::optional<Error> error = Check(size, bad, 1000);
    ASSERT_TRUE(error) << bad.value_or("(none)");
    EXPECT_EQ(error->code, 501);
    EXPECT_EQ(error->enhanced, (EnhancedCode{5, 5, 4}));
  }
}

TEST(Size, NotesTheDeclaredSizeInItsState) {
  Size size;
  States states;
  states.push_back(ModuleState{&size, size.NewState()});
  EXPECT_EQ(size.DeclaredSize(states), std::nullopt);
  ASSERT_EQ(Check(size, "2000", 0, FindState(states, size)), std::nullopt);
  EXPECT_EQ(size.DeclaredSize(states), 2000u);
  // A refused value notes nothing.
  ASSERT_TRUE(Check(size, "x", 0, FindState(states, size)));
  EXPECT_EQ(size.DeclaredSize(states), 2000u);
  EXPECT_EQ(size.DeclaredSize(States{}), std::nullopt);
}

}  // namespace
}  // namespace smtpspec::ext
