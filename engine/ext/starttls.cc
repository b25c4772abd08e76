#include "engine/ext/starttls.h"

namespace smtpspec::ext {
namespace {

constexpr Verb kVerbs[] = {Verb::kStarttls};

}  // namespace

bool StartTls::Available(const Context& context) const { return !context.tls; }

// RFC 3207 4: the EHLO keyword is STARTTLS, with no parameters.
std::optional<std::string> StartTls::EhloLine(const Context& context) const {
  return "STARTTLS";
}

std::span<const Verb> StartTls::verbs() const { return kVerbs; }

}  // namespace smtpspec::ext
