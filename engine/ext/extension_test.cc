// The lookups over a list of modules: by name, verb and parameter keyword
// (case-insensitive, RFC 5321 2.4), the ORed switches, the fresh states.
#include "engine/ext/extension.h"

#include "engine/ext/chunking.h"
#include "engine/ext/enhanced_status_codes.h"
#include "engine/ext/registry.h"
#include "engine/ext/size.h"
#include "engine/ext/smtputf8.h"
#include "gtest/gtest.h"

namespace smtpspec::ext {
namespace {

const Extension* Builtin(std::string_view name) {
  for (const Registered& registered : Registry()) {
    if (registered.module->name() == name) return registered.module;
  }
  return nullptr;
}

TEST(ExtensionList, FindsByNameVerbAndParameter) {
  List list = Defaults();
  ASSERT_NE(Find(list, "size"), nullptr);
  EXPECT_EQ(Find(list, "size")->name(), "size");
  EXPECT_EQ(Find(list, "SIZE"), nullptr);      // names are exact, lower case
  EXPECT_EQ(Find(list, "smtputf8"), nullptr);  // not offered by default

  ASSERT_NE(ForVerb(list, Verb::kBdat), nullptr);
  EXPECT_EQ(ForVerb(list, Verb::kBdat)->name(), "chunking");
  EXPECT_EQ(ForVerb(list, Verb::kHelp)->name(), "help");
  EXPECT_EQ(ForVerb(list, Verb::kStarttls), nullptr);
  EXPECT_EQ(ForVerb(list, Verb::kMail), nullptr);

  ASSERT_NE(ForMailParameter(list, "size"), nullptr);
  EXPECT_EQ(ForMailParameter(list, "SiZe")->name(), "size");
  EXPECT_EQ(ForMailParameter(list, "BODY")->name(), "8bitmime");
  EXPECT_EQ(ForMailParameter(list, "SMTPUTF8"), nullptr);
  EXPECT_EQ(ForMailParameter(list, "SIZ"), nullptr);
  EXPECT_EQ(ForRcptParameter(list, "SIZE"), nullptr);  // MAIL's only
  EXPECT_EQ(ForRcptParameter(list, "NOTIFY"), nullptr);
}

TEST(ExtensionList, SwitchesAreOredOverTheModules) {
  Switches none = SwitchesOf({});
  EXPECT_FALSE(none.utf8);
  EXPECT_FALSE(none.enhanced_codes);
  Switches defaults = SwitchesOf(Defaults());
  EXPECT_FALSE(defaults.utf8);  // SMTPUTF8 is off by default
  EXPECT_TRUE(defaults.enhanced_codes);
  Switches both = SwitchesOf({Builtin("smtputf8"), Builtin("pipelining")});
  EXPECT_TRUE(both.utf8);
  EXPECT_FALSE(both.enhanced_codes);
}

TEST(ExtensionList, StateForMakesAStateOnceAndOnlyForModulesThatKeepOne) {
  const Extension* size = Builtin("size");
  const Extension* chunking = Builtin("chunking");
  States states;  // a MAIL without parameters allocates nothing
  EXPECT_EQ(FindState(states, *size), nullptr);
  State* made = StateFor(states, *size);
  ASSERT_NE(made, nullptr);
  EXPECT_EQ(StateFor(states, *size), made);         // found, not made again
  EXPECT_EQ(StateFor(states, *chunking), nullptr);  // CHUNKING keeps none
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].module, size);
  EXPECT_EQ(FindState(states, *size), made);
  EXPECT_EQ(FindState(states, *Builtin("8bitmime")), nullptr);
}

}  // namespace
}  // namespace smtpspec::ext
