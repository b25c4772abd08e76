// Parse(Render(s)) == s, for every transcript in the repository and for
// thousands of random scenarios; and Render is a fixed point (fmt twice
// changes nothing).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "parser/diagnostic.h"
#include "parser/parser.h"
#include "parser/render.h"
#include "parser/scenario_generator.h"

namespace smtpspec::parser {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Diagnostics(const ParseResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += FormatDiagnostic(d) + "\n";
  return out;
}

// Every .smtp file under the directories the test has as data.
std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  for (const char* dir : {"scenarios", "parser/testdata/good"}) {
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path().extension() == ".smtp") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(RoundTripTest, CorpusIsNotEmpty) { EXPECT_GE(CorpusFiles().size(), 5u); }

TEST(RoundTripTest, EveryCorpusFileRoundTrips) {
  for (const fs::path& p : CorpusFiles()) {
    SCOPED_TRACE(p.string());
    ParseResult first = Parse(ReadFile(p), p.string());
    ASSERT_TRUE(first.scenario) << Diagnostics(first);
    std::string canonical = Render(*first.scenario);
    ParseResult second = Parse(canonical, p.string());
    ASSERT_TRUE(second.scenario) << Diagnostics(second) << canonical;
    EXPECT_EQ(*second.scenario, *first.scenario) << canonical;
    EXPECT_EQ(Render(*second.scenario), canonical);
  }
}

// The corpus is written canonically, so `fmt --check` passes on it.
TEST(RoundTripTest, ExampleScenariosAreCanonical) {
  for (const fs::path& p : CorpusFiles()) {
    if (p.string().find("scenarios/") != 0) continue;
    SCOPED_TRACE(p.string());
    std::string text = ReadFile(p);
    ParseResult r = Parse(text, p.string());
    ASSERT_TRUE(r.scenario) << Diagnostics(r);
    EXPECT_EQ(Render(*r.scenario), text);
  }
}

// Parsing any prefix of a valid file (a file cut at every byte) must end in
// a scenario or diagnostics, never a crash or a hang.
TEST(RoundTripTest, EveryPrefixOfTheCorpusParses) {
  for (const fs::path& p : CorpusFiles()) {
    std::string text = ReadFile(p);
    for (std::size_t n = 0; n <= text.size(); ++n) {
      ParseResult r = Parse(std::string_view(text).substr(0, n), "prefix");
      EXPECT_NE(r.scenario.has_value(), !r.diagnostics.empty())
          << p << " cut at " << n;
    }
  }
}

TEST(RoundTripTest, RandomScenariosRoundTrip) {
  ScenarioGenerator gen(20240611);
  int failures = 0;
  for (int i = 0; i < 3000 && failures < 3; ++i) {
    Scenario s = gen.Next();
    std::string text = Render(s);
    ParseResult r = Parse(text, "random.smtp");
    if (!r.scenario) {
      ADD_FAILURE() << "scenario " << i << " does not parse:\n"
                    << Diagnostics(r) << "---- text:\n"
                    << text;
      ++failures;
      continue;
    }
    if (!(*r.scenario == s)) {
      ADD_FAILURE() << "scenario " << i << " changed:\n"
                    << text << "---- reparsed:\n"
                    << Render(*r.scenario);
      ++failures;
    }
  }
}

}  // namespace
}  // namespace smtpspec::parser
