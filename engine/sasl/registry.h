// The SASL mechanisms by name (RFC 4422 section 3.1: 1 to 20 upper-case
// letters, digits, '-' and '_'). Lookups ignore case, as SMTP keywords do
// (RFC 5321 2.4), so "AUTH plain" finds PLAIN. Nothing here is global: a
// Registry is a value, built from BuiltinMechanisms() or from a list of
// the caller's own.
#ifndef SMTPSPEC_ENGINE_SASL_REGISTRY_H_
#define SMTPSPEC_ENGINE_SASL_REGISTRY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "engine/sasl/mechanism.h"

namespace smtpspec::sasl {

// One mechanism: its name and how to make each side of one exchange.
struct Mechanism {
  std::string name;  // as advertised: "PLAIN"
  // The secret crosses the wire as it is (PLAIN, LOGIN): a server offers
  // it only on a protected session (RFC 4954 section 4, RFC 4616 section 6).
  bool plaintext = false;
  std::unique_ptr<ClientMechanism> (*make_client)(const ClientCredentials &) =
      nullptr;
  std::unique_ptr<ServerMechanism> (*make_server)(const ServerCredentials &) =
      nullptr;
};

// Every mechanism the engine implements, one line each in registry.cc.
std::vector<Mechanism> BuiltinMechanisms();

class Registry {
 public:
  // Fails, at the index of the offending entry, for a name that RFC 4422
  // section 3.1 does not allow, a name given twice (in any case), or a
  // missing factory.
  static Result<Registry> Make(std::vector<Mechanism> mechanisms);

  // The mechanism called `name` in any case, or null.
  const Mechanism *Find(std::string_view name) const;
  // The names in registration order: the AUTH keyword's parameters
  // (RFC 4954 section 3: "AUTH" SP mechanism *(SP mechanism)).
  std::vector<std::string> Names() const;

 private:
  explicit Registry(std::vector<Mechanism> mechanisms)
      : mechanisms_(std::move(mechanisms)) {}

  std::vector<Mechanism> mechanisms_;
};

// Whether `name` is a mechanism name (RFC 4422 section 3.1:
// sasl-mech = 1*20mech-char, mech-char = UPPER-ALPHA / DIGIT / "-" / "_").
bool IsMechanismName(std::string_view name);

}  // namespace smtpspec::sasl

#endif  // SMTPSPEC_ENGINE_SASL_REGISTRY_H_
