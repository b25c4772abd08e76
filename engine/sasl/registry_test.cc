#include "engine/sasl/registry.h"

#include <string>
#include <variant>
#include <vector>

#include "gtest/gtest.h"

namespace smtpspec::sasl {
namespace {

using namespace std::string_literals;

// The built-in list is a valid registry, PLAIN in it.
TEST(RegistryTest, BuiltinsRegisterPlain_Rfc4616) {
  Result<Registry> registry = Registry::Make(BuiltinMechanisms());
  ASSERT_TRUE(registry.ok()) << registry.error().reason;
  EXPECT_EQ(registry->Names(), std::vector<std::string>{"PLAIN"});
  const Mechanism *plain = registry->Find("PLAIN");
  ASSERT_NE(plain, nullptr);
  EXPECT_TRUE(plain->plaintext);
}

// Lookups ignore case (RFC 5321 2.4 for the AUTH argument); an unknown
// name is null (the framing's 504 5.5.4, RFC 4954 section 4).
TEST(RegistryTest, FindIgnoresCase_Rfc4422_3_1) {
  Result<Registry> registry = Registry::Make(BuiltinMechanisms());
  ASSERT_TRUE(registry.ok());
  EXPECT_EQ(registry->Find("plain"), registry->Find("PLAIN"));
  EXPECT_EQ(registry->Find("Plain"), registry->Find("PLAIN"));
  EXPECT_EQ(registry->Find("PLAI"), nullptr);
  EXPECT_EQ(registry->Find("CRAM-MD5"), nullptr);
  EXPECT_EQ(registry->Find(""), nullptr);
}

// A mechanism found by name makes both sides, which talk to each other.
TEST(RegistryTest, FactoriesMakeBothSides_Rfc4422) {
  Result<Registry> registry = Registry::Make(BuiltinMechanisms());
  ASSERT_TRUE(registry.ok());
  const Mechanism *plain = registry->Find("plain");
  ASSERT_NE(plain, nullptr);
  Context ctx{nullptr, Time{}};
  auto client = plain->make_client({"", "u", "p"});
  auto server = plain->make_server(ServerCredentials{{{"u", "p", {}}}});
  Result<std::optional<std::string>> initial = client->Start(ctx);
  ASSERT_TRUE(initial.ok());
  EXPECT_EQ(**initial, "\0u\0p"s);
  EXPECT_TRUE(std::holds_alternative<Success>(server->Start(**initial, ctx)));
}

// RFC 4422 section 3.1: sasl-mech = 1*20mech-char, upper-case.
TEST(RegistryTest, MechanismNames_Rfc4422_3_1) {
  EXPECT_TRUE(IsMechanismName("PLAIN"));
  EXPECT_TRUE(IsMechanismName("SCRAM-SHA-256-PLUS"));
  EXPECT_TRUE(IsMechanismName("KERBEROS_V5"));
  EXPECT_TRUE(IsMechanismName("ABCDEFGHIJKLMNOPQRST"));    // 20
  EXPECT_FALSE(IsMechanismName("ABCDEFGHIJKLMNOPQRSTU"));  // 21
  EXPECT_FALSE(IsMechanismName(""));
  EXPECT_FALSE(IsMechanismName("plain"));
  EXPECT_FALSE(IsMechanismName("X.Y"));
}

TEST(RegistryTest, RefusesBadRegistrations_Rfc4422_3_1) {
  std::vector<Mechanism> twice = BuiltinMechanisms();
  twice.push_back(twice[0]);
  twice.back().name = "PLAIN";
  Result<Registry> duplicate = Registry::Make(twice);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().offset, 1u);
  EXPECT_NE(duplicate.error().reason.find("twice"), std::string::npos);

  std::vector<Mechanism> lower = BuiltinMechanisms();
  lower[0].name = "plain";
  EXPECT_FALSE(Registry::Make(lower).ok());

  std::vector<Mechanism> no_server = BuiltinMechanisms();
  no_server[0].make_server = nullptr;
  EXPECT_FALSE(Registry::Make(no_server).ok());
}

}  // namespace
}  // namespace smtpspec::sasl
