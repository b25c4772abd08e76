// The selection flags of `run` and `list` (cli/selection.h): what each
// selects, how they combine, the errors, the shards and the sides.
#include "cli/selection.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace smtpspec::cli {
namespace {

using parser::Level;
using parser::UnderTest;

parser::Scenario Meta(std::string id, Level level,
                      std::vector<std::string> tags,
                      std::vector<std::string> rfc,
                      UnderTest tests = UnderTest::kServer) {
  parser::Metadata m;
  m.id = std::move(id);
  m.level = level;
  m.tags = std::move(tags);
  m.rfc = std::move(rfc);
  m.tests = tests;
  return parser::Scenario{std::move(m), {}, {}};
}

parser::Scenario Delivering(parser::Scenario s) {
  parser::Step step;
  step.action = parser::Bdat{3, true, std::nullopt};
  s.steps.push_back(std::move(step));
  return s;
}

const std::vector<parser::Scenario>& Corpus() {
  static const std::vector<parser::Scenario> corpus = {
      Meta("rfc5321.noop", Level::kMust, {"minimum"}, {"RFC 5321 4.1.1.9"}),
      Meta("rfc5321.rcpt-before-mail", Level::kMust, {"minimum", "sequence"},
           {"RFC 5321 3.3", "RFC 5321 4.1.4"}),
      Meta("", Level::kMust, {}, {}),  // an include fragment
      Meta("rfc5321.limits", Level::kMust, {"limits"}, {"RFC 5321 4.10"},
           UnderTest::kClient),
      Meta("rfc1870.size", Level::kShould, {"size"}, {"RFC 1870 4"},
           UnderTest::kBoth),
      Meta("rfc3207.starttls", Level::kMay, {"tls"}, {"RFC 3207"}),
  };
  return corpus;
}

Result<Selection> Parse(const std::vector<std::string>& args) {
  Selection s;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::optional<Status> read = ReadSelectionFlag(args, &i, &s);
    if (!read) return Error{0, "not a selection flag: " + args[i]};
    if (!read->ok()) return read->error();
  }
  return s;
}

std::vector<std::string> Ids(const std::vector<std::string>& args) {
  Result<Selection> s = Parse(args);
  EXPECT_TRUE(s.ok()) << s.error().reason;
  std::vector<const parser::Scenario*> files;
  for (const parser::Scenario& m : Corpus()) files.push_back(&m);
  std::vector<std::string> out;
  for (std::size_t i : Choose(files, *s).picked) {
    out.push_back(Corpus()[i].meta.id);
  }
  return out;
}

using Ids_ = std::vector<std::string>;

TEST(SelectionTest, NoFlagsSelectEveryScenarioButFragments) {
  EXPECT_EQ(Ids({}),
            (Ids_{"rfc5321.noop", "rfc5321.rcpt-before-mail", "rfc5321.limits",
                  "rfc1870.size", "rfc3207.starttls"}));
  EXPECT_FALSE(Parse({})->given);
  EXPECT_TRUE(Parse({"--tags", ""})->given);
}

TEST(SelectionTest, TagsAnyOfCommaSeparatedAndRepeated) {
  EXPECT_EQ(Ids({"--tags", "sequence"}), Ids_{"rfc5321.rcpt-before-mail"});
  EXPECT_EQ(Ids({"--tags", "size, tls"}),
            (Ids_{"rfc1870.size", "rfc3207.starttls"}));
  EXPECT_EQ(Ids({"--tags", "size", "--tags", "limits"}),
            (Ids_{"rfc5321.limits", "rfc1870.size"}));
}

