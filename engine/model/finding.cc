#include "engine/model/finding.h"

#include <utility>

namespace smtpspec::model {

Finding Broke(std::string_view id, std::string message) {
  const rules::Rule& rule = rules::Get(id);
  return Finding{std::string(rule.id), rules::Citation(rule), rule.level,
                 std::move(message)};
}

}  // namespace smtpspec::model
