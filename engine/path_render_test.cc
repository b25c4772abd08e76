// Rendering of local-parts, mailboxes and paths, and the length limits
// (RFC 5321 4.1.2, 4.5.3.1).
#include <random>
#include <string>
#include <vector>

#include "engine/path.h"
#include "gtest/gtest.h"

namespace smtpspec {
namespace {

using Kind = Path::Kind;

Domain Name(std::string name) {
  return Domain{Domain::Kind::kName, std::move(name), ""};
}

Path MailboxPath(std::string local_part, std::string domain) {
  return Path{Kind::kMailbox,
              {},
              Mailbox{std::move(local_part), Name(std::move(domain))}};
}

// RFC 5321 4.1.2: a Dot-string goes as is, anything else as a
// Quoted-string, with quoted-pairSMTP only for '"' and '\'.
TEST(PathRenderTest, QuotesOnlyWhatIsNotADotString_Rfc5321_4_1_2) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"john", "john"},
      {"first.last", "first.last"},
      {"!#$%&'*+-/=?^_`{|}~", "!#$%&'*+-/=?^_`{|}~"},
      {"john smith", "\"john smith\""},
      {"a\"b", "\"a\\\"b\""},
      {"a\\b", "\"a\\\\b\""},
      {"", "\"\""},
      {".a", "\".a\""},
      {"a.", "\"a.\""},
      {"a..b", "\"a..b\""},
      {"a@b", "\"a@b\""},
      {"(comment)", "\"(comment)\""},
      {"<>", "\"<>\""},
      {" ", "\" \""},
  };
  for (const auto& [local, wire] : cases) {
    Result<std::string> r = RenderLocalPart(local);
    ASSERT_TRUE(r.ok()) << local << ": " << r.error().reason;
    EXPECT_EQ(*r, wire) << local;
  }
  EXPECT_EQ(*RenderMailbox({"john smith", Name("example.org")}),
            "\"john smith\"@example.org");
  EXPECT_EQ(*RenderPath(MailboxPath("a\"b", "x")), "<\"a\\\"b\"@x>");
}

// Bytes no SMTP syntax can carry make rendering fail at their offset:
// qtextSMTP and quoted-pairSMTP are %d32-126 only (RFC 5321 4.1.2).
TEST(PathRenderTest, RefusesUncarriableLocalParts_Rfc5321_4_1_2) {
  const std::vector<std::pair<std::string, std::size_t>> cases = {
      {"a\rb", 1},        {"a\nb", 1},
      {"ab\r\n", 2},      {std::string("a\0b", 3), 1},
      {"\t", 0},          {"x\x7F", 1},
      {"j\xC3\xB6rg", 1}, {"\xFF", 0},
  };
  for (const auto& [local, offset] : cases) {
    Result<std::string> r = RenderLocalPart(local);
    ASSERT_FALSE(r.ok()) << local << " rendered as " << *r;
    EXPECT_EQ(r.error().offset, offset) << local;
    Result<std::string> path = RenderPath(MailboxPath(local, "x.example"));
    ASSERT_FALSE(path.ok());
    EXPECT_EQ(path.error().reason.rfind("local-part: ", 0), 0u)
        << path.error().reason;
  }
}

// RFC 6531 3.3: with SMTPUTF8, UTF-8 goes unquoted in a Dot-string.
TEST(PathRenderTest, Utf8NeedsSmtputf8_Rfc6531_3_3) {
  EXPECT_EQ(*RenderLocalPart("j\xC3\xB6rg", Charset::kUtf8), "j\xC3\xB6rg");
  EXPECT_EQ(*RenderLocalPart("j\xC3\xB6 rg", Charset::kUtf8),
            "\"j\xC3\xB6 rg\"");
  EXPECT_FALSE(RenderLocalPart("j\xC3rg", Charset::kUtf8).ok());
  EXPECT_FALSE(RenderLocalPart("\xED\xA0\x80", Charset::kUtf8).ok());
}

