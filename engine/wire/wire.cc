#include "engine/wire/wire.h"

namespace smtpspec::wire {

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kLineTooLong:
      return "line-too-long";
    case Fault::kBareLf:
      return "bare-lf";
    case Fault::kBareCr:
      return "bare-cr";
    case Fault::kNul:
      return "nul";
    case Fault::kEmptyCommand:
      return "empty-command";
    case Fault::kBadVerb:
      return "bad-verb";
    case Fault::kBadReplyCode:
      return "bad-reply-code";
    case Fault::kBadReplySeparator:
      return "bad-reply-separator";
    case Fault::kMixedReplyCodes:
      return "mixed-reply-codes";
    case Fault::kTooManyReplyLines:
      return "too-many-reply-lines";
  }
  return "unknown";
}

}  // namespace smtpspec::wire
