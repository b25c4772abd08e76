#include "engine/model/finding.h"

namespace smtpspec::model {

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

}  // namespace smtpspec::model
