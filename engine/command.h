// SMTP commands as they arrive on the wire (RFC 5321 section 4.1).
#ifndef SMTPSPEC_ENGINE_COMMAND_H_
#define SMTPSPEC_ENGINE_COMMAND_H_

#include <string>

namespace smtpspec {

// The verbs the engine knows. Verbs are case-insensitive (RFC 5321 2.4);
// anything else is kUnknown and keeps its spelling in Command::name.
enum class Verb {
  kUnknown,
  // The minimum implementation, RFC 5321 4.5.1.
  kEhlo,
  kHelo,
  kMail,
  kRcpt,
  kData,
  kRset,
  kNoop,
  kQuit,
  kVrfy,
  // Optional in RFC 5321 (3.5, 4.1.1.x).
  kExpn,
  kHelp,
  // Service extensions.
  kStarttls,  // RFC 3207
  kAuth,      // RFC 4954
  kBdat,      // RFC 3030
};

// One command line, without its CRLF. `argument` is everything after the
// verb and the single space that separates them, verbatim; it is parsed
// per verb (paths, parameters) by the functions in path.h and esmtp.h.
struct Command {
  Verb verb = Verb::kUnknown;
  std::string name;      // the verb as sent, case preserved ("ehlo")
  std::string argument;  // "" when the command had no argument

  bool operator==(const Command&) const = default;
};

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_COMMAND_H_
