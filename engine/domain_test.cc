#include "engine/domain.h"

#include <string>
#include <vector>

#include "engine/syntax_test_util.h"
#include "gtest/gtest.h"

namespace smtpspec {
namespace {

using Kind = Domain::Kind;

struct Good {
  std::string text;
  Kind kind;
  std::string value;
  std::string tag;
};

// RFC 5321 4.1.2 Domain, 4.1.3 address literals.
const std::vector<Good>& GoodDomains() {
  static const auto* cases = new std::vector<Good>{
      {"example.org", Kind::kName, "example.org", ""},
      {"a", Kind::kName, "a", ""},
      {"Mail.EXAMPLE.org", Kind::kName, "Mail.EXAMPLE.org", ""},
      {"a-b--c.d1", Kind::kName, "a-b--c.d1", ""},
      {"1.2.3", Kind::kName, "1.2.3", ""},
      {"xn--bcher-kva.example", Kind::kName, "xn--bcher-kva.example", ""},
      {"[192.0.2.1]", Kind::kIPv4, "192.0.2.1", ""},
      {"[0.0.0.0]", Kind::kIPv4, "0.0.0.0", ""},
      {"[255.255.255.255]", Kind::kIPv4, "255.255.255.255", ""},
      {"[010.1.1.1]", Kind::kIPv4, "010.1.1.1", ""},
      {"[IPv6:2001:db8::1]", Kind::kIPv6, "2001:db8::1", ""},
      {"[ipv6:2001:DB8::1]", Kind::kIPv6, "2001:DB8::1", ""},
      {"[IPv6:::]", Kind::kIPv6, "::", ""},
      {"[IPv6:::1]", Kind::kIPv6, "::1", ""},
      {"[IPv6:1::]", Kind::kIPv6, "1::", ""},
      {"[IPv6:1:2:3:4:5:6:7:8]", Kind::kIPv6, "1:2:3:4:5:6:7:8", ""},
      {"[IPv6:1:2:3:4:5:6::]", Kind::kIPv6, "1:2:3:4:5:6::", ""},
      {"[IPv6:1:2:3::4:5:6]", Kind::kIPv6, "1:2:3::4:5:6", ""},
      {"[IPv6:ffff:ffff::abcd]", Kind::kIPv6, "ffff:ffff::abcd", ""},
      {"[IPv6:::ffff:192.0.2.1]", Kind::kIPv6, "::ffff:192.0.2.1", ""},
      {"[IPv6:::1.2.3.4]", Kind::kIPv6, "::1.2.3.4", ""},
      {"[IPv6:1:2:3:4:5:6:1.2.3.4]", Kind::kIPv6, "1:2:3:4:5:6:1.2.3.4", ""},
      {"[IPv6:1:2::3:4:1.2.3.4]", Kind::kIPv6, "1:2::3:4:1.2.3.4", ""},
      {"[x-example:some.thing]", Kind::kGeneral, "some.thing", "x-example"},
      {"[tag:a:b]", Kind::kGeneral, "a:b", "tag"},
  };
  return *cases;
}

TEST(DomainTest, ParsesNamesAndLiterals_Rfc5321_4_1_2_And_4_1_3) {
  for (const Good& c : GoodDomains()) {
    Result<Domain> d = ParseDomain(c.text);
    ASSERT_TRUE(d.ok()) << c.text << ": " << d.error().reason;
    EXPECT_EQ(d->kind, c.kind) << c.text;
    EXPECT_EQ(d->value, c.value) << c.text;
    EXPECT_EQ(d->tag, c.tag) << c.text;
  }
}

struct Bad {
  std::string text;
  std::size_t offset;
  std::string reason_part;
};

TEST(DomainTest, RejectsBadSyntaxWithOffsetAndReason_Rfc5321_4_1_2_4_1_3) {
  const std::vector<Bad> cases = {
      {"", 0, "expected a domain"},
      {"-a.org", 0, "must start with a letter or digit"},
      {"a-.org", 1, "may not end with '-'"},
      {"a..org", 2, "empty label"},
      {".a", 0, "may not start with '.'"},
      {"a.", 2, "may not end with '.'"},
      {"a_b.org", 1, "'_' is not allowed in a domain"},
      {"a@b", 1, "'@' is not allowed"},
      {"ex ample", 2, "unexpected space"},
      {"b\xC3\xBC"
       "cher.example",
       1, "SMTPUTF8"},
      {"[1.2.3.256]", 7, "256 is out of range"},
      {"[1.2.3]", 6, "four numbers"},
      {"[1.2.3.4.5]", 8, "after the four numbers"},
      {"[1234.1.1.1]", 1, "at most three digits"},
      {"[1..2.3]", 3, "expected a decimal number"},
      {"[1.2.3.4", 8, "not closed with ']'"},
      {"[]", 1, "may not be empty"},
      {"[example.org]", 1, "[tag:content]"},
      {"[1.2.3.4]x", 9, "unexpected 'x'"},
      {"[IPv6:]", 6, "expected an IPv6 address"},
      {"[IPv6:1:2:3:4:5:6:7]", 6, "has 8 groups"},
      {"[IPv6:1:2:3:4:5:6:7:8:9]", 6, "has 8 groups"},
      {"[IPv6:1::2::3]", 10, "only once"},
      {"[IPv6:1:::2]", 8, "only once"},
      {"[IPv6:12345::]", 6, "at most 4 hex digits"},
      {"[IPv6:1:2:3:4:5:6:7::]", 6, "at most 6 other"},
      {"[IPv6:g::]", 6, "'g' is not a hex digit"},
      {"[IPv6:1.2.3.4::]", 6, "IPv4 part may only end"},
      {"[IPv6:1:2:3:4:5::1.2.3.4]", 6, "at most 4 other"},
      {"[IPv6:1:2:3:4:5:6:1.2.3.256]", 24, "256 is out of range"},
      {"[IPv6::1]", 6, "1 to 4 hex digits"},
      {"[IPv6:1:]", 8, "1 to 4 hex digits"},
      {"[:foo]", 1, "needs a tag"},
      {"[x-:foo]", 2, "must end with a letter or digit"},
      {"[x_y:foo]", 2, "'_' is not allowed in an address literal tag"},
      {"[x:]", 3, "expected content"},
      {"[a b:c]", 2, "space is not allowed in an address literal"},
      {"[x:a\\b]", 4, "'\\' is not allowed in an address literal"},
  };
  for (const Bad& c : cases) {
    testing::ExpectError(ParseDomain(c.text), c.offset, c.reason_part, c.text);
  }
}

// RFC 6531 3.3: sub-domain =/ U-label, only with SMTPUTF8.
TEST(DomainTest, ULabelsNeedSmtputf8_Rfc6531_3_3) {
  const std::string name =
      "b\xC3\xBC"
      "cher.example";
  EXPECT_FALSE(ParseDomain(name).ok());
  Result<Domain> d = ParseDomain(name, Charset::kUtf8);
  ASSERT_TRUE(d.ok()) << d.error().reason;
  EXPECT_EQ(d->value, name);
  // Ill-formed UTF-8 is refused even with SMTPUTF8 (RFC 3629).
  Result<Domain> bad = ParseDomain("b\xC3(.example", Charset::kUtf8);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().offset, 1u);
  EXPECT_NE(bad.error().reason.find("UTF-8"), std::string::npos);
}

// Fed one byte at a time: a literal is never complete before its ']'.
TEST(DomainTest, EveryPrefixFailsCleanlyOrParses_Rfc5321_4_1_3) {
  for (const Good& c : GoodDomains()) {
    const int accepted = testing::CountAcceptedPrefixes(
        c.text, [](std::string_view p) { return ParseDomain(p); });
    if (c.kind != Kind::kName) {
      EXPECT_EQ(accepted, 0) << c.text;
    }
  }
}

TEST(DomainTest, PrefixStopsAtPathPunctuation_Rfc5321_4_1_2) {
  for (std::string rest : {">", ",@b:", ":x", " SIZE=1"}) {
    std::size_t length = 0;
    Result<Domain> d =
        ParseDomainPrefix("example.org" + rest, Charset::kAscii, &length);
    ASSERT_TRUE(d.ok()) << rest;
    EXPECT_EQ(length, 11u) << rest;
    EXPECT_EQ(d->value, "example.org");
  }
  std::size_t length = 0;
  Result<Domain> literal =
      ParseDomainPrefix("[1.2.3.4]>", Charset::kAscii, &length);
  ASSERT_TRUE(literal.ok());
  EXPECT_EQ(length, 9u);
}

TEST(DomainTest, RenderRoundTrips_Rfc5321_4_1_3) {
  for (const Good& c : GoodDomains()) {
    Result<Domain> d = ParseDomain(c.text);
    ASSERT_TRUE(d.ok()) << c.text;
    Result<std::string> text = RenderDomain(*d);
    ASSERT_TRUE(text.ok()) << c.text << ": " << text.error().reason;
    Result<Domain> again = ParseDomain(*text);
    ASSERT_TRUE(again.ok()) << *text;
    EXPECT_EQ(*again, *d) << c.text << " -> " << *text;
  }
  EXPECT_EQ(*RenderDomain(Domain{Kind::kIPv6, "::1", ""}), "[IPv6:::1]");
  EXPECT_EQ(*RenderDomain(Domain{Kind::kGeneral, "v", "x-t"}), "[x-t:v]");
}

TEST(DomainTest, RenderRefusesFieldsThatDoNotFitTheKind_Rfc5321_4_1_3) {
  const std::vector<Domain> bad = {
      {Kind::kName, "", ""},
      {Kind::kName, "-x.org", ""},
      {Kind::kName, "[1.2.3.4]", ""},
      {Kind::kName, "a b", ""},
      {Kind::kIPv4, "1.2.3", ""},
      {Kind::kIPv4, "::1", ""},
      {Kind::kIPv6, "1.2.3.4", ""},
      {Kind::kIPv6, "1::2::3", ""},
      {Kind::kGeneral, "x", "IPv6"},
      {Kind::kGeneral, "c", "a:b"},
      {Kind::kGeneral, "", "x"},
      {Kind::kGeneral, "a]b", "x"},
      {Kind::kName,
       "b\xC3\xBC"
       "cher.example",
       ""},
  };
  for (const Domain& d : bad) {
    Result<std::string> text = RenderDomain(d);
    EXPECT_FALSE(text.ok()) << d.value << " rendered as " << *text;
  }
}

// RFC 5321 4.5.3.1.2: 255 octets; RFC 1035 2.3.4: 63 a label.
TEST(DomainTest, LengthLimits_Rfc5321_4_5_3_1_2) {
  const std::string label63(63, 'a');
  EXPECT_TRUE(CheckDomainLengths({Kind::kName, label63 + ".org", ""}).ok());
  Status long_label =
      CheckDomainLengths({Kind::kName, "x." + label63 + "a", ""});
  ASSERT_FALSE(long_label.ok());
  EXPECT_EQ(long_label.error().offset, 2u);
  EXPECT_NE(long_label.error().reason.find("RFC 1035"), std::string::npos);

  std::string name = label63 + "." + label63 + "." + label63 + ".";
  name += std::string(255 - name.size(), 'b');  // 255 octets, last label 63
  ASSERT_EQ(name.size(), 255u);
  EXPECT_TRUE(CheckDomainLengths({Kind::kName, name, ""}).ok());
  name.insert(name.size() - 1, "c.d");  // 258 octets
  Status too_long = CheckDomainLengths({Kind::kName, name, ""});
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().reason.find("4.5.3.1.2"), std::string::npos);
  // Parsing itself does not enforce lengths.
  EXPECT_TRUE(ParseDomain(name).ok());
}

}  // namespace
}  // namespace smtpspec
