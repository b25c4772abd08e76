#include "engine/server/event.h"

namespace smtpspec::server::event {

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kMessageAccepted:
      return "message-accepted";
    case Kind::kStartTls:
      return "start-tls";
    case Kind::kClose:
      return "close";
    case Kind::kTimeout:
      return "timeout";
    case Kind::kPostmasterOverride:
      return "postmaster-override";
    case Kind::kLineTooLong:
      return "line-too-long";
    case Kind::kBareLf:
      return "bare-lf";
    case Kind::kBareCr:
      return "bare-cr";
    case Kind::kNul:
      return "nul";
    case Kind::kBadCommand:
      return "bad-command";
    case Kind::kSmuggling:
      return "smuggling";
    case Kind::kPlaintextAfterStarttls:
      return "plaintext-after-starttls";
    case Kind::kBytesAfterClose:
      return "bytes-after-close";
  }
  return "unknown";
}

}  // namespace smtpspec::server::event