TEST(SelectionTest, RfcSelectsTheSectionAndThoseInsideIt) {
  EXPECT_EQ(Ids({"--rfc", "RFC 5321 4.1"}),
            (Ids_{"rfc5321.noop", "rfc5321.rcpt-before-mail"}));
  EXPECT_EQ(Ids({"--rfc", "RFC 5321 3.3"}), Ids_{"rfc5321.rcpt-before-mail"});
  EXPECT_EQ(
      Ids({"--rfc", "rfc5321"}),
      (Ids_{"rfc5321.noop", "rfc5321.rcpt-before-mail", "rfc5321.limits"}));
  // A citation of a whole RFC is selected by the RFC, not by a section.
  EXPECT_EQ(Ids({"--rfc", "RFC 3207"}), Ids_{"rfc3207.starttls"});
  EXPECT_EQ(Ids({"--rfc", "RFC 3207 4"}), Ids_{});
}

// As h2spec's -s: a section number alone is one of RFC 5321; a citation
// naming its RFC still selects in that RFC.
TEST(SelectionTest, ABareSectionIsOneOfRfc5321) {
  EXPECT_EQ(Ids({"--rfc", "4.1"}),
            (Ids_{"rfc5321.noop", "rfc5321.rcpt-before-mail"}));
  EXPECT_EQ(Ids({"--rfc", " 4.1.4 "}), Ids_{"rfc5321.rcpt-before-mail"});
  EXPECT_EQ(
      Ids({"--rfc", "4"}),
      (Ids_{"rfc5321.noop", "rfc5321.rcpt-before-mail", "rfc5321.limits"}));
  EXPECT_EQ(Ids({"--rfc", "RFC 1870 4"}), Ids_{"rfc1870.size"});
  EXPECT_EQ(Ids({"--rfc", "4.1", "--rfc", "RFC 1870 4"}),
            (Ids_{"rfc5321.noop", "rfc5321.rcpt-before-mail", "rfc1870.size"}));
}

TEST(SelectionTest, CitationsMayNameSeveralSections) {
  EXPECT_TRUE(CitationCovers("RFC 5321 4.1", "RFC 5321 4.1.4"));
  EXPECT_TRUE(CitationCovers("RFC 5321 4.1", "RFC 5321 4.1"));
  EXPECT_FALSE(CitationCovers("RFC 5321 4.1", "RFC 5321 4.10"));
  EXPECT_FALSE(CitationCovers("RFC 5321 4.1", "RFC 3207 4.1"));
  EXPECT_TRUE(CitationCovers("RFC 5321 4.3", "RFC 5321 4.1.4 / 4.3.2"));
  EXPECT_TRUE(CitationCovers("RFC 3207 4", "RFC 5321 4.1, RFC 3207 4.2"));
  EXPECT_TRUE(CitationCovers("RFC 05321 2", "RFC 5321 2.3"));
  EXPECT_FALSE(CitationCovers("section 4", "RFC 5321 4"));
}

TEST(SelectionTest, IdGlobAndLevel) {
  EXPECT_EQ(
      Ids({"--id", "rfc5321.*"}),
      (Ids_{"rfc5321.noop", "rfc5321.rcpt-before-mail", "rfc5321.limits"}));
  EXPECT_EQ(Ids({"--id", "*size", "--id", "*tls"}),
            (Ids_{"rfc1870.size", "rfc3207.starttls"}));
  EXPECT_EQ(Ids({"--id", "rfc5321.[!n]*"}),
            (Ids_{"rfc5321.rcpt-before-mail", "rfc5321.limits"}));
  EXPECT_EQ(Ids({"--level", "should,may"}),
            (Ids_{"rfc1870.size", "rfc3207.starttls"}));
}

TEST(SelectionTest, FlagsCombineWithAnd) {
  EXPECT_EQ(Ids({"--tags", "minimum", "--rfc", "RFC 5321 4.1.4"}),
            Ids_{"rfc5321.rcpt-before-mail"});
  EXPECT_EQ(Ids({"--tags", "minimum", "--level", "SHOULD"}), Ids_{});
}

