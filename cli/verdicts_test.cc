// The exit status of `smtpspec_cli run` as cli/verdicts.json gives it:
// every verdict the interpreter has is in the table, and means what
// docs/results-schema.md says.
#include "cli/verdicts.h"

#include "gtest/gtest.h"
#include "interpreter/result_json.h"

namespace smtpspec::cli {
namespace {

using interp::Verdict;

bool Fails(Verdict verdict, bool strict) {
  return VerdictFails(interp::VerdictName(verdict), strict);
}

TEST(VerdictsTest, WhatFailsTheRun) {
  for (bool strict : {false, true}) {
    SCOPED_TRACE(strict ? "--strict" : "not strict");
    EXPECT_FALSE(Fails(Verdict::kOk, strict));
    EXPECT_FALSE(Fails(Verdict::kUnimplemented, strict));
    EXPECT_FALSE(Fails(Verdict::kSkipped, strict));
    EXPECT_FALSE(Fails(Verdict::kInconclusive, strict));
    EXPECT_TRUE(Fails(Verdict::kFailed, strict));
    EXPECT_TRUE(Fails(Verdict::kError, strict));
  }
  EXPECT_FALSE(Fails(Verdict::kNonStrict, false));
  EXPECT_TRUE(Fails(Verdict::kNonStrict, true));
}

TEST(VerdictsTest, IncidentalFindingsByLevel) {
  EXPECT_TRUE(IncidentalFails("MUST", false));
  EXPECT_TRUE(IncidentalFails("MUST", true));
  EXPECT_FALSE(IncidentalFails("SHOULD", false));
  EXPECT_TRUE(IncidentalFails("SHOULD", true));
  EXPECT_FALSE(IncidentalFails("MAY", false));
  EXPECT_FALSE(IncidentalFails("MAY", true));
}

TEST(VerdictsTest, WhatTheTableDoesNotKnowFails) {
  EXPECT_TRUE(VerdictFails("MAYBE", false));
  EXPECT_TRUE(IncidentalFails("OPTIONAL", false));
}

}  // namespace
}  // namespace smtpspec::cli
