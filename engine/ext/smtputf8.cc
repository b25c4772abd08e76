#include "engine/ext/smtputf8.h"

namespace smtpspec::ext {
namespace {

constexpr std::string_view kParameters[] = {"SMTPUTF8"};
constexpr EnhancedCode kBadArguments{5, 5, 4};  // RFC 3463 5.5.4

}  // namespace

std::span<const std::string_view> SmtpUtf8::mail_parameters() const {
  return kParameters;
}

std::optional<Error> SmtpUtf8::CheckMail(const Parameter& parameter,
                                         const Context& context,
                                         State* state) const {
  // RFC 6531 3.4: SMTPUTF8 takes no value.
  if (parameter.value) {
    return Error{501, kBadArguments, "SMTPUTF8 takes no value"};
  }
  if (state != nullptr) static_cast<Requested*>(state)->requested = true;
  return std::nullopt;
}

std::unique_ptr<State> SmtpUtf8::NewState() const {
  return std::make_unique<Requested>();
}

Switches SmtpUtf8::switches() const { return Switches{.utf8 = true}; }

bool SmtpUtf8::WasRequested(const States& states) const {
  // A state found under this module is one this module made (NewState).
  const State* state = FindState(states, *this);
  return state != nullptr && static_cast<const Requested*>(state)->requested;
}

}  // namespace smtpspec::ext
