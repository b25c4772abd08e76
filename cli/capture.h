// A capture: what `smtpspec record`'s proxy (runner/record_proxy.py) saw of
// one SMTP connection, read by `smtpspec_cli record` (cli/record.h), which
// turns it into a scenario. This header owns the format; the proxy writes
// it and nothing else reads it.
//
// Text, one event a line, in the order the proxy saw them; T is seconds
// since the connection was accepted (a decimal number):
//
//   smtpspec-capture 1         the first line
//   C T HEX                    bytes that arrived in one read from the
//   S T HEX                    client / the server, as hex (two digits a
//                              byte, so no byte needs escaping)
//   tls T                      both TLS handshakes completed after the 220
//                              to STARTTLS (--tls-terminate): what follows
//                              is the plaintext inside TLS (RFC 3207 4)
//   passthrough T              the 220 to STARTTLS was relayed and the TLS
//                              bytes after it were not recorded
//   eof C T / eof S T          that side closed its end of the connection
//   stop T REASON              the recording ended early (a timeout, the
//                              size limit, a failed handshake): REASON is
//                              printable text to the end of the line
//   # ...                      a comment
//
// Reading is bounded by the file's size (cli/files.h reads at most 64 MiB).
#ifndef SMTPSPEC_CLI_CAPTURE_H_
#define SMTPSPEC_CLI_CAPTURE_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"

namespace smtpspec::cli::capture {

struct Event {
  enum class Kind { kClient, kServer, kTls, kPassthrough, kEof, kStop };
  Kind kind = Kind::kClient;
  double seconds = 0;
  // kClient, kServer: the bytes of the read. kStop: the reason.
  std::string bytes;
  // kEof: which side closed.
  bool client = false;

  bool operator==(const Event&) const = default;
};

// The events of `text`, or the first problem as "line N: reason" (the
// offset of the Error is that line's first byte).
Result<std::vector<Event>> Parse(std::string_view text);

}  // namespace smtpspec::cli::capture

#endif  // SMTPSPEC_CLI_CAPTURE_H_
