#include "engine/sasl/registry.h"

#include <utility>

#include "engine/sasl/plain.h"
#include "engine/syntax.h"

namespace smtpspec::sasl {

std::vector<Mechanism> BuiltinMechanisms() {
  return {
      {"PLAIN", /*plaintext=*/true, &MakePlainClient,
       &MakePlainServer},  // RFC 4616
  };
}

bool IsMechanismName(std::string_view name) {
  if (name.empty() || name.size() > 20) return false;
  for (char c : name) {
    if (!(c >= 'A' && c <= 'Z') && !syntax::IsDigit(c) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

Result<Registry> Registry::Make(std::vector<Mechanism> mechanisms) {
  for (std::size_t i = 0; i < mechanisms.size(); ++i) {
    const Mechanism &m = mechanisms[i];
    if (!IsMechanismName(m.name)) {
      return syntax::Fail(i, "\"" + m.name +
                                 "\" is not a SASL mechanism name (RFC 4422 "
                                 "section 3.1: 1 to 20 upper-case letters, "
                                 "digits, '-' and '_')");
    }
    if (m.make_client == nullptr || m.make_server == nullptr) {
      return syntax::Fail(i, m.name + " lacks a client or server factory");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (syntax::EqualsIgnoreCase(mechanisms[j].name, m.name)) {
        return syntax::Fail(i, m.name + " is registered twice");
      }
    }
  }
  return Registry(std::move(mechanisms));
}

const Mechanism *Registry::Find(std::string_view name) const {
  for (const Mechanism &m : mechanisms_) {
    if (syntax::EqualsIgnoreCase(m.name, name)) return &m;
  }
  return nullptr;
}

std::vector<std::string> Registry::Names() const {
  std::vector<std::string> names;
  for (const Mechanism &m : mechanisms_) names.push_back(m.name);
  return names;
}

}  // namespace smtpspec::sasl
