// The service extensions a client acts on, as learnt from the EHLO reply
// (RFC 5321 4.1.1.1, 2.2.2). What each keyword teaches is its module's
// business (ext::Extension::Learn, engine/ext); this reads the reply.
#ifndef SMTPSPEC_ENGINE_CLIENT_EXTENSIONS_H_
#define SMTPSPEC_ENGINE_CLIENT_EXTENSIONS_H_

#include "engine/ext/extension.h"
#include "engine/reply.h"

namespace smtpspec::client {

using Extensions = ext::Learned;

// Reads the keywords of a 250 reply to EHLO with ParseEhlo's kLenient
// (engine/ehlo.h): every line after the first is "keyword [params]",
// keywords case-insensitive (RFC 5321 4.1.1.1), spacing and the legacy
// "KEYWORD=param" form tolerated. Each goes to the built-in module with
// that keyword (ext::All()); keywords no module knows are ignored: a
// client must not fail on an extension it does not understand. When a
// keyword comes twice, the first line counts.
Extensions ExtensionsFromEhlo(const Reply& reply);

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_EXTENSIONS_H_
