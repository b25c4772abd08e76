// Suggestions for misspelt names: "unknown key 'recipents'; did you mean
// 'recipients'?".
#ifndef SMTPSPEC_AGENTS_DID_YOU_MEAN_H_
#define SMTPSPEC_AGENTS_DID_YOU_MEAN_H_

#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::agents {

// The candidate closest to `word` by edit distance (case-insensitive), if
// it is close enough to be a plausible typo; otherwise "".
std::string Closest(std::string_view word,
                    const std::vector<std::string_view>& candidates);

// "; did you mean 'x'?" when there is a close candidate, else the list of
// what is allowed: "; expected one of: a, b, c".
std::string DidYouMean(std::string_view word,
                       const std::vector<std::string_view>& candidates);

}  // namespace smtpspec::agents

#endif  // SMTPSPEC_AGENTS_DID_YOU_MEAN_H_
