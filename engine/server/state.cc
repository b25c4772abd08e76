#include "engine/server/state.h"

namespace smtpspec::server {

std::string_view StateName(State state) {
  switch (state) {
    case State::kGreeting:
      return "greeting";
    case State::kRefused:
      return "refused";
    case State::kConnected:
      return "connected";
    case State::kReady:
      return "ready";
    case State::kMail:
      return "mail";
    case State::kRcpt:
      return "rcpt";
    case State::kData:
      return "data";
    case State::kStartingTls:
      return "starting-tls";
    case State::kClosed:
      return "closed";
  }
  return "unknown";
}

}  // namespace smtpspec::server
