// Parsing of paths and mailboxes (RFC 5321 4.1.2, 4.1.1.2, 4.1.1.3).
// Rendering and lengths are in path_render_test.cc.
#include "engine/path.h"

#include <random>
#include <string>
#include <vector>

#include "engine/syntax_test_util.h"
#include "gtest/gtest.h"

namespace smtpspec {
namespace {

using Kind = Path::Kind;

enum Role { kMail, kRcpt };

Result<Path> Parse(Role role, std::string_view text,
                   Charset charset = Charset::kAscii) {
  return role == kMail ? ParseReversePath(text, charset)
                       : ParseForwardPath(text, charset);
}

struct Good {
  Role role;
  std::string text;
  Kind kind;
  std::string local_part;
  std::string domain;  // Domain::value
  std::vector<std::string> route;
};

const std::vector<Good>& GoodPaths() {
  static const auto* cases = new std::vector<Good>{
      {kMail, "<a@b.example>", Kind::kMailbox, "a", "b.example", {}},
      {kRcpt, "<a@b.example>", Kind::kMailbox, "a", "b.example", {}},
      {kMail, "<>", Kind::kNull, "", "", {}},
      {kMail,
       "<first.last@example.org>",
       Kind::kMailbox,
       "first.last",
       "example.org",
       {}},
      {kMail,
       "<!#$%&'*+-/=?^_`{|}~@x.y>",
       Kind::kMailbox,
       "!#$%&'*+-/=?^_`{|}~",
       "x.y",
       {}},
      {kRcpt,
       "<\"john smith\"@example.org>",
       Kind::kMailbox,
       "john smith",
       "example.org",
       {}},
      {kRcpt, "<\"a\\\"b\"@x>", Kind::kMailbox, "a\"b", "x", {}},
      {kRcpt, "<\"a\\\\b\"@x>", Kind::kMailbox, "a\\b", "x", {}},
      {kRcpt, "<\"\\a\"@x>", Kind::kMailbox, "a", "x", {}},
      {kRcpt, "<\"a> b\"@x>", Kind::kMailbox, "a> b", "x", {}},
      {kRcpt, "<\"a..b.\"@x>", Kind::kMailbox, "a..b.", "x", {}},
      {kRcpt, "<\"\"@x>", Kind::kMailbox, "", "x", {}},
      {kRcpt, "<\"abc\"@x>", Kind::kMailbox, "abc", "x", {}},
      {kRcpt, "<user@[192.0.2.1]>", Kind::kMailbox, "user", "192.0.2.1", {}},
      {kRcpt,
       "<user@[IPv6:2001:db8::1]>",
       Kind::kMailbox,
       "user",
       "2001:db8::1",
       {}},
      {kRcpt, "<user@[x-tag:content]>", Kind::kMailbox, "user", "content", {}},
      {kRcpt, "<Postmaster>", Kind::kPostmaster, "Postmaster", "", {}},
      {kRcpt, "<POSTMASTER>", Kind::kPostmaster, "POSTMASTER", "", {}},
      {kRcpt, "<postMaster>", Kind::kPostmaster, "postMaster", "", {}},
      {kRcpt,
       "<postmaster@domain.example>",
       Kind::kMailbox,
       "postmaster",
       "domain.example",
       {}},
      {kRcpt,
       "<@a.example:u@c.example>",
       Kind::kMailbox,
       "u",
       "c.example",
       {"a.example"}},
      {kMail,
       "<@a,@b.example,@c:u@d>",
       Kind::kMailbox,
       "u",
       "d",
       {"a", "b.example", "c"}},
      {kRcpt,
       "<@relay:Postmaster@x>",
       Kind::kMailbox,
       "Postmaster",
       "x",
       {"relay"}},
  };
  return *cases;
}

// RFC 5321 4.1.2 Path; 4.1.1.3 <Postmaster>; appendix C source routes.
TEST(PathTest, ParsesValidPaths_Rfc5321_4_1_2) {
  for (const Good& c : GoodPaths()) {
    Result<Path> p = Parse(c.role, c.text);
    ASSERT_TRUE(p.ok()) << c.text << ": " << p.error().reason;
    EXPECT_EQ(p->kind, c.kind) << c.text;
    EXPECT_EQ(p->mailbox.local_part, c.local_part) << c.text;
    EXPECT_EQ(p->mailbox.domain.value, c.domain) << c.text;
    EXPECT_EQ(p->source_route, c.route) << c.text;
  }
}

// Fed byte by byte: no proper prefix of a path is a path (it ends in '>').
TEST(PathTest, NoProperPrefixIsAPath_Rfc5321_4_1_2) {
  for (const Good& c : GoodPaths()) {
    EXPECT_EQ(testing::CountAcceptedPrefixes(
                  c.text, [&](std::string_view p) { return Parse(c.role, p); }),
              0)
        << c.text;
  }
}

struct Bad {
  Role role;
  std::string text;
  std::size_t offset;
  std::string reason_part;
};

TEST(PathTest, RejectsBadPathsWithOffsetAndReason_Rfc5321_4_1_2) {
  const std::vector<Bad> cases = {
      {kMail, "", 0, "enclosed in '<' and '>'"},
      {kMail, "a@b.example", 0, "enclosed in '<' and '>'"},
      {kMail, "<", 1, "local-part is empty"},
      {kMail, "<a@b.example", 12, "not closed with '>'"},
      {kMail, "<a@b.example>>", 13, "after the path's closing '>'"},
      {kMail, "<a@b.example> ", 13, "after the path's closing '>'"},
      {kRcpt, "<>", 1, "null path <> is allowed only in MAIL"},
      {kMail, "<@b.example>", 11, "is the local-part missing"},
      {kMail, "<.a@b>", 1, "may not start with '.'"},
      {kMail, "<a.@b>", 2, "may not end with '.'"},
      {kMail, "<a..b@c>", 3, "two dots in a row"},
      {kMail, "<a.>", 2, "may not end with '.'"},
      {kMail, "<a b@c>", 2, "space is not allowed in a local-part unless"},
      {kMail, "<a(b)@c>", 2, "'(' is not allowed in a local-part"},
      {kMail, "<a,b@c>", 2, "',' is not allowed in a local-part"},
      {kMail, "<ab>", 3, "expected '@'"},
      {kMail, "<ab", 3, "expected '@' and a domain"},
      {kMail, "<\"ab@c>", 7, "not closed with '\"'"},
      {kMail, "<\"a\"b@c>", 4, "expected '@' after the local-part, found 'b'"},
      {kMail, "<\"a\\", 4, "inside a '\\' escape"},
      {kMail, "<\"a\rb\"@c>", 3, "byte 0x0D is not allowed in a quoted"},
      {kMail, "<\"a\\\nb\"@c>", 4, "byte 0x0A cannot follow '\\'"},
      {kMail, "<\"\x01\"@c>", 2, "byte 0x01"},
      {kMail, "<a\x7F@c>", 2, "byte 0x7F is not allowed in a local-part"},
      {kMail, "<j\xC3\xB6rg@c>", 2, "SMTPUTF8"},
      {kMail, "<\"j\xC3\xB6rg\"@c>", 3, "SMTPUTF8"},
      {kMail, "<a@>", 3, "expected a domain name"},
      {kMail, "<a@b.example.>", 13, "may not end with '.'"},
      {kMail, "<a@-b.example>", 3, "must start with a letter or digit"},
      {kMail, "<a@b-.example>", 4, "may not end with '-'"},
      {kMail, "<a@b..example>", 5, "empty label"},
      {kMail, "<a@b_c.example>", 4, "'_' is not allowed in a domain"},
      {kMail, "<a@b@c>", 4, "'@' is not allowed in a domain"},
      {kMail, "<a@b c>", 4, "expected '>' to close the path, found space"},
      {kMail, "<a@b:c>", 4, "expected '>' to close the path, found ':'"},
      {kMail, "<a@[1.2.3.256]>", 10, "256 is out of range"},
      {kMail, "<a@[1.2.3.4>", 12, "not closed with ']'"},
      {kMail, "<a@[IPv6:1:2:3:4:5:6:7:8:9]>", 9, "has 8 groups"},
      {kMail, "<a@[IPv6:1::2::3]>", 13, "only once"},
      {kMail, "<a@[IPv6:::12345]>", 11, "at most 4 hex digits"},
      {kMail, "<a@[foo]>", 4, "[tag:content]"},
      {kMail, "<Postmaster>", 11, "allowed only in RCPT"},
      {kRcpt, "<\"Postmaster\">", 13, "expected '@'"},
      {kRcpt, "<@a:Postmaster>", 14, "expected '@'"},
      {kRcpt, "<@a>", 3, "expected ',' or ':'"},
      {kRcpt, "<@a,b:c@d>", 4, "expected '@' and a domain after ','"},
      {kRcpt, "<@[1.2.3.4]:c@d>", 2, "not address literals"},
      {kRcpt, "<@:c@d>", 2, "expected a domain name"},
      {kRcpt, "<@a:>", 4, "local-part is empty"},
      {kRcpt, "< a@b>", 1, "space cannot start a local-part"},
      {kRcpt, "<<a@b>>", 1, "'<' cannot start a local-part"},
  };
  ASSERT_GE(cases.size(), 40u);
  for (const Bad& c : cases) {
    testing::ExpectError(Parse(c.role, c.text), c.offset, c.reason_part,
                         c.text);
    // Fed byte by byte, every prefix fails cleanly too.
    testing::CountAcceptedPrefixes(
        c.text, [&](std::string_view t) { return Parse(c.role, t); });
  }
}

// RFC 6531 3.3: atext and qtextSMTP =/ UTF8-non-ascii under SMTPUTF8.
TEST(PathTest, Utf8LocalPartsNeedSmtputf8_Rfc6531_3_3) {
  const std::string jorg = "j\xC3\xB6rg";
  for (const std::string& text : {"<" + jorg +
                                      "@b\xC3\xBC"
                                      "cher.example>",
                                  "<\"" + jorg + " x\"@example.org>"}) {
    EXPECT_FALSE(ParseForwardPath(text).ok()) << text;
    Result<Path> p = ParseForwardPath(text, Charset::kUtf8);
    ASSERT_TRUE(p.ok()) << text << ": " << p.error().reason;
    EXPECT_EQ(p->mailbox.local_part.substr(0, jorg.size()), jorg);
  }
  // Ill-formed UTF-8 (a lone continuation byte, an overlong '/').
  for (const std::string text : {"<a\x80@b>", "<a\xC0\xAF@b>"}) {
    testing::ExpectError(ParseForwardPath(text, Charset::kUtf8), 2,
                         "invalid UTF-8", text);
  }
}

// RFC 5321 4.1.1.3: "Postmaster" is case-insensitive; 4.5.1 requires it.
TEST(PathTest, PostmasterSpellings_Rfc5321_4_1_1_3) {
  for (const char* text :
       {"<Postmaster>", "<POSTMASTER>", "<postmaster>", "<pOsTmAsTeR>",
        "<postmaster@domain.example>", "<PostMaster@[192.0.2.1]>"}) {
    Result<Path> p = ParseForwardPath(text);
    ASSERT_TRUE(p.ok()) << text;
    EXPECT_TRUE(IsPostmaster(*p)) << text;
  }
  for (const char* text : {"<postmasters>", "<post.master@x>",
                           "<postmaster-x@y>", "<\"postmaster \"@x>"}) {
    Result<Path> p = ParseForwardPath(text);
    if (p.ok()) {
      EXPECT_FALSE(IsPostmaster(*p)) << text;
    }
  }
  EXPECT_FALSE(ParseForwardPath("<postmasters>").ok());
}

// RFC 5321 4.1.2: "Mailbox = Local-part "@" ( Domain / address-literal )".
TEST(PathTest, ParsesBareMailboxes_Rfc5321_4_1_2) {
  Result<Mailbox> m = ParseMailbox("\"a b\"@[IPv6:::1]");
  ASSERT_TRUE(m.ok()) << m.error().reason;
  EXPECT_EQ(m->local_part, "a b");
  EXPECT_EQ(m->domain, (Domain{Domain::Kind::kIPv6, "::1", ""}));
  const std::vector<std::pair<std::string, std::size_t>> bad = {
      {"", 0}, {"a", 1}, {"a@", 2}, {"a@b>", 3}, {"<a@b>", 0}, {"a@b c", 3}};
  for (const auto& [text, offset] : bad) {
    Result<Mailbox> r = ParseMailbox(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().offset, offset) << text << ": " << r.error().reason;
  }
}

// The prefix parsers report how far the path went, even when a quoted
// local-part holds '>' and spaces (RFC 5321 4.1.2 QcontentSMTP).
TEST(PathTest, PrefixParsersReportLength_Rfc5321_4_1_2) {
  std::size_t length = 0;
  Result<Path> p = ParseForwardPathPrefix("<\"a> b\"@x> NOTIFY=NEVER",
                                          Charset::kAscii, &length);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(length, 10u);
  Result<Path> null =
      ParseReversePathPrefix("<> SIZE=1", Charset::kAscii, &length);
  ASSERT_TRUE(null.ok());
  EXPECT_EQ(length, 2u);
  EXPECT_FALSE(ParseForwardPathPrefix("<> x", Charset::kAscii, &length).ok());
}

// Mutated paths never crash the parser; whatever it accepts renders and
// parses back to the same value (deterministic seed).
TEST(PathTest, MutatedInputsAreSafeAndStable_Rfc5321_4_1_2) {
  std::mt19937 rng(20240521);
  const std::string alphabet = "<>@.:,\"\\[]- aZ09!\r\n\x80\xC3\xB6";
  int accepted = 0;
  for (int round = 0; round < 4000; ++round) {
    const Good& base = GoodPaths()[rng() % GoodPaths().size()];
    std::string text = base.text;
    const int edits = 1 + rng() % 3;
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + at, c);
          break;
        default:
          text.erase(at, 1);
          break;
      }
    }
    for (Charset cs : {Charset::kAscii, Charset::kUtf8}) {
      Result<Path> p = Parse(base.role, text, cs);
      if (!p.ok()) {
        EXPECT_LE(p.error().offset, text.size()) << text;
        continue;
      }
      ++accepted;
      Result<std::string> rendered = RenderPath(*p, cs);
      ASSERT_TRUE(rendered.ok()) << text << ": " << rendered.error().reason;
      Result<Path> again = Parse(base.role, *rendered, cs);
      ASSERT_TRUE(again.ok()) << *rendered;
      EXPECT_EQ(*again, *p) << text << " -> " << *rendered;
    }
  }
  EXPECT_GT(accepted, 100);  // the mutations do not all break the syntax
}

}  // namespace
}  // namespace smtpspec