TEST(PathRenderTest, RendersSpecialPaths_Rfc5321_4_1_1_3) {
  EXPECT_EQ(*RenderPath(Path{Kind::kNull, {}, {}}), "<>");
  EXPECT_EQ(*RenderPath(Path{Kind::kPostmaster, {}, {}}), "<Postmaster>");
  EXPECT_EQ(*RenderPath(Path{Kind::kPostmaster, {}, {"POSTMASTER", {}}}),
            "<POSTMASTER>");
  Path routed = MailboxPath("u", "d.example");
  routed.source_route = {"a.example", "b"};
  EXPECT_EQ(*RenderPath(routed), "<@a.example,@b:u@d.example>");
  EXPECT_EQ(*RenderPath(MailboxPath("u", "d")), "<u@d>");
  EXPECT_EQ(
      *RenderPath(Path{
          Kind::kMailbox, {}, {"u", {Domain::Kind::kIPv4, "192.0.2.1", ""}}}),
      "<u@[192.0.2.1]>");
}

TEST(PathRenderTest, RefusesContradictoryFields_Rfc5321_4_1_2) {
  const std::vector<Path> bad = {
      Path{Kind::kNull, {"a"}, {}},
      Path{Kind::kNull, {}, {"x", {}}},
      Path{Kind::kPostmaster, {}, {"abuse", {}}},
      Path{Kind::kPostmaster, {}, {"postmaster", Name("x")}},
      Path{Kind::kPostmaster, {"r"}, {}},
      Path{Kind::kMailbox, {}, {"postmaster", {}}},  // no domain
      Path{Kind::kMailbox, {"-r"}, {"u", Name("d")}},
      Path{Kind::kMailbox, {""}, {"u", Name("d")}},
      Path{Kind::kMailbox, {"[1.2.3.4]"}, {"u", Name("d")}},
      MailboxPath("u", "d..example"),
  };
  for (const Path& p : bad) {
    Result<std::string> r = RenderPath(p);
    EXPECT_FALSE(r.ok()) << "rendered as " << *r;
  }
}

// A local-part of random bytes, biased towards the interesting ones.
std::string RandomLocalPart(std::mt19937& rng) {
  static const std::string kPool =
      "aZ09.!#$%&'*+-/=?^_`{|}~ \"\\()<>@,;:[]\t\r\n\x7F\x80\xC3\xB6";
  std::string s;
  const int n = rng() % 12;
  for (int i = 0; i < n; ++i) s += kPool[rng() % kPool.size()];
  return s;
}

// Whether every byte has some SMTP spelling (RFC 5321 4.1.2: %d32-126).
bool Carriable(const std::string& s) {
  for (char c : s) {
    if (c < 32 || c > 126) return false;
  }
  return true;
}

// Whether `s` is a Dot-string, by a second, independent reading of the
// grammar: split on '.', every atom non-empty and all atext.
bool DotString(const std::string& s) {
  const std::string atext =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
      "!#$%&'*+-/=?^_`{|}~";
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string atom = s.substr(start, dot - start);
    if (atom.empty() || atom.find_first_not_of(atext) != std::string::npos) {
      return false;
    }
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

// Property: every carriable local-part renders, unquoted exactly when it is
// a Dot-string, and parses back to itself; the rest fail (fixed seed).
TEST(PathRenderTest, RoundTripsGeneratedLocalParts_Rfc5321_4_1_2) {
  std::mt19937 rng(5321);
  int quoted = 0, plain = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string local = RandomLocalPart(rng);
    const Path path = MailboxPath(local, "example.org");
    Result<std::string> wire = RenderPath(path);
    if (!Carriable(local)) {
      EXPECT_FALSE(wire.ok()) << local;
      ++refused;
      continue;
    }
    ASSERT_TRUE(wire.ok()) << local << ": " << wire.error().reason;
    const bool is_quoted = (*wire)[1] == '"';
    EXPECT_EQ(is_quoted, !DotString(local)) << local << " -> " << *wire;
    (is_quoted ? quoted : plain)++;
    Result<Path> back = ParseForwardPath(*wire);
    ASSERT_TRUE(back.ok()) << *wire << ": " << back.error().reason;
    EXPECT_EQ(*back, path) << *wire;
  }
  // The generator reaches all three outcomes.
  EXPECT_GT(quoted, 1000);
  EXPECT_GT(plain, 500);
  EXPECT_GT(refused, 1000);
}

