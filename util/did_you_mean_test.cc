#include "util/did_you_mean.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace smtpspec::util {
namespace {

const std::vector<std::string> kKeys = {"id", "title", "tags", "timeout"};

TEST(DidYouMeanTest, ClosestWithinAThirdOfTheLength) {
  EXPECT_EQ(Closest("titel", kKeys), "title");  // a swap is one edit
  EXPECT_EQ(Closest("TAGS", kKeys), "tags");    // case does not count
  EXPECT_EQ(Closest("timout", kKeys), "timeout");
  EXPECT_EQ(Closest("xyz", kKeys), "");
  EXPECT_EQ(Closest("x", kKeys), "");  // one edit from "id" is not a typo
  EXPECT_EQ(Closest("", kKeys), "");
  EXPECT_EQ(Closest("title", std::vector<std::string>{}), "");
}

TEST(DidYouMeanTest, TiesGoToTheFirstCandidate) {
  EXPECT_EQ(Closest("250", std::vector<std::string_view>{"251", "252"}), "251");
}

TEST(DidYouMeanTest, LongWordsAreNoTypos) {
  const std::string name(64, 'a');
  EXPECT_EQ(Closest(name + "b", std::vector<std::string>{name + "c"}), "");
  EXPECT_EQ(Closest(name, std::vector<std::string>{name + "c"}), name + "c");
}

TEST(DidYouMeanTest, Hints) {
  EXPECT_EQ(DidYouMean("titel", kKeys), "; did you mean 'title'?");
  EXPECT_EQ(DidYouMean("xyz", kKeys), "");
  EXPECT_EQ(DidYouMean("domian", std::vector<std::string>{"domain"}, "${", "}"),
            "; did you mean '${domain}'?");
  const std::vector<std::string_view> codes = {"250", "251", "252"};
  EXPECT_EQ(DidYouMeanOrList("300", codes), "; expected one of: 250, 251, 252");
  EXPECT_EQ(DidYouMeanOrList("25O", codes), "; did you mean '250'?");
}

}  // namespace
}  // namespace smtpspec::util
