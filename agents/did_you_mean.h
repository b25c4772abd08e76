// Suggestions for misspelt names, for the agents' configuration, flags and
// fault names. The implementation is util/did_you_mean.h, shared with the
// transcript parser; this header only keeps the agents' spelling of it
// until its includers (agents/config.cc, agents/config_flags.cc,
// agents/server/faults.cc) include util/did_you_mean.h themselves.
#ifndef SMTPSPEC_AGENTS_DID_YOU_MEAN_H_
#define SMTPSPEC_AGENTS_DID_YOU_MEAN_H_

#include <string>
#include <string_view>
#include <vector>

#include "util/did_you_mean.h"

namespace smtpspec::agents {

using util::Closest;

// "; did you mean 'x'?" when there is a close candidate, else the list of
// what is allowed: "; expected one of: a, b, c".
inline std::string DidYouMean(std::string_view word,
                              const std::vector<std::string_view>& candidates) {
  return util::DidYouMeanOrList(word, candidates);
}

}  // namespace smtpspec::agents

#endif  // SMTPSPEC_AGENTS_DID_YOU_MEAN_H_