TEST(SelectionTest, BadValuesAreOneLineErrors) {
  EXPECT_EQ(Parse({"--level", "mustn't"}).error().reason,
            "--level MUSTN'T: use MUST, SHOULD or MAY");
  EXPECT_EQ(Parse({"--rfc", " section 4 "}).error().reason,
            "--rfc section 4: write a citation such as \"RFC 5321 4.1\", "
            "or a section of RFC 5321 such as 4.1");
  EXPECT_FALSE(Parse({"--rfc", "4."}).ok());
  EXPECT_FALSE(Parse({"--rfc", "4.1x"}).ok());
  EXPECT_EQ(Parse({"--side", "both"}).error().reason,
            "--side both: use server or client");
  EXPECT_EQ(Parse({"--tags"}).error().reason, "--tags needs a value");
  for (const char* shard : {"x/2", "2/2", "0/0", "-1/2", "1", "1/2/3"}) {
    EXPECT_FALSE(Parse({"--shard", shard}).ok()) << shard;
  }
}

TEST(SelectionTest, SidesTakeBothFromEither) {
  EXPECT_EQ(Ids({"--side", "client"}),
            (Ids_{"rfc5321.limits", "rfc1870.size"}));
  EXPECT_EQ(Ids({"--side", "server"}),
            (Ids_{"rfc5321.noop", "rfc5321.rcpt-before-mail", "rfc1870.size",
                  "rfc3207.starttls"}));
}

TEST(SelectionTest, ShardsKeepEveryNthOfTheSelectionOfBothSides) {
  EXPECT_EQ(Ids({"--shard", "0/2"}),
            (Ids_{"rfc5321.noop", "rfc5321.limits", "rfc3207.starttls"}));
  EXPECT_EQ(Ids({"--shard", "1/2"}),
            (Ids_{"rfc5321.rcpt-before-mail", "rfc1870.size"}));
  // A side's share of a shard is that shard's scenarios of the side.
  EXPECT_EQ(Ids({"--shard", "0/2", "--side", "client"}),
            Ids_{"rfc5321.limits"});
  // More shards than scenarios: some are empty, none overlap.
  EXPECT_EQ(Ids({"--shard", "9/10"}), Ids_{});
}

TEST(SelectionTest, DeliversSelectsByWhatTheStepsDo) {
  const std::vector<parser::Scenario> corpus = {
      Meta("a.noop", Level::kMust, {"minimum"}, {}),
      Delivering(Meta("b.bdat", Level::kMust, {"minimum"}, {})),
  };
  std::vector<const parser::Scenario*> files;
  for (const parser::Scenario& m : corpus) files.push_back(&m);
  auto ids = [&](const std::vector<std::string>& args) {
    Result<Selection> s = Parse(args);
    EXPECT_TRUE(s.ok()) << s.error().reason;
    std::vector<std::string> out;
    for (std::size_t i : Choose(files, *s).picked) {
      out.push_back(corpus[i].meta.id);
    }
    return out;
  };
  EXPECT_EQ(ids({"--delivers", "no"}), Ids_{"a.noop"});
  EXPECT_EQ(ids({"--delivers", "yes", "--tags", "minimum"}), Ids_{"b.bdat"});
  EXPECT_EQ(ids({}), (Ids_{"a.noop", "b.bdat"}));
  Result<Selection> bad = Parse({"--delivers", "maybe"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, "--delivers maybe: use yes or no");
}

TEST(SelectionTest, TheRecordCountsFoundAndSelected) {
  std::vector<const parser::Scenario*> files;
  for (const parser::Scenario& m : Corpus()) files.push_back(&m);
  Result<Selection> s = Parse({"--tags", "minimum", "--shard", "1/2"});
  const Chosen chosen = Choose(files, *s);
  EXPECT_EQ(chosen.picked, std::vector<std::size_t>{1});
  EXPECT_EQ(SelectionRecord(chosen),
            "{\"schema\":\"smtpspec.selection/1\",\"found\":5,"
            "\"selected\":2}");
}

}  // namespace
}  // namespace smtpspec::cli
