// Where a server session is in the SMTP dialogue (RFC 5321 3.3, 4.1.4).
#ifndef SMTPSPEC_ENGINE_SERVER_STATE_H_
#define SMTPSPEC_ENGINE_SERVER_STATE_H_

#include <string_view>

namespace smtpspec::server {

// One transaction at a time (RFC 5321 3.3): kMail and kRcpt are the
// transaction in progress, kData its content. RSET, and EHLO/HELO, go back
// to kReady (4.1.1.5, 4.1.4).
enum class State {
  kGreeting,     // Connected; the greeting has not been sent yet.
  kRefused,      // Sent the 554 greeting: 503 to all but QUIT (3.1).
  kConnected,    // Sent 220; waiting for EHLO/HELO (4.1.4).
  kReady,        // Greeted (EHLO/HELO); no transaction.
  kMail,         // MAIL accepted; no recipient yet.
  kRcpt,         // At least one recipient accepted.
  kData,         // Sent 354; reading content until end of data (4.1.1.4).
  kStartingTls,  // Sent 220 to STARTTLS; waiting for the handshake (RFC 3207).
  kClosed,       // Sent 221 or 421; nothing more is read or written.
};

// "kReady" -> "ready": for logs and test messages.
std::string_view StateName(State state);

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_STATE_H_