// RFC 5321 4.5.3.1.1 (64), 4.5.3.1.2 (255), 4.5.3.1.3 (256 with "<>").
TEST(PathRenderTest, CheckLengthsReportsEachLimit_Rfc5321_4_5_3_1) {
  EXPECT_TRUE(CheckLengths(MailboxPath(std::string(64, 'a'), "x")).ok());
  Status local = CheckLengths(MailboxPath(std::string(65, 'a'), "x"));
  ASSERT_FALSE(local.ok());
  EXPECT_EQ(local.error().offset, 1u);
  EXPECT_NE(local.error().reason.find("4.5.3.1.1"), std::string::npos);
  // Measured on the wire form: 62 octets and their quotes make 64.
  EXPECT_TRUE(CheckLengths(MailboxPath(std::string(62, ' '), "x")).ok());
  EXPECT_FALSE(CheckLengths(MailboxPath(std::string(63, ' '), "x")).ok());

  const std::string label(63, 'd');
  const std::string domain = label + "." + label + "." + label + "." + label;
  ASSERT_EQ(domain.size(), 255u);
  // "<" + 64 + "@" + 255 + ">" = 322 octets: each part fits, the path not.
  Status path = CheckLengths(MailboxPath(std::string(64, 'a'), domain));
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.error().offset, 256u);
  EXPECT_NE(path.error().reason.find("4.5.3.1.3"), std::string::npos);
  // Exactly 256: "<" + 64 + "@" + 189 + ">".
  const std::string d189 = label + "." + label + "." + std::string(61, 'e');
  EXPECT_TRUE(CheckLengths(MailboxPath(std::string(64, 'a'), d189)).ok());
  EXPECT_FALSE(
      CheckLengths(MailboxPath(std::string(64, 'a'), d189 + "e")).ok());

  Status long_domain = CheckLengths(MailboxPath("a", domain + ".e"));
  ASSERT_FALSE(long_domain.ok());
  EXPECT_EQ(long_domain.error().offset, 3u + 255u);
  EXPECT_NE(long_domain.error().reason.find("4.5.3.1.2"), std::string::npos);

  Path routed = MailboxPath("a", "b");
  routed.source_route = {"ok", std::string(64, 'r')};
  Status route = CheckLengths(routed);
  ASSERT_FALSE(route.ok());
  EXPECT_EQ(route.error().offset, 6u);  // "<@ok,@" then the long label
  EXPECT_NE(route.error().reason.find("source route"), std::string::npos);

  EXPECT_TRUE(CheckLengths(Path{Kind::kNull, {}, {}}).ok());
  EXPECT_FALSE(CheckLengths(MailboxPath("a\r", "b")).ok());
  // Parsing leaves the limits to CheckLengths.
  Result<Path> parsed = ParseReversePath("<" + std::string(65, 'a') + "@x>");
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(CheckLengths(*parsed).ok());
}

TEST(PathRenderTest, IsPostmaster_Rfc5321_4_1_1_3) {
  EXPECT_TRUE(IsPostmaster(Path{Kind::kPostmaster, {}, {}}));
  EXPECT_TRUE(IsPostmaster(MailboxPath("PostMaster", "x")));
  EXPECT_FALSE(IsPostmaster(MailboxPath("postmaster2", "x")));
  EXPECT_FALSE(IsPostmaster(Path{Kind::kNull, {}, {}}));
}

}  // namespace
}  // namespace smtpspec
