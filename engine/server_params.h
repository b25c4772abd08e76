// What the server accepts on MAIL and RCPT beyond the path: the ESMTP
// parameters of the extensions it advertises (RFC 5321 4.1.1.11), and the
// postmaster rule (RFC 5321 4.5.1).
#ifndef SMTPSPEC_ENGINE_SERVER_PARAMS_H_
#define SMTPSPEC_ENGINE_SERVER_PARAMS_H_

#include <optional>
#include <vector>

#include "engine/esmtp.h"
#include "engine/path.h"
#include "engine/server_backend.h"
#include "engine/server_config.h"

namespace smtpspec::server {

// Checks MAIL FROM's parameters against the extensions in `config`.
// `extended`: the client greeted with EHLO; after HELO no parameter is
// allowed. Known: SIZE=n (RFC 1870), BODY=7BIT|8BITMIME (RFC 6152),
// SMTPUTF8 (RFC 6531). Returns the reply for the first problem:
//   555 5.5.4 unknown or not-offered keyword (RFC 5321 4.1.1.11);
//   501 5.5.4 malformed value, missing/extra value, repeated keyword;
//   504 5.5.4 a known keyword with a value not implemented
//             (BODY=BINARYMIME, RFC 3030 3, is not offered);
//   552 5.3.4 SIZE above the maximum (RFC 1870 6.1).
std::optional<Error> CheckMailParameters(const std::vector<Parameter>& params,
                                         const Config& config, bool extended);

// RCPT TO's parameters: none are offered (no DSN, RFC 3461), so any is
// 555 5.5.4 (RFC 5321 4.1.1.11).
std::optional<Error> CheckRcptParameters(const std::vector<Parameter>& params,
                                         const Config& config, bool extended);

// True for <Postmaster> with no domain and for <postmaster@d> where d is
// Config::hostname or one of Config::domains, all case-insensitive
// (RFC 5321 4.5.1, 2.4).
bool IsPostmasterFor(const Path& path, const Config& config);

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_PARAMS_H_
