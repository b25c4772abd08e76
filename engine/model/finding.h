// A divergence from the RFCs, as judged by the reference models.
#ifndef SMTPSPEC_ENGINE_MODEL_FINDING_H_
#define SMTPSPEC_ENGINE_MODEL_FINDING_H_

#include <string>
#include <string_view>

namespace smtpspec::model {

// Requirement levels of RFC 2119 as the SMTP RFCs use them.
enum class Level {
  kMust,
  kShould,
  kMay,
};

// One finding: which requirement, how strong, and what happened, in a
// sentence a person can act on.
struct Finding {
  std::string rfc;  // citation, e.g. "RFC 5321 4.1.4"
  Level level = Level::kMust;
  std::string message;

  bool operator==(const Finding&) const = default;
};

// "MUST", "SHOULD" or "MAY".
std::string_view LevelName(Level level);

}  // namespace smtpspec::model

#endif  // SMTPSPEC_ENGINE_MODEL_FINDING_H_
