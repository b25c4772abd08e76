// !include resolution through an in-memory Loader.
#include "parser/include.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "parser/diagnostic.h"

namespace smtpspec::parser {
namespace {

class MemoryLoader : public Loader {
 public:
  void Add(std::string path, std::string text) {
    files_.push_back({std::move(path), std::move(text)});
  }
  Result<std::string> Load(const std::string& path) override {
    loads_.push_back(path);
    for (const auto& f : files_) {
      if (f.first == path) return f.second;
    }
    return Error{0, "no such file"};
  }
  const std::vector<std::string>& loads() const { return loads_; }

 private:
  std::vector<std::pair<std::string, std::string>> files_;
  std::vector<std::string> loads_;
};

ParseResult ParseAndResolve(const std::string& text, const std::string& file,
                            Loader& loader) {
  ParseResult r = Parse(text, file);
  if (!r.scenario) return r;
  return ResolveIncludes(*r.scenario, file, loader);
}

TEST(JoinIncludePathTest, RelativeToTheIncludingFile) {
  EXPECT_EQ(JoinIncludePath("a/b/main.smtp", "common/x.smtp"),
            "a/b/common/x.smtp");
  EXPECT_EQ(JoinIncludePath("a/b/main.smtp", "../x.smtp"), "a/x.smtp");
  EXPECT_EQ(JoinIncludePath("main.smtp", "./x.smtp"), "x.smtp");
  EXPECT_EQ(JoinIncludePath("main.smtp", "../x.smtp"), "../x.smtp");
  EXPECT_EQ(JoinIncludePath("a/main.smtp", "/etc/x.smtp"), "/etc/x.smtp");
}

TEST(ResolveIncludesTest, SplicesStepsAndMergesVars) {
  MemoryLoader loader;
  loader.Add("s/common/greet.smtp",
             "---\nvars: {client: c.example, domain: inner}\nrequires: [SIZE]\n"
             "---\nS: 220 *\nC: EHLO ${client}\nS: 250 ...\n");
  ParseResult r = ParseAndResolve(
      "---\nvars: {domain: outer}\n---\n!include common/greet.smtp\nC: QUIT\n",
      "s/main.smtp", loader);
  ASSERT_TRUE(r.scenario) << FormatDiagnostic(r.diagnostics[0]);
  const Scenario& s = *r.scenario;
  ASSERT_EQ(s.steps.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<ServerReply>(s.steps[0].action));
  EXPECT_EQ(s.steps[0].position.file, "s/common/greet.smtp");
  EXPECT_EQ(s.steps[0].position.line, 5);  // after 4 lines of front matter
  EXPECT_EQ(s.steps[3].position.file, "");
  // The including file's value wins; new names are added.
  EXPECT_EQ(s.meta.vars,
            (std::vector<Var>{{"domain", "outer"}, {"client", "c.example"}}));
  EXPECT_EQ(s.meta.requires_keywords, std::vector<std::string>{"SIZE"});
}

TEST(ResolveIncludesTest, MissingFileIsAnErrorAtTheIncludeLine) {
  MemoryLoader loader;
  ParseResult r =
      ParseAndResolve("S: 220 *\n!include nope.smtp\n", "m.smtp", loader);
  ASSERT_FALSE(r.scenario);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(r.diagnostics[0]),
            "m.smtp:2:1: cannot include 'nope.smtp': no such file");
}

TEST(ResolveIncludesTest, ErrorsInTheIncludedFileCarryItsName) {
  MemoryLoader loader;
  loader.Add("bad.smtp", "S: 2x *\n");
  ParseResult r = ParseAndResolve("!include bad.smtp\n", "m.smtp", loader);
  ASSERT_FALSE(r.scenario);
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(FormatDiagnostic(r.diagnostics[1]),
            "bad.smtp:1:4: reply code '2x': a code is three characters, each a "
            "digit or 'x', like 250 or 2xx");
}

TEST(ResolveIncludesTest, CyclesAreErrors) {
  MemoryLoader loader;
  loader.Add("a.smtp", "!include b.smtp\n");
  loader.Add("b.smtp", "C: NOOP\n!include a.smtp\n");
  ParseResult r = ParseAndResolve("!include b.smtp\n", "a.smtp", loader);
  ASSERT_FALSE(r.scenario);
  EXPECT_EQ(FormatDiagnostic(r.diagnostics[0]),
            "b.smtp:2:1: include cycle: a.smtp -> b.smtp -> a.smtp");
}

// A file that includes another twice, sixteen levels deep, would expand to
// 2^16 copies; depth and size are bounded.
TEST(ResolveIncludesTest, ExpansionIsBounded) {
  MemoryLoader loader;
  for (int i = 0; i < 40; ++i) {
    std::string next = "f" + std::to_string(i + 1) + ".smtp";
    loader.Add("f" + std::to_string(i) + ".smtp",
               "C: NOOP\n!include " + next + "\n!include " + next + "\n");
  }
  ParseResult r = ParseAndResolve("!include f0.smtp\n", "m.smtp", loader);
  ASSERT_FALSE(r.scenario);
  EXPECT_NE(r.diagnostics[0].message.find("nest deeper than 16"),
            std::string::npos)
      << r.diagnostics[0].message;
  EXPECT_LT(loader.loads().size(), 100u);
}

// A file of 50000 steps included 21 times passes the bound on included
// steps with the first step of the last copy.
TEST(ResolveIncludesTest, IncludedStepsAreBounded) {
  MemoryLoader loader;
  std::string wide;
  for (int i = 0; i < 50000; ++i) wide += "C: NOOP\n";
  loader.Add("wide.smtp", wide);
  std::string top;
  for (int i = 0; i < 21; ++i) top += "!include wide.smtp\n";
  ParseResult r = ParseAndResolve(top, "m.smtp", loader);
  ASSERT_FALSE(r.scenario);
  EXPECT_EQ(FormatDiagnostic(r.diagnostics[0]),
            "wide.smtp:1:1: the included files add more than 1000000 steps "
            "to the file's own; is a file included over and over?");
  EXPECT_EQ(loader.loads().size(), 21u);
}

// Each included file may be small enough alone; their sum is bounded, before
// the one that passes the bound is parsed.
TEST(ResolveIncludesTest, IncludedBytesAreBounded) {
  MemoryLoader loader;
  std::string big = "C: NOOP\n# " + std::string(4u << 20, 'x') + "\n";
  loader.Add("big.smtp", big);
  std::string top = "S: 220 *\n";
  for (int i = 0; i < 30; ++i) top += "!include big.smtp\n";
  ParseResult r = ParseAndResolve(top, "m.smtp", loader);
  ASSERT_FALSE(r.scenario);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  const std::size_t fits = kMaxIncludedBytes / big.size();
  EXPECT_EQ(FormatDiagnostic(r.diagnostics[0]),
            "m.smtp:" + std::to_string(fits + 2) +
                ":1: cannot include 'big.smtp': the included files add up to "
                "more than 64 MiB of text; is a file included over and over?");
  EXPECT_EQ(loader.loads().size(), fits + 1);
}

// A file's own steps do not count towards the include bound: a long
// transcript that includes a short file resolves.
TEST(ResolveIncludesTest, AFileOwnStepsAreNotBounded) {
  Scenario s;
  Step noop;
  noop.action = ClientCommand{
      CommandPattern{Glob{{Segment{Segment::Kind::kLiteral, "NOOP"}}}}};
  s.steps.assign(kMaxResolvedSteps + 1, noop);
  s.steps.emplace_back().action = Include{"quit.smtp"};
  MemoryLoader loader;
  loader.Add("quit.smtp", "C: QUIT\n");
  ParseResult r = ResolveIncludes(std::move(s), "long.smtp", loader);
  ASSERT_TRUE(r.scenario) << FormatDiagnostic(r.diagnostics[0]);
  ASSERT_EQ(r.scenario->steps.size(), kMaxResolvedSteps + 2);
  EXPECT_EQ(r.scenario->steps.back().position.file, "quit.smtp");
  EXPECT_EQ(loader.loads(), std::vector<std::string>{"quit.smtp"});
}

// Without includes, the scenario comes back as it went in.
TEST(ResolveIncludesTest, NoIncludesNoChange) {
  MemoryLoader loader;
  ParseResult parsed = Parse("C: NOOP\nS: 250 *\n# end\n", "a.smtp");
  ASSERT_TRUE(parsed.scenario);
  Scenario copy = *parsed.scenario;
  ParseResult r =
      ResolveIncludes(std::move(*parsed.scenario), "a.smtp", loader);
  ASSERT_TRUE(r.scenario);
  EXPECT_EQ(*r.scenario, copy);
  EXPECT_EQ(r.scenario->tail, copy.tail);
  EXPECT_TRUE(loader.loads().empty());
}

}  // namespace
}  // namespace smtpspec::parser
