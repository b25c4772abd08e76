// Target variables: what differs from one target to the next (a domain it
// accepts mail for, a deliverable mailbox there, the client's own domain,
// a sender address). Every scenario may use them without declaring them;
// the harness gives them documented defaults and `--var` sets them per
// target (docs/transcript-format.md, "Target variables").
#ifndef SMTPSPEC_PARSER_TARGET_VARIABLES_H_
#define SMTPSPEC_PARSER_TARGET_VARIABLES_H_

#include <string_view>

namespace smtpspec::parser {

inline constexpr std::string_view kTargetVariables[] = {
    "domain", "mailbox", "client_domain", "sender", "unknown_mailbox"};

// Whether `name` is one of kTargetVariables.
constexpr bool IsTargetVariable(std::string_view name) {
  for (std::string_view v : kTargetVariables) {
    if (v == name) return true;
  }
  return false;
}

// A target variable whose default is an address at another one's value:
// `local_part`@${domain_of}, when neither the scenario nor --var sets it.
// The harness gives the others their defaults: ${domain} is the reference
// server's hostname, ${client_domain} the name the harness gives itself
// (interp::kDefaultClientDomain) and ${unknown_mailbox} a random local part
// at ${domain} (interp::PlayerOptions).
struct AddressDefault {
  std::string_view name;
  std::string_view local_part;
  std::string_view domain_of;
};

inline constexpr AddressDefault kAddressDefaults[] = {
    {"mailbox", "postmaster", "domain"},
    {"sender", "smtpspec", "client_domain"},
};

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_TARGET_VARIABLES_H_
