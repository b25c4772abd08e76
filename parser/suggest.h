// "Did you mean" hints for misspelt names (front-matter keys, directives,
// variables).
#ifndef SMTPSPEC_PARSER_SUGGEST_H_
#define SMTPSPEC_PARSER_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::transcript {

// The candidate closest to `word` by edit distance (case-insensitive), if
// it is close enough to be a plausible typo; otherwise "".
std::string ClosestName(std::string_view word,
                        const std::vector<std::string>& candidates);

// "; did you mean 'x'?" for the closest candidate, or "".
std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates,
                       std::string_view prefix = "",
                       std::string_view suffix = "");

}  // namespace smtpspec::transcript

#endif  // SMTPSPEC_PARSER_SUGGEST_H_
