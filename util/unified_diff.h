// A unified diff (`diff -u`) of two texts, line by line: what
// `smtpspec fmt --check` shows for each file it would change.
#ifndef SMTPSPEC_UTIL_UNIFIED_DIFF_H_
#define SMTPSPEC_UTIL_UNIFIED_DIFF_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace smtpspec::util {

// "--- FROM_NAME\n+++ TO_NAME\n" and one "@@ -l,n +l,n @@" hunk per run of
// changed lines with `context` unchanged lines around it, as GNU diff
// writes them (a count of 1 is left out; a last line without a newline is
// followed by "\ No newline at end of file"); "" when the texts are equal.
// Lines are compared with their line ending, so "a\r\n" and "a\n" differ.
// The smallest diff is found for texts up to a few thousand changed lines;
// past that, the changed middle is shown removed and added whole.
std::string UnifiedDiff(std::string_view from, std::string_view to,
                        std::string_view from_name, std::string_view to_name,
                        std::size_t context = 3);

}  // namespace smtpspec::util

#endif  // SMTPSPEC_UTIL_UNIFIED_DIFF_H_
