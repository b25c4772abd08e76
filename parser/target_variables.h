// Target variables: what differs from one target to the next (a domain it
// accepts mail for, a deliverable mailbox there, the client's own domain,
// a sender address). Every scenario may use them without declaring them;
// the harness gives them documented defaults and `--var` sets them per
// target (docs/transcript-format.md, "Target variables").
#ifndef SMTPSPEC_PARSER_TARGET_VARIABLES_H_
#define SMTPSPEC_PARSER_TARGET_VARIABLES_H_

#include <string_view>

namespace smtpspec::transcript {

inline constexpr std::string_view kTargetVariables[] = {
    "domain", "mailbox", "client_domain", "sender", "unknown_mailbox"};

// Whether `name` is one of kTargetVariables.
constexpr bool IsTargetVariable(std::string_view name) {
  for (std::string_view v : kTargetVariables) {
    if (v == name) return true;
  }
  return false;
}

}  // namespace smtpspec::transcript

#endif  // SMTPSPEC_PARSER_TARGET_VARIABLES_H_
