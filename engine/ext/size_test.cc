// SIZE (RFC 1870): the EHLO line carries the limit, SIZE=n is checked
// against it and noted in the transaction's state.
#include "engine/ext/size.h"

#include <string>
#include <vector>

#include "engine/ext/registry.h"
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

// RFC 1870 section 4: "SIZE" [SP 1*DIGIT]; 0 means no fixed maximum.
TEST(Size, LimitFromTheServersLine_Rfc1870_4) {
  auto limit = [](std::vector<std::string> params) {
    return Size::Limit(EhloKeyword{"SIZE", std::move(params)});
  };
  EXPECT_EQ(*limit({"10240000"}), std::optional<std::uint64_t>(10240000));
  EXPECT_EQ(*limit({"0"}), std::optional<std::uint64_t>(0));
  EXPECT_EQ(*limit({}), std::nullopt);
  EXPECT_EQ(*limit({"18446744073709551615"}),
            std::optional<std::uint64_t>(18446744073709551615u));
  EXPECT_FALSE(limit({"18446744073709551616"}).ok());
  EXPECT_FALSE(limit({"10M"}).ok());
  EXPECT_EQ(limit({"10M"}).error().offset, 2u);
  EXPECT_FALSE(limit({"-1"}).ok());
  EXPECT_FALSE(limit({"1", "2"}).ok());
  EXPECT_FALSE(limit({""}).ok());
}

// The client side: what each module's keyword teaches, first line only,
// unknown keywords ignored (RFC 5321 2.2.2).
TEST(Size, AClientLearnsTheLimitThroughTheModules) {
  EhloResponse ehlo{"mx",
                    "",
                    {{"PIPELINING", {}},
                     {"SIZE", {"1000"}},
                     {"SIZE", {"5"}},
                     {"XUNKNOWN", {"a"}},
                     {"STARTTLS", {}}},
                    {}};
  Learned learned = LearnFromEhlo(ehlo, All());
  EXPECT_TRUE(learned.size);
  EXPECT_EQ(learned.size_limit, 1000u);
  EXPECT_TRUE(learned.starttls);
  EXPECT_FALSE(learned.eight_bit_mime);
  // A garbled limit is "no fixed maximum"; without the module, nothing.
  ehlo.keywords = {{"SIZE", {"10M"}}};
  EXPECT_EQ(LearnFromEhlo(ehlo, All()), (Learned{.size = true}));
  EXPECT_EQ(LearnFromEhlo(ehlo, List{}), Learned{});
}

}  // namespace
}  // namespace smtpspec::ext
