#include "engine/client/outcome.h"

namespace smtpspec::client {

ReplyClass Classify(int code) {
  if (code < 200 || code > 599) return ReplyClass::kInvalid;
  switch (code / 100) {
    case 2:
      return ReplyClass::kPositive;
    case 3:
      return ReplyClass::kIntermediate;
    case 4:
      return ReplyClass::kTransient;
    default:
      return ReplyClass::kPermanent;
  }
}

}  // namespace smtpspec::client
