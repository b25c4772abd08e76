// What the server accepts on MAIL and RCPT beyond the path: the ESMTP
// parameters of the extension modules it offers (RFC 5321 4.1.1.11), and
// the postmaster rule (RFC 5321 4.5.1).
#ifndef SMTPSPEC_ENGINE_SERVER_PARAMS_H_
#define SMTPSPEC_ENGINE_SERVER_PARAMS_H_

#include <optional>
#include <vector>

#include "engine/esmtp.h"
#include "engine/ext/extension.h"
#include "engine/path.h"
#include "engine/server/backend.h"
#include "engine/server/config.h"

namespace smtpspec::server {

// Checks MAIL FROM's parameters against the modules in
// Config::extensions: each parameter goes to the module that defines it,
// which may note it in its state among `states` (this MAIL's, made as
// its parameters come: ext::StateFor). `extended`: the client greeted with
// EHLO; after HELO no parameter is allowed. Returns the reply for the first
// problem:
//   555 5.5.4 unknown or not-offered keyword (RFC 5321 4.1.1.11);
//   501 5.5.4 repeated keyword;
//   and the module's own refusal (501 malformed value, 504 value not
//   implemented, 552 SIZE above the maximum, ...).
std::optional<Error> CheckMailParameters(const std::vector<Parameter>& params,
                                         const Config& config,
                                         const ext::Context& context,
                                         bool extended, ext::States& states);

// RCPT TO's parameters, the same way, against the transaction's module
// states `states` (read-only). No built-in module defines one (no DSN, RFC
// 3461), so any is 555 5.5.4 unless a module is added that does.
std::optional<Error> CheckRcptParameters(const std::vector<Parameter>& params,
                                         const Config& config,
                                         const ext::Context& context,
                                         bool extended,
                                         const ext::States& states);

// True for <Postmaster> with no domain and for <postmaster@d> where d is
// Config::hostname or one of Config::domains, all case-insensitive
// (RFC 5321 4.5.1, 2.4).
bool IsPostmasterFor(const Path& path, const Config& config);

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_PARAMS_H_
