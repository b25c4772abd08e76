// The rule catalogue: every rule of rules/*.tsv, looked up by id.
#ifndef SMTPSPEC_ENGINE_RULES_CATALOGUE_H_
#define SMTPSPEC_ENGINE_RULES_CATALOGUE_H_

#include <span>
#include <string_view>

#include "engine/rules/rule.h"

namespace smtpspec::rules {

// All rules, ordered by file name and then as written.
std::span<const Rule> All();

// The rule with this id ("rfc5321/3.3-rcpt-needs-mail"), or nullptr.
const Rule* Find(std::string_view id);

// The rule with this id. For the ids the engine itself cites: an id missing
// from the catalogue is a programming error, caught by catalogue_test
// (every cited id is looked up there) rather than at a user's run.
const Rule& Get(std::string_view id);

}  // namespace smtpspec::rules

#endif  // SMTPSPEC_ENGINE_RULES_CATALOGUE_H_
