#include "engine/ext/starttls.h"

namespace smtpspec::ext {
namespace {

constexpr Verb kVerbs[] = {Verb::kStarttls};

}  // namespace

bool StartTls::Available(const Context& context) const { return !context.tls; }

// RFC 3207 4: a client may start TLS where STARTTLS is advertised.
void StartTls::Learn(const EhloKeyword& line, Learned& learned) const {
  learned.starttls = true;
}

std::span<const Verb> StartTls::verbs() const { return kVerbs; }

}  // namespace smtpspec::ext
