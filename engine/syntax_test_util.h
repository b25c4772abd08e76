// Test helpers for the whole-string parsers of paths, domains and
// parameters.
#ifndef SMTPSPEC_ENGINE_SYNTAX_TEST_UTIL_H_
#define SMTPSPEC_ENGINE_SYNTAX_TEST_UTIL_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace smtpspec::testing {

// Feeds `parse` the input as it would arrive one byte at a time: every
// prefix of `text`, from empty to whole. Each call must return (no crash,
// which the sanitizers check) and each error must point inside the
// prefix it was given. Returns how many proper prefixes were accepted.
template <typename Parse>
int CountAcceptedPrefixes(std::string_view text, Parse parse) {
  int accepted = 0;
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const std::string_view prefix = text.substr(0, n);
    auto result = parse(prefix);
    if (result.ok()) {
      if (n < text.size()) ++accepted;
    } else {
      EXPECT_LE(result.error().offset, n)
          << "prefix \"" << prefix << "\": " << result.error().reason;
      EXPECT_FALSE(result.error().reason.empty()) << prefix;
    }
  }
  return accepted;
}

// Checks that `result` is an Error at `offset` whose reason contains
// `reason_part`; `input` names the case in failure messages.
template <typename R>
void ExpectError(const R& result, std::size_t offset,
                 std::string_view reason_part, std::string_view input) {
  ASSERT_FALSE(result.ok()) << "accepted \"" << input << "\"";
  EXPECT_EQ(result.error().offset, offset)
      << input << ": " << result.error().reason;
  EXPECT_NE(result.error().reason.find(reason_part), std::string::npos)
      << input << ": " << result.error().reason;
}

}  // namespace smtpspec::testing

#endif  // SMTPSPEC_ENGINE_SYNTAX_TEST_UTIL_H_
