#include "parser/rule_ids.h"

#include <vector>

#include "engine/rules/catalogue.h"
#include "util/did_you_mean.h"

namespace smtpspec::parser {

std::optional<std::string> UnknownRule(std::string_view id) {
  if (rules::Find(id) != nullptr) return std::nullopt;
  // Every id, for the suggestion; built once, on the first unknown id.
  static const auto* ids = [] {
    auto* all = new std::vector<std::string_view>;
    for (const rules::Rule& rule : rules::All()) all->push_back(rule.id);
    return all;
  }();
  return "no such rule in rules/" + util::DidYouMean(id, *ids);
}

}  // namespace smtpspec::parser
