#include "cli/verdicts.h"

#include "cli/verdict_table.h"

namespace smtpspec::cli {

bool VerdictFails(std::string_view verdict, bool strict) {
  for (const table::Verdict& v : table::kVerdicts) {
    if (v.name != verdict) continue;
    const std::string_view outcome = strict ? v.strict : v.outcome;
    for (std::string_view failing : table::kFailing) {
      if (outcome == failing) return true;
    }
    return false;
  }
  return true;
}

bool IncidentalFails(std::string_view level, bool strict) {
  for (const table::Incidental& i : table::kIncidental) {
    if (i.level == level) return VerdictFails(i.verdict, strict);
  }
  return true;
}

}  // namespace smtpspec::cli
