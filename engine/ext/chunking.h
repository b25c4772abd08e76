// CHUNKING (RFC 3030): the message may be sent in BDAT chunks counted in
// octets instead of DATA's dot-terminated lines. The module advertises the
// keyword and adds the verb; reading a chunk is the session's and the
// machine's business (engine/bdat/bdat.h, server::Machine::Bdat), and the
// chunks received so far are in the transaction (server::Transaction). Without
// the module BDAT is answered 502, but a chunk whose size can be read is
// still read as data, never as commands.
#ifndef SMTPSPEC_ENGINE_EXT_CHUNKING_H_
#define SMTPSPEC_ENGINE_EXT_CHUNKING_H_

#include "engine/ext/extension.h"

namespace smtpspec::ext {

class Chunking final : public Extension {
 public:
  static constexpr std::string_view kName = "chunking";

  std::string_view name() const override { return kName; }
  // RFC 3030 2: the EHLO keyword is CHUNKING, with no parameters. (BODY=
  // BINARYMIME is RFC 3030 3's BINARYMIME extension, not offered here.)
  std::string_view keyword() const override { return "CHUNKING"; }
  std::span<const Verb> verbs() const override;
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_CHUNKING_H_
