// 8BITMIME (RFC 6152): BODY=7BIT|8BITMIME on MAIL, noted in the state;
// BINARYMIME (RFC 3030 3) is not offered.
#include "engine/ext/eightbitmime.h"

#include "gtest/gtest.h"

namespace smtpspec::ext {
namespace {

using Body = EightBitMime::Body;

TEST(EightBitMime, AdvertisesTheKeyword) {
  EXPECT_EQ(EightBitMime().EhloLine(Context{}), "8BITMIME");
}

TEST(EightBitMime, ChecksAndNotesTheBody) {
  EightBitMime module;
  struct Case {
    std::optional<std::string> value;
    std::optional<int> code;  // nullopt: accepted
    Body body;
  };
  for (const Case& c : std::vector<Case>{
           {"8BITMIME", std::nullopt, Body::k8BitMime},
           {"8bitmime", std::nullopt, Body::k8BitMime},  // RFC 5321 2.4
           {"7BIT", std::nullopt, Body::k7Bit},
           {"BINARYMIME", 504, Body::kUndeclared},
           {"8BIT", 501, Body::kUndeclared},
           {std::nullopt, 501, Body::kUndeclared},
       }) {
    States states;
    states.push_back(ModuleState{&module, module.NewState()});
    std::optional<Error> error = module.CheckMail(
        Parameter{"BODY", c.value}, Context{}, FindState(states, module));
    EXPECT_EQ(error ? std::optional<int>(error->code) : std::nullopt, c.code)
        << c.value.value_or("(none)");
    if (error) {
      EXPECT_EQ(error->enhanced, (EnhancedCode{5, 5, 4}));
    }
    EXPECT_EQ(module.DeclaredBody(states), c.body)
        << c.value.value_or("(none)");
  }
}

}  // namespace
}  // namespace smtpspec::ext
