// The lexical pieces: glob text, raw strings, regexes, durations, hints.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "parser/duration.h"
#include "parser/glob_text.h"
#include "parser/parser.h"
#include "parser/raw_string.h"
#include "parser/regex_text.h"

namespace smtpspec::parser {
namespace {

std::optional<Glob> G(std::string_view text, DiagnosticSink& sink) {
  std::vector<VarUse> uses;
  return ParseGlob(text, TextAt{1, 1}, sink, uses);
}

TEST(GlobTextTest, SegmentsEscapesAndVariables) {
  DiagnosticSink sink("t");
  std::optional<Glob> g = G("MAIL FROM:<${who}@*\\*>?", sink);
  ASSERT_TRUE(g);
  ASSERT_EQ(g->segments.size(), 6u);
  EXPECT_EQ(g->segments[0].text, "MAIL FROM:<");
  EXPECT_EQ(g->segments[1].kind, Segment::Kind::kVariable);
  EXPECT_EQ(g->segments[1].text, "who");
  EXPECT_EQ(g->segments[2].text, "@");
  EXPECT_EQ(g->segments[3].kind, Segment::Kind::kAnyRun);
  EXPECT_EQ(g->segments[4].text, "*>");
  EXPECT_EQ(g->segments[5].kind, Segment::Kind::kAnyByte);
  EXPECT_EQ(RenderGlob(*g, false), "MAIL FROM:<${who}@*\\*>?");
  EXPECT_TRUE(sink.empty());
}

// A run of wildcards is one kAnyByte (its `?`s counted) then one kAnyRun,
// whatever its length and order: the same pattern, in constant memory.
TEST(GlobTextTest, AWildcardRunIsAtMostTwoSegments) {
  DiagnosticSink sink("t");
  std::optional<Glob> g = G("a*?*?b??c", sink);
  ASSERT_TRUE(g);
  ASSERT_EQ(g->segments.size(), 6u);
  EXPECT_EQ(g->segments[1].kind, Segment::Kind::kAnyByte);
  EXPECT_EQ(g->segments[1].count, 2u);
  EXPECT_EQ(g->segments[2].kind, Segment::Kind::kAnyRun);
  EXPECT_EQ(g->segments[4].kind, Segment::Kind::kAnyByte);
  EXPECT_EQ(g->segments[4].count, 2u);
  EXPECT_EQ(RenderGlob(*g, false), "a??*b??c");
  std::optional<Glob> same = G("a??*b??c", sink);
  EXPECT_EQ(same, g);

  // A megabyte of `*` (the issue saw 40 bytes of memory per byte of it).
  std::optional<Glob> stars = G(std::string(1u << 20, '*'), sink);
  ASSERT_TRUE(stars);
  EXPECT_EQ(stars->segments.size(), 1u);
  EXPECT_LE(stars->segments.capacity(), 4u);
  std::optional<Glob> marks = G(std::string(1u << 20, '?') + "*", sink);
  ASSERT_TRUE(marks);
  ASSERT_EQ(marks->segments.size(), 2u);
  EXPECT_EQ(marks->segments[0].count, 1u << 20);
  EXPECT_TRUE(sink.empty());
}

TEST(GlobTextTest, CommentsAndTrailingSpace) {
  EXPECT_EQ(FindComment("NOOP # why"), 5u);
  EXPECT_EQ(FindComment("NOOP \\# not"), std::string_view::npos);
  EXPECT_EQ(FindComment("a#b"), std::string_view::npos);
  EXPECT_EQ(FindComment("# all comment"), 0u);
  EXPECT_EQ(TrimTrailing("a  "), "a");
  EXPECT_EQ(TrimTrailing("a\\  "), "a\\ ");
  EXPECT_EQ(TrimTrailing("a\\\\  "), "a\\\\");
}

TEST(GlobTextTest, Errors) {
  DiagnosticSink sink("t");
  EXPECT_FALSE(G("a\\qb", sink));
  EXPECT_FALSE(G("${1x}", sink));
  EXPECT_FALSE(G("${open", sink));
  EXPECT_FALSE(G("end\\", sink));
  ASSERT_EQ(sink.size(), 4u);
  EXPECT_EQ(sink.diagnostics()[0].column, 2);
}

TEST(GlobTextTest, RenderEscapesWhatWouldReadDifferently) {
  Glob g{{{Segment::Kind::kLiteral, "/x #y ${z} "}}};
  EXPECT_EQ(RenderGlob(g, false), "\\/x \\#y \\${z}\\ ");
  Glob status{{{Segment::Kind::kLiteral, "2.0.0 ok"}}};
  EXPECT_EQ(RenderGlob(status, true), "2\\.0.0 ok");
  EXPECT_EQ(RenderGlob(status, false), "2.0.0 ok");
}

std::optional<RawBytes> R(std::string_view text, DiagnosticSink& sink) {
  std::vector<VarUse> uses;
  std::string_view rest;
  return ParseRawString(text, TextAt{1, 1}, sink, uses, &rest);
}

TEST(RawStringTest, EscapesRepeatsAndRoundTrip) {
  DiagnosticSink sink("t");
  std::optional<RawBytes> raw = R("\"a\\r\\n\\x00\\{3}-\\$${v}\\\"\"", sink);
  ASSERT_TRUE(raw) << sink.diagnostics()[0].message;
  ASSERT_EQ(raw->pieces.size(), 5u);
  EXPECT_EQ(raw->pieces[0].text, std::string("a\r\n\0", 4));
  EXPECT_EQ(raw->pieces[1].kind, RawPiece::Kind::kRepeat);
  EXPECT_EQ(raw->pieces[1].count, 3u);
  EXPECT_EQ(raw->pieces[2].text, "$");
  EXPECT_EQ(raw->pieces[3].kind, RawPiece::Kind::kVariable);
  EXPECT_EQ(raw->pieces[4].text, "\"");
  EXPECT_EQ(RenderRawString(*raw), "\"a\\r\\n\\0\\{3}-$${v}\\\"\"");
}

// A 10 MB line is one piece, not 10 MB of memory.
TEST(RawStringTest, BoundedExpansion) {
  DiagnosticSink sink("t");
  std::optional<RawBytes> big = R("\"\\{10000000}x\"", sink);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->pieces.size(), 1u);
  EXPECT_FALSE(R("\"\\{16777217}x\"", sink));
  EXPECT_FALSE(
      R("\"\\{16777216}x\\{16777216}x\\{16777216}x\\{16777216}xy\"", sink));
  EXPECT_EQ(sink.diagnostics().back().message,
            "the string stands for more than 67108864 bytes");
}

TEST(RegexTextTest, NamedGroupsAndErrors) {
  std::string why;
  std::optional<Regex> r = CompileRegex("(a)(?<id>b)(?:c)", false, &why);
  ASSERT_TRUE(r) << why;
  EXPECT_EQ(r->compiled->group_names, (std::vector<std::string>{"", "id"}));
  EXPECT_FALSE(CompileRegex("(a", false, &why));
  EXPECT_EQ(why, "its parentheses do not balance");
  EXPECT_FALSE(CompileRegex("(a)\\1", false, &why));
  EXPECT_EQ(why, "back-references are not supported");
  EXPECT_FALSE(CompileRegex(std::string(600, 'a'), false, &why));
  // Nested counted repeats would blow up the automaton: refused, not built.
  EXPECT_FALSE(CompileRegex("((a{1000}){1000}){1000}", false, &why));
  EXPECT_EQ(why, "it is too complex to match in bounded time");
}

// One parse compiles each regex once: the same source and flags share the
// compiled form, other flags do not, and a bad regex gives the same reason
// every time it is written.
TEST(RegexTextTest, CacheCompilesEachSourceAndFlagsOnce) {
  RegexCache cache;
  std::string why;
  std::optional<Regex> a = cache.Compile("q(?<id>[0-9]+)", false, &why);
  std::optional<Regex> b = cache.Compile("q(?<id>[0-9]+)", false, &why);
  std::optional<Regex> c = cache.Compile("q(?<id>[0-9]+)", true, &why);
  ASSERT_TRUE(a && b && c) << why;
  EXPECT_EQ(a->compiled, b->compiled);
  EXPECT_NE(a->compiled, c->compiled);
  EXPECT_EQ(*a, *b);
  EXPECT_FALSE(*a == *c);
  EXPECT_TRUE(c->icase);
  EXPECT_EQ(c->compiled->group_names, (std::vector<std::string>{"id"}));
  EXPECT_FALSE(cache.Compile("(a", false, &why));
  EXPECT_EQ(why, "its parentheses do not balance");
  why.clear();
  EXPECT_FALSE(cache.Compile("(a", false, &why));
  EXPECT_EQ(why, "its parentheses do not balance");
}

// In a file, every use of a regex shares one compiled form.
TEST(RegexTextTest, ParseSharesRepeatedRegexes) {
  ParseResult r = Parse(
      "S: 250 /queued as (?<q>[A-Z]+)/\nS: 250 /queued as (?<q>[A-Z]+)/\n",
      "t");
  ASSERT_TRUE(r.scenario);
  ASSERT_EQ(r.scenario->steps.size(), 2u);
  const Regex* first =
      std::get_if<Regex>(&*std::get<ServerReply>(r.scenario->steps[0].action)
                               .pattern.lines[0]
                               .text);
  const Regex* second =
      std::get_if<Regex>(&*std::get<ServerReply>(r.scenario->steps[1].action)
                               .pattern.lines[0]
                               .text);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->compiled, second->compiled);
}

TEST(DurationTest, ParseAndFormat) {
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(ParseDuration("30s"), std::chrono::seconds(30));
  EXPECT_EQ(ParseDuration("2m"), std::chrono::minutes(2));
  EXPECT_EQ(ParseDuration("24h"), std::chrono::hours(24));
  EXPECT_FALSE(ParseDuration("25h"));
  EXPECT_FALSE(ParseDuration("5"));
  EXPECT_FALSE(ParseDuration("1.5s"));
  EXPECT_FALSE(ParseDuration("99999999999999s"));
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(120000)), "2m");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(0)), "0s");
}

}  // namespace
}  // namespace smtpspec::parser
