// SMTPUTF8 (RFC 6531): the bare keyword on MAIL, noted in the state, and
// the UTF-8 switch.
#include "engine/ext/smtputf8.h"

#include "gtest/gtest.h"

namespace smtpspec::ext {
namespace {

TEST(SmtpUtf8, AdvertisesTheKeywordAndSwitchesUtf8On) {
  SmtpUtf8 module;
  EXPECT_EQ(module.EhloLine(Context{}), "SMTPUTF8");
  EXPECT_TRUE(module.switches().utf8);  // RFC 6531 3.3
  EXPECT_FALSE(module.switches().enhanced_codes);
}

TEST(SmtpUtf8, TakesNoValue) {
  SmtpUtf8 module;
  States states;
  states.push_back(ModuleState{&module, module.NewState()});
  EXPECT_FALSE(module.WasRequested(states));
  // RFC 6531 3.4: "SMTPUTF8" with no value.
  std::optional<Error> error = module.CheckMail(
      Parameter{"SMTPUTF8", "yes"}, Context{}, FindState(states, module));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, 501);
  EXPECT_FALSE(module.WasRequested(states));
  EXPECT_EQ(module.CheckMail(Parameter{"SMTPUTF8", std::nullopt}, Context{},
                             FindState(states, module)),
            std::nullopt);
  EXPECT_TRUE(module.WasRequested(states));
}

}  // namespace
}  // namespace smtpspec::ext
