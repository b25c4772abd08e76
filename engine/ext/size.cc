#include "engine/ext/size.h"

#include <string>

#include "engine/syntax.h"

namespace smtpspec::ext {
namespace {

constexpr std::string_view kParameters[] = {"SIZE"};
constexpr EnhancedCode kBadArguments{5, 5, 4};  // RFC 3463 5.5.4
constexpr EnhancedCode kTooBig{5, 3, 4};        // RFC 3463 5.3.4

// RFC 1870 4: size-value ::= 1*20DIGIT. Returns false when not a number
// or when it does not fit; *out saturates at UINT64_MAX.
bool ParseSize(std::string_view text, std::uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!syntax::IsDigit(c)) return false;
    std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      value = UINT64_MAX;
      continue;
    }
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

}  // namespace

std::optional<std::string> Size::EhloLine(const Context& context) const {
  // RFC 1870 4: "SIZE" [SP number]; 0 or no number: no fixed limit.
  return "SIZE " + std::to_string(context.max_message_size);
}

std::span<const std::string_view> Size::mail_parameters() const {
  return kParameters;
}

std::optional<Error> Size::CheckMail(const Parameter& parameter,
                                     const Context& context,
                                     State* state) const {
  std::uint64_t size = 0;
  if (!parameter.value || !ParseSize(*parameter.value, &size)) {
    return Error{501, kBadArguments,
                 "SIZE needs a decimal number (RFC 1870 4)"};
  }
  if (context.max_message_size != 0 && size > context.max_message_size) {
    // RFC 1870 6.1: the declared size exceeds the fixed maximum: 552.
    return Error{552, kTooBig,
                 "Message size exceeds fixed maximum message size"};
  }
  if (state != nullptr) static_cast<Declared*>(state)->size = size;
  return std::nullopt;
}

std::unique_ptr<State> Size::NewState() const {
  return std::make_unique<Declared>();
}

std::optional<std::uint64_t> Size::DeclaredSize(const States& states) const {
  // A state found under this module is one this module made (NewState).
  const State* state = FindState(states, *this);
  if (state == nullptr) return std::nullopt;
  return static_cast<const Declared*>(state)->size;
}

}  // namespace smtpspec::ext
