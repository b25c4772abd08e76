// Matching observed lines against patterns, built by parsing transcript
// lines so that the tests read like transcripts.
#include "parser/match.h"

#include <string>

#include "gtest/gtest.h"
#include "parser/diagnostic.h"
#include "parser/parser.h"

namespace smtpspec::parser {
namespace {

// The pattern of the only step of a one-step transcript.
const Step& OnlyStep(const std::string& text, ParseResult& holder) {
  holder = Parse("---\nvars: {domain: example.org, who: bob}\n---\n" + text,
                 "t.smtp");
  EXPECT_TRUE(holder.scenario)
      << (holder.diagnostics.empty() ? ""
                                     : FormatDiagnostic(holder.diagnostics[0]));
  static const Step kEmpty;
  if (!holder.scenario || holder.scenario->steps.empty()) return kEmpty;
  return holder.scenario->steps.back();
}

ReplyPattern ReplyOf(const std::string& text) {
  ParseResult r;
  const Step& s = OnlyStep(text, r);
  const ServerReply* reply = std::get_if<ServerReply>(&s.action);
  return reply ? reply->pattern : ReplyPattern{};
}

CommandPattern CommandOf(const std::string& text) {
  ParseResult r;
  const Step& s = OnlyStep(text, r);
  const ClientCommand* c = std::get_if<ClientCommand>(&s.action);
  return c ? c->pattern : CommandPattern{};
}

Variables Vars() {
  Variables v;
  v.Set("domain", "example.org");
  v.Set("who", "bob");
  return v;
}

Reply MakeReply(int code, std::vector<std::string> lines) {
  return Reply{code, std::nullopt, std::move(lines)};
}

// RFC 5321 4.2.1 / 4.2.2: codes, classes and alternatives.
TEST(MatchReplyTest, Codes) {
  EXPECT_TRUE(MatchReply(ReplyOf("S: 250 *\n"), MakeReply(250, {"ok"}), Vars())
                  .matched);
  EXPECT_FALSE(MatchReply(ReplyOf("S: 250 *\n"), MakeReply(251, {"ok"}), Vars())
                   .matched);
  EXPECT_TRUE(
      MatchReply(ReplyOf("S: 2xx\n"), MakeReply(221, {"bye"}), Vars()).matched);
  EXPECT_TRUE(
      MatchReply(ReplyOf("S: 25x\n"), MakeReply(252, {""}), Vars()).matched);
  EXPECT_FALSE(
      MatchReply(ReplyOf("S: 25x\n"), MakeReply(221, {""}), Vars()).matched);
  ReplyPattern alt = ReplyOf("S: 250|251\n");
  EXPECT_TRUE(MatchReply(alt, MakeReply(251, {"x"}), Vars()).matched);
  MatchResult no = MatchReply(alt, MakeReply(550, {"x"}), Vars());
  EXPECT_FALSE(no.matched);
  EXPECT_EQ(no.reason, "reply code 550 does not match 250|251");
}

TEST(MatchReplyTest, TextGlobAndVariables) {
  ReplyPattern p = ReplyOf("S: 250 ${domain} says hello ?o*\n");
  EXPECT_TRUE(
      MatchReply(p, MakeReply(250, {"example.org says hello to you"}), Vars())
          .matched);
  EXPECT_FALSE(
      MatchReply(p, MakeReply(250, {"example.com says hello to you"}), Vars())
          .matched);
  // Without a value for ${domain} nothing matches, and the reason says so.
  MatchResult r = MatchReply(p, MakeReply(250, {"x"}), Variables());
  EXPECT_FALSE(r.matched);
  EXPECT_EQ(r.reason, "the variable ${domain} has no value");
}

// A run of `?` (one segment with a count) takes exactly that many bytes, and
// with a `*` at least that many.
TEST(MatchReplyTest, WildcardRuns) {
  ReplyPattern exact = ReplyOf("S: 250 id=???;\n");
  EXPECT_TRUE(MatchReply(exact, MakeReply(250, {"id=abc;"}), Vars()).matched);
  EXPECT_FALSE(MatchReply(exact, MakeReply(250, {"id=ab;"}), Vars()).matched);
  EXPECT_FALSE(MatchReply(exact, MakeReply(250, {"id=abcd;"}), Vars()).matched);
  EXPECT_FALSE(MatchReply(exact, MakeReply(250, {"id=ab"}), Vars()).matched);
  ReplyPattern least = ReplyOf("S: 250 id=?*?;\n");
  EXPECT_FALSE(MatchReply(least, MakeReply(250, {"id=a;"}), Vars()).matched);
  EXPECT_TRUE(MatchReply(least, MakeReply(250, {"id=ab;"}), Vars()).matched);
  EXPECT_TRUE(
      MatchReply(least, MakeReply(250, {"id=a;b;c;"}), Vars()).matched);
}

// RFC 3463 / RFC 2034: enhanced codes, whether or not the reader split them.
TEST(MatchReplyTest, EnhancedStatusCodes) {
  ReplyPattern p = ReplyOf("S: 550 5.1.x *\n");
  Reply split{550, EnhancedCode{5, 1, 1}, {"no such user"}};
  EXPECT_TRUE(MatchReply(p, split, Vars()).matched);
  EXPECT_TRUE(
      MatchReply(p, MakeReply(550, {"5.1.2 bad domain"}), Vars()).matched);
  EXPECT_FALSE(MatchReply(p, MakeReply(550, {"5.7.1 denied"}), Vars()).matched);
  EXPECT_FALSE(MatchReply(p, MakeReply(550, {"no code"}), Vars()).matched);
  // A pattern without an enhanced code may spell it in its text.
  ReplyPattern text = ReplyOf("S: 550 5.1.1 no*\n");
  EXPECT_TRUE(MatchReply(text, split, Vars()).matched);
  ReplyPattern plain = ReplyOf("S: 550 no such user\n");
  EXPECT_TRUE(MatchReply(plain, split, Vars()).matched);
}

// RFC 5321 4.2.1: multi-line replies, line by line and with "...".
TEST(MatchReplyTest, MultiLineReplies) {
  Reply ehlo =
      MakeReply(250, {"mx.example.org hi", "PIPELINING", "SIZE 1000", "HELP"});
  EXPECT_TRUE(MatchReply(ReplyOf("S: 250 ...\n"), ehlo, Vars()).matched);
  EXPECT_TRUE(
      MatchReply(ReplyOf("S: 250 ...\n"), MakeReply(250, {"one"}), Vars())
          .matched);
  EXPECT_TRUE(MatchReply(ReplyOf("S: 250-mx.*\nS: 250-...\nS: 250 HELP\n"),
                         ehlo, Vars())
                  .matched);
  EXPECT_FALSE(MatchReply(ReplyOf("S: 250-mx.*\nS: 250-...\nS: 250 SIZE\n"),
                          ehlo, Vars())
                   .matched);
  EXPECT_TRUE(
      MatchReply(
          ReplyOf("S: 250-*\nS: 250-PIPELINING\nS: 250-SIZE *\nS: 250 HELP\n"),
          ehlo, Vars())
          .matched);
  // Exactly four lines were asked for; three is not enough.
  EXPECT_FALSE(MatchReply(ReplyOf("S: 250-*\nS: 250-*\nS: 250-*\nS: 250 *\n"),
                          MakeReply(250, {"a", "b", "c"}), Vars())
                   .matched);
  // "..." in the middle, with the lines around it pinned.
  EXPECT_TRUE(MatchReply(ReplyOf("S: 250-mx*\nS: 250-...\nS: 250-SIZE*\nS: "
                                 "250-...\nS: 250 HELP\n"),
                         ehlo, Vars())
                  .matched);
}

// RFC 5321 4.1.1.1: EHLO keywords are the first word of lines 2..n.
TEST(MatchReplyTest, EhloKeywords) {
  Reply ehlo = MakeReply(250, {"MX greets you", "pipelining", "SIZE 1000"});
  EXPECT_TRUE(
      MatchReply(ReplyOf("S: 250 ... +PIPELINING +SIZE\n"), ehlo, Vars())
          .matched);
  MatchResult missing =
      MatchReply(ReplyOf("S: 250 ... +CHUNKING\n"), ehlo, Vars());
  EXPECT_FALSE(missing.matched);
  EXPECT_EQ(missing.reason, "the reply does not advertise CHUNKING");
  EXPECT_FALSE(MatchReply(ReplyOf("S: 250 ... -SIZE\n"), ehlo, Vars()).matched);
  // The greeting line is not a keyword line.
  EXPECT_FALSE(MatchReply(ReplyOf("S: 250 ... +MX\n"), ehlo, Vars()).matched);
}

TEST(MatchReplyTest, RegexCaptures) {
  ReplyPattern p = ReplyOf("S: 250 /queued as (?<qid>[A-Z0-9]+)( now)?/\n");
  MatchResult r =
      MatchReply(p, MakeReply(250, {"2.0.0 Ok: queued as ABC123"}), Vars());
  ASSERT_TRUE(r.matched) << r.reason;
  ASSERT_EQ(r.captures.size(), 1u);
  EXPECT_EQ(r.captures[0], (Binding{"qid", "ABC123"}));
  EXPECT_FALSE(
      MatchReply(p, MakeReply(250, {"queued as abc"}), Vars()).matched);
}

// A regex is never run on a line longer than the bound, and a pathological
// pattern on a long line still finishes (polynomial mode).
TEST(MatchReplyTest, RegexIsBounded) {
  ReplyPattern p = ReplyOf("S: 250 /^(a|a)*(a*)*b$/\n");
  MatchResult r =
      MatchReply(p, MakeReply(250, {std::string(900, 'a')}), Vars());
  EXPECT_FALSE(r.matched);
  MatchResult longer =
      MatchReply(p, MakeReply(250, {std::string(5000, 'a')}), Vars());
  EXPECT_FALSE(longer.matched);
  EXPECT_EQ(longer.reason, "the line is longer than 1000 octets");
}

// RFC 5321 2.4: verbs and the FROM:/TO: keywords are case-insensitive.
TEST(MatchCommandTest, VerbAndKeywordIgnoreCase) {
  CommandPattern p = CommandOf("C: MAIL FROM:<${who}@${domain}>\n");
  EXPECT_TRUE(MatchCommand(p, "MAIL FROM:<bob@example.org>", Vars()).matched);
  EXPECT_TRUE(MatchCommand(p, "mail from:<bob@example.org>", Vars()).matched);
  // The mailbox itself is compared exactly (local parts are case-sensitive,
  // RFC 5321 2.4).
  EXPECT_FALSE(MatchCommand(p, "MAIL FROM:<BOB@example.org>", Vars()).matched);
  CommandPattern ehlo = CommandOf("C: EHLO *\n");
  EXPECT_TRUE(MatchCommand(ehlo, "ehlo client.example.org", Vars()).matched);
  EXPECT_FALSE(MatchCommand(ehlo, "HELO client.example.org", Vars()).matched);
  EXPECT_FALSE(
      MatchCommand(CommandOf("C: QUIT\n"), "QUIT now", Vars()).matched);
}

TEST(MatchCommandTest, Regex) {
  CommandPattern p = CommandOf("C: /^RCPT TO:<(?<rcpt>[^>]+)>$/i\n");
  MatchResult r = MatchCommand(p, "rcpt to:<a@b>", Vars());
  ASSERT_TRUE(r.matched);
  EXPECT_EQ(r.captures, (std::vector<Binding>{{"rcpt", "a@b"}}));
}

TEST(ExpandTest, ConcreteLines) {
  CommandPattern p = CommandOf("C: EHLO client.${domain}\n");
  ASSERT_TRUE(IsConcrete(p));
  Result<std::string> line = ExpandCommand(p, Vars());
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(*line, "EHLO client.example.org");
  EXPECT_FALSE(IsConcrete(CommandOf("C: EHLO *\n")));
  EXPECT_FALSE(ExpandCommand(CommandOf("C: EHLO *\n"), Vars()).ok());
  EXPECT_FALSE(ExpandCommand(p, Variables()).ok());

  ReplyPattern reply = ReplyOf("S: 250-first\nS: 250 2.0.0 last\n");
  ASSERT_TRUE(IsConcrete(reply));
  Result<Reply> r = ExpandReply(reply, Vars());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->code, 250);
  EXPECT_EQ(r->lines, (std::vector<std::string>{"first", "last"}));
  EXPECT_FALSE(IsConcrete(ReplyOf("S: 2xx ok\n")));
  EXPECT_FALSE(IsConcrete(ReplyOf("S: 250 ...\n")));
}

TEST(ExpandTest, RawBytes) {
  ParseResult holder;
  const Step& s = OnlyStep("C! \"A\\{3}b\\r\\n${who}\\x00\"\n", holder);
  const RawSend* raw = std::get_if<RawSend>(&s.action);
  ASSERT_NE(raw, nullptr);
  Result<std::string> bytes = ExpandRaw(raw->bytes, Vars());
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, std::string("Abbb\r\nbob\0", 10));
}

}  // namespace
}  // namespace smtpspec::parser
