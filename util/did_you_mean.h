// Suggestions for misspelt names: "unknown key 'recipents'; did you mean
// 'recipients'?". The one implementation for the transcript parser
// (front-matter keys, directives, variables, rule ids) and the reference
// agents (configuration keys and values, flags, fault names), which may
// not depend on each other.
#ifndef SMTPSPEC_UTIL_DID_YOU_MEAN_H_
#define SMTPSPEC_UTIL_DID_YOU_MEAN_H_

#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::util {

// The candidate closest to `word` by edit distance (case-insensitive; a
// swap of two neighbours is one edit), if it is close enough to be a
// plausible typo: at most a third of the longer name's length, and at
// least one edit. Otherwise, or for a word over 64 bytes, "". Ties go to
// the candidate listed first.
std::string Closest(std::string_view word,
                    const std::vector<std::string_view>& candidates);
std::string Closest(std::string_view word,
                    const std::vector<std::string>& candidates);

// "; did you mean 'x'?" for the closest candidate, written between
// `prefix` and `suffix` ("${" and "}" for a variable), or "".
std::string DidYouMean(std::string_view word,
                       const std::vector<std::string_view>& candidates,
                       std::string_view prefix = "",
                       std::string_view suffix = "");
std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates,
                       std::string_view prefix = "",
                       std::string_view suffix = "");

// DidYouMean, or where nothing is close the whole (short) list of what is
// allowed: "; expected one of: a, b, c".
std::string DidYouMeanOrList(std::string_view word,
                             const std::vector<std::string_view>& candidates);

}  // namespace smtpspec::util

#endif  // SMTPSPEC_UTIL_DID_YOU_MEAN_H_
