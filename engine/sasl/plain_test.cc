#include "engine/sasl/plain.h"

#include <string>
#include <variant>
#include <vector>

#include "engine/syntax_test_util.h"
#include "gtest/gtest.h"

namespace smtpspec::sasl {
namespace {

using namespace std::string_literals;

ServerCredentials Accounts() {
  return ServerCredentials{{
      {"tim", "tanstaaftanstaaf", {}},
      {"Kurt", "xipj3plmq", {}},
      {"test", "1234", {}},
      {"admin", "s3cret", {"alice", "bob"}},
  }};
}

Context NoRandom() { return Context{nullptr, Time{}}; }

Failure AsFailure(const ServerStep &step) {
  const Failure *failure = std::get_if<Failure>(&step);
  EXPECT_NE(failure, nullptr);
  return failure ? *failure : Failure{0, "not a failure", {}};
}

// RFC 4616 section 4, first example: no initial response, so the server
// sends an empty challenge and the client answers with the 21-octet
// message "<NUL>tim<NUL>tanstaaftanstaaf".
TEST(PlainServerTest, EmptyChallengeThenMessage_Rfc4616_4) {
  PlainServer server(Accounts());
  Context ctx = NoRandom();
  const ServerStep first = server.Start(std::nullopt, ctx);
  ASSERT_TRUE(std::holds_alternative<Challenge>(first));
  EXPECT_EQ(std::get<Challenge>(first).data, "");
  const std::string message = "\0tim\0tanstaaftanstaaf"s;
  ASSERT_EQ(message.size(), 21u);
  const ServerStep outcome = server.Respond(message, ctx);
  ASSERT_TRUE(std::holds_alternative<Success>(outcome));
  EXPECT_EQ(std::get<Success>(outcome), (Success{"tim", "tim", std::nullopt}));
  // One message only: a further response is refused.
  const Failure again = AsFailure(server.Respond(message, ctx));
  EXPECT_EQ(again.reply.code, 501);
}

// RFC 4616 section 4, second example: Kurt's password is right but he may
// not act as Ursel; RFC 4954 section 6: 535 5.7.8.
TEST(PlainServerTest, AuthzidNotAllowed_Rfc4616_4) {
  PlainServer server(Accounts());
  Context ctx = NoRandom();
  const Failure failure =
      AsFailure(server.Start("Ursel\0Kurt\0xipj3plmq"s, ctx));
  EXPECT_EQ(failure.reply, (Reply{535,
                                  EnhancedCode{5, 7, 8},
                                  {"Authentication credentials invalid"}}));
  EXPECT_NE(failure.reason.find("may not act as \"Ursel\""), std::string::npos)
      << failure.reason;
}

// RFC 4954 section 4's example, "AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=", decodes
// to "test<NUL>test<NUL>1234": an initial response naming itself as authzid.
TEST(PlainServerTest, InitialResponse_Rfc4954_4) {
  PlainServer server(Accounts());
  Context ctx = NoRandom();
  const ServerStep outcome = server.Start(
      "test\0test\0"
      "1234"s,
      ctx);
  ASSERT_TRUE(std::holds_alternative<Success>(outcome));
  EXPECT_EQ(std::get<Success>(outcome).authzid, "test");
}

// RFC 4616 section 2: with an authzid the authcid is allowed to act as,
// the session acts as the authzid.
TEST(PlainServerTest, ActsAsAllowedAuthzid_Rfc4616_2) {
  PlainServer server(Accounts());
  Context ctx = NoRandom();
  const ServerStep outcome = server.Start("bob\0admin\0s3cret"s, ctx);
  ASSERT_TRUE(std::holds_alternative<Success>(outcome));
  EXPECT_EQ(std::get<Success>(outcome), (Success{"bob", "admin", {}}));
}

// RFC 4954 section 6: a wrong password and an unknown user both get
// 535 5.7.8, the same reply; octets compare exactly (case matters).
TEST(PlainServerTest, WrongCredentials_Rfc4954_6) {
  const std::vector<std::string> cases = {
      "\0tim\0tanstaaf"s,           // wrong password
      "\0tim\0tanstaaftanstaafX"s,  // longer password
      "\0Tim\0tanstaaftanstaaf"s,   // authcid in another case
      "\0nobody\0tanstaaftanstaaf"s,
  };
  for (const std::string &message : cases) {
    PlainServer server(Accounts());
    Context ctx = NoRandom();
    const Failure failure = AsFailure(server.Start(message, ctx));
    EXPECT_EQ(failure.reply, InvalidCredentialsReply()) << message;
    EXPECT_EQ(failure.reason.find("tanstaaf"), std::string::npos)
        << "the reason must not quote the password: " << failure.reason;
  }
}

// Malformed messages: 501 5.5.2 (RFC 4954 section 6) with the offset of
// the problem in the decoded message (RFC 4616 section 2 grammar).
TEST(PlainServerTest, MalformedMessages_Rfc4616_2) {
  struct Case {
    std::string message;
    std::size_t offset;
    std::string reason;
  };
  const std::string long_field(256, 'a');
  const std::vector<Case> cases = {
      {"", 0, "expected a NUL before"},  // AUTH PLAIN =
      {"timtanstaaf", 11, "expected a NUL before"},
      {"\0tim"s, 4, "expected a NUL between"},
      {"\0tim\0"s, 5, "password is empty"},
      {"\0\0tanstaaf"s, 1, "authentication identity is empty"},
      {"\0tim\0tans\0taaf"s, 9, "NUL inside the password"},
      {"\0tim\0\0"s, 5, "NUL inside the password"},
      {"\0"s + long_field + "\0pw"s, 256, "longer than 255 octets"},
      {long_field + "\0tim\0pw"s, 255, "authorization identity is longer"},
      {"\0tim\0"s + long_field, 260, "password is longer"},
      {"\0ti\xFFm\0pw"s, 3, "byte 0xFF"},
      {"\0tim\0p\xC3"s, 6, "UTF-8"},       // truncated sequence
      {"\xC0\xAF\0tim\0pw"s, 0, "UTF-8"},  // overlong '/'
  };
  for (const Case &c : cases) {
    PlainServer server(Accounts());
    Context ctx = NoRandom();
    const Failure failure = AsFailure(server.Start(c.message, ctx));
    EXPECT_EQ(failure.reply, (Reply{501,
                                    EnhancedCode{5, 5, 2},
                                    {"Malformed authentication response"}}));
    EXPECT_EQ(failure.offset, c.offset) << c.reason << ": " << failure.reason;
    EXPECT_NE(failure.reason.find(c.reason), std::string::npos)
        << failure.reason;
  }
}

// RFC 4616 section 2: fields of 255 octets MUST be accepted, and UTF-8
// (here U+00E9 and U+1F600) is SAFE.
TEST(PlainMessageTest, AcceptsLimitAndUtf8_Rfc4616_2) {
  const std::string max(255, 'x');
  Result<PlainMessage> parsed =
      ParsePlainMessage(max + "\0"s + max + "\0"s + max);
  ASSERT_TRUE(parsed.ok()) << parsed.error().reason;
  EXPECT_EQ(parsed->authcid, max);
  Result<PlainMessage> utf8 =
      ParsePlainMessage("\0ren\xC3\xA9\0pw\xF0\x9F\x98\x80"s);
  ASSERT_TRUE(utf8.ok()) << utf8.error().reason;
  EXPECT_EQ(*utf8, (PlainMessage{"", "ren\xC3\xA9", "pw\xF0\x9F\x98\x80"}));
  // A server may accept longer fields when told to.
  EXPECT_TRUE(
      ParsePlainMessage("\0"s + std::string(300, 'a') + "\0pw"s, 1000).ok());
  // Control characters other than NUL are SAFE (UTF1 = %x01-7F).
  EXPECT_TRUE(ParsePlainMessage("\0a\x01\x7F\0pw"s).ok());
}

// Every prefix of a valid message, as a truncated response would give:
// each is refused with an offset inside it, and only complete ones pass.
TEST(PlainMessageTest, PrefixesOfAMessage_Rfc4616_2) {
  const std::string message = "ursel\0kurt\0pw"s;
  const int accepted = testing::CountAcceptedPrefixes(
      message, [](std::string_view p) { return ParsePlainMessage(p); });
  EXPECT_EQ(accepted, 1);  // "ursel\0kurt\0p": a 1-octet password
}

// The client's message, byte for byte: authzid NUL authcid NUL passwd.
TEST(PlainClientTest, ByteExactMessage_Rfc4616_2) {
  Context ctx = NoRandom();
  PlainClient bare(ClientCredentials{"", "tim", "tanstaaftanstaaf"});
  Result<std::optional<std::string>> first = bare.Start(ctx);
  ASSERT_TRUE(first.ok()) << first.error().reason;
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ(**first, "\0tim\0tanstaaftanstaaf"s);
  EXPECT_TRUE(bare.Finish(std::nullopt, ctx).ok());

  PlainClient acting(ClientCredentials{"Ursel", "Kurt", "xipj3plmq"});
  Result<std::optional<std::string>> second = acting.Start(ctx);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(**second, "Ursel\0Kurt\0xipj3plmq"s);
  EXPECT_EQ((*second)->size(), 20u);
}

TEST(PlainClientTest, RefusesWhatPlainCannotCarry_Rfc4616_2) {
  Context ctx = NoRandom();
  EXPECT_FALSE(PlainClient({"", "", "pw"}).Start(ctx).ok());
  EXPECT_FALSE(PlainClient({"", "tim", ""}).Start(ctx).ok());
  Result<std::optional<std::string>> nul =
      PlainClient({"", "tim", "a\0b"s}).Start(ctx);
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().offset, 1u);
  EXPECT_FALSE(PlainClient({"x\0"s, "tim", "pw"}).Start(ctx).ok());
}

// PLAIN has no challenge and no data with success; success before the
// message was given is not trusted.
TEST(PlainClientTest, NoChallengesNoAdditionalData_Rfc4616_2) {
  Context ctx = NoRandom();
  PlainClient client({"", "tim", "pw"});
  EXPECT_FALSE(client.Finish(std::nullopt, ctx).ok());
  ASSERT_TRUE(client.Start(ctx).ok());
  EXPECT_FALSE(client.Respond("", ctx).ok());
  EXPECT_FALSE(client.Finish("v=abc", ctx).ok());
  EXPECT_TRUE(client.Finish("", ctx).ok());
}

// The client's message is what the server accepts: both sides agree.
TEST(PlainRoundTripTest, ClientMessageAcceptedByServer_Rfc4616_2) {
  Context ctx = NoRandom();
  std::unique_ptr<ClientMechanism> client =
      MakePlainClient({"alice", "admin", "s3cret"});
  std::unique_ptr<ServerMechanism> server = MakePlainServer(Accounts());
  Result<std::optional<std::string>> initial = client->Start(ctx);
  ASSERT_TRUE(initial.ok());
  const ServerStep outcome = server->Start(**initial, ctx);
  ASSERT_TRUE(std::holds_alternative<Success>(outcome));
  EXPECT_EQ(std::get<Success>(outcome).authzid, "alice");
  EXPECT_TRUE(client->Finish(std::nullopt, ctx).ok());
}

TEST(PlainRenderTest, RoundTrip_Rfc4616_2) {
  const PlainMessage m{"z\xC3\xA9", "c", "p w"};
  Result<std::string> rendered = RenderPlainMessage(m);
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(*rendered, "z\xC3\xA9\0c\0p w"s);
  Result<PlainMessage> back = ParsePlainMessage(*rendered);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m);
}

TEST(FixedRandomTest, HandsOutOctetsInOrderThenZeros) {
  FixedRandom random("abc");
  EXPECT_EQ(random.Generate(2), "ab");
  EXPECT_EQ(random.Generate(3), "c\0\0"s);
  EXPECT_EQ(random.Generate(1), "\0"s);
}

}  // namespace
}  // namespace smtpspec::sasl
