// Building the server's replies safely: the text of every reply comes
// partly from elsewhere (the backend, the client's own bytes), and nothing
// may put CR, LF or a bad code on the wire (RFC 5321 4.2).
#ifndef SMTPSPEC_ENGINE_SERVER_REPLY_H_
#define SMTPSPEC_ENGINE_SERVER_REPLY_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/reply.h"
#include "engine/server/backend.h"
#include "engine/server/config.h"

namespace smtpspec::server {

// `text` made fit for a reply line (RFC 5321 4.2: textstring = 1*(%d09 /
// %d32-126)): other bytes become '?', and it is cut to 400 octets so the
// whole line stays under the 512-octet reply limit (4.5.3.1.5).
std::string Printable(std::string_view text);

// The reply a backend Error puts on the wire. A code outside 400-599 is a
// backend bug: it becomes 451 4.3.0 rather than a false success. An
// enhanced code of the wrong class is dropped (RFC 3463 2).
Reply SanitizeError(const Error& error);

// A reply from the backend (VRFY) made safe: code within 200-599 (else
// 451 4.3.0), every line Printable, at least one line.
Reply SanitizeReply(Reply reply);

// The EHLO response lines after the first (RFC 5321 4.1.1.1 ehlo-line):
// the line of each module in Config::extensions that is available on the
// connection (STARTTLS only while TLS is not active, RFC 3207 4.2), in
// their order.
std::vector<std::string> EhloKeywords(const Config& config, bool tls);

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_REPLY_H_
