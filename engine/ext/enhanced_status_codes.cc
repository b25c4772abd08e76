#include "engine/ext/enhanced_status_codes.h"

namespace smtpspec::ext {

Switches EnhancedStatusCodes::switches() const {
  return Switches{.enhanced_codes = true};
}

}  // namespace smtpspec::ext
