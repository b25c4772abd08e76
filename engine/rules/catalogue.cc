#include "engine/rules/catalogue.h"

#include <string>

#include "engine/rules/catalogue_data.h"

namespace smtpspec::rules {

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kMust:
      return "MUST";
    case Level::kShould:
      return "SHOULD";
    case Level::kMay:
      return "MAY";
  }
  return "MUST";
}

std::string Citation(const Rule& rule) {
  return std::string(rule.rfc) + " " + std::string(rule.section);
}

std::span<const Rule> All() { return {data::kRules, data::kRuleCount}; }

const Rule* Find(std::string_view id) {
  // A few hundred rules, looked up once per finding: a scan is enough.
  for (const Rule& rule : All()) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

const Rule& Get(std::string_view id) {
  if (const Rule* rule = Find(id)) return *rule;
  // Not in the catalogue: a rule that says so, so that the finding is
  // still reported (and catalogue_test fails).
  static const Rule kUnknown{"unknown", "", "", Level::kMust, "MUST",
                             Side::kBoth, "", "(rule missing from rules/)"};
  return kUnknown;
}

}  // namespace smtpspec::rules
