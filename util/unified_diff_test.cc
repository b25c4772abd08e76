#include "util/unified_diff.h"

#include <string>

#include "gtest/gtest.h"

namespace smtpspec::util {
namespace {

TEST(UnifiedDiffTest, EqualTextsHaveNoDiff) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y"), "");
  EXPECT_EQ(UnifiedDiff("", "", "x", "y"), "");
}

TEST(UnifiedDiffTest, OneChangedLineWithItsContext) {
  EXPECT_EQ(
      UnifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n",
                  "f.smtp", "f.smtp (formatted)"),
      "--- f.smtp\n+++ f.smtp (formatted)\n"
      "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiffTest, ChangesFarApartAreHunksOfTheirOwn) {
  std::string from, to;
  for (int i = 1; i <= 20; ++i) {
    from += std::to_string(i) + "\n";
    to += (i == 2 || i == 19 ? "x" : std::to_string(i)) + "\n";
  }
  EXPECT_EQ(UnifiedDiff(from, to, "a", "b", 1),
            "--- a\n+++ b\n"
            "@@ -1,3 +1,3 @@\n 1\n-2\n+x\n 3\n"
            "@@ -18,3 +18,3 @@\n 18\n-19\n+x\n 20\n");
  // Two context lines either side join changes up to four lines apart.
  EXPECT_EQ(
      UnifiedDiff("1\n2\n3\n4\n5\n6\n", "x\n2\n3\n4\n5\ny\n", "a", "b", 2),
      "--- a\n+++ b\n"
      "@@ -1,6 +1,6 @@\n-1\n+x\n 2\n 3\n 4\n 5\n-6\n+y\n");
}

TEST(UnifiedDiffTest, AddedAndRemovedLinesAsGnuDiffCountsThem) {
  EXPECT_EQ(UnifiedDiff("", "a\n", "a", "b"),
            "--- a\n+++ b\n@@ -0,0 +1 @@\n+a\n");
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\n", "a", "b"),
            "--- a\n+++ b\n@@ -1,2 +1 @@\n a\n-b\n");
  EXPECT_EQ(UnifiedDiff("a\n\n\n\nb\n", "a\n\nb\n", "a", "b", 0),
            "--- a\n+++ b\n@@ -3,2 +2,0 @@\n-\n-\n");
}

// What fmt changes most: line endings, and a last line without one.
TEST(UnifiedDiffTest, LineEndingsCount) {
  EXPECT_EQ(
      UnifiedDiff("S: 220 *\r\nC: QUIT\n", "S: 220 *\nC: QUIT\n", "a", "b"),
      "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-S: 220 *\r\n+S: 220 *\n C: QUIT\n");
  EXPECT_EQ(UnifiedDiff("a\nb", "a\nb\n", "a", "b"),
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of "
            "file\n+b\n");
}

TEST(UnifiedDiffTest, ALongRewriteIsStillACorrectDiff) {
  std::string from, to;
  for (int i = 0; i < 5000; ++i) {
    from += "line " + std::to_string(i) + "\n";
    to += "LINE " + std::to_string(i) + "\n";
  }
  const std::string diff = UnifiedDiff(from, to, "a", "b");
  EXPECT_EQ(diff.substr(0, 30), "--- a\n+++ b\n@@ -1,5000 +1,5000");
  EXPECT_NE(diff.find("\n-line 4999\n"), std::string::npos);
  EXPECT_NE(diff.find("\n+LINE 4999\n"), std::string::npos);
}

}  // namespace
}  // namespace smtpspec::util
