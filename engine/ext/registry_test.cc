// The built-in modules: their names (the configuration keys), their
// defaults (those the server had before issue 14), and Enable/Disable
// keeping the one EHLO order.
#include "engine/ext/registry.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::ext {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Names(const List& list) {
  std::vector<std::string> names;
  for (const Extension* module : list) names.emplace_back(module->name());
  return names;
}

std::vector<std::string> Lines(const List& list) {
  Context context{1000, false, list};
  std::vector<std::string> lines;
  for (const Extension* module : list) {
    if (std::optional<std::string> line = module->EhloLine(context)) {
      lines.push_back(*line);
    }
  }
  return lines;
}

TEST(Registry, ListsEveryBuiltInModuleOnceInEhloOrder) {
  List all;
  for (const Registered& registered : Registry()) {
    all.push_back(registered.module);
  }
  EXPECT_THAT(Names(all), ElementsAre("help", "8bitmime", "pipelining", "size",
                                      "enhancedstatuscodes", "starttls",
                                      "smtputf8", "chunking"));
  EXPECT_THAT(Lines(all), ElementsAre("8BITMIME", "PIPELINING", "SIZE 1000",
                                      "ENHANCEDSTATUSCODES", "STARTTLS",
                                      "SMTPUTF8", "CHUNKING"));
}

TEST(Registry, DefaultsAreTheServersOldDefaults) {
  EXPECT_THAT(Names(Defaults()),
              ElementsAre("help", "8bitmime", "pipelining", "size",
                          "enhancedstatuscodes", "chunking"));
}

TEST(Registry, EnableKeepsTheRegistryOrderAndDisableWithdraws) {
  List list;
  EXPECT_TRUE(Enable(list, "chunking"));
  EXPECT_TRUE(Enable(list, "8bitmime"));
  EXPECT_TRUE(Enable(list, "starttls"));
  EXPECT_TRUE(Enable(list, "starttls"));  // twice: still once
  EXPECT_THAT(Names(list), ElementsAre("8bitmime", "starttls", "chunking"));
  Disable(list, "starttls");
  Disable(list, "size");  // not there: nothing
  EXPECT_THAT(Names(list), ElementsAre("8bitmime", "chunking"));
  EXPECT_TRUE(Enable(list, "starttls"));
  EXPECT_THAT(Names(list), ElementsAre("8bitmime", "starttls", "chunking"));
}

TEST(Registry, EnableRefusesAnUnknownName) {
  List list = Defaults();
  EXPECT_FALSE(Enable(list, "dsn"));  // RFC 3461: no module implements it
  EXPECT_FALSE(Enable(list, "SIZE"));
  EXPECT_EQ(list, Defaults());
}

}  // namespace
}  // namespace smtpspec::ext
