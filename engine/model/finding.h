// A divergence from the RFCs, as judged by the reference models.
#ifndef SMTPSPEC_ENGINE_MODEL_FINDING_H_
#define SMTPSPEC_ENGINE_MODEL_FINDING_H_

#include <string>
#include <string_view>

#include "engine/rules/catalogue.h"
#include "engine/rules/ids.h"
#include "engine/rules/rule.h"

namespace smtpspec::model {

using rules::Level;
using rules::LevelName;

// One finding: which rule was broken, and what happened, in a sentence a
// person can act on. The citation and the level are the rule's.
struct Finding {
  std::string rule;  // catalogue id, e.g. "rfc5321/3.3-rcpt-needs-mail"
  std::string rfc;   // its citation, e.g. "RFC 5321 3.3"
  Level level = Level::kMust;
  std::string message;

  bool operator==(const Finding&) const = default;
};

// A finding under rule `id`, with the rule's citation and level. Write the
// id as rules::Id("...") so that an id missing from rules/ fails the build.
Finding Broke(std::string_view id, std::string message);

}  // namespace smtpspec::model

#endif  // SMTPSPEC_ENGINE_MODEL_FINDING_H_
