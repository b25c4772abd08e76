#include "engine/ext/size.h"

#include <limits>
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

void Size::Learn(const EhloKeyword& line, Learned& learned) const {
  learned.size = true;
  const Result<std::optional<std::uint64_t>> limit = Limit(line);
  if (limit.ok() && limit->has_value()) learned.size_limit = **limit;
}

Result<std::optional<std::uint64_t>> Size::Limit(const EhloKeyword& line) {
  if (line.params.empty()) return std::optional<std::uint64_t>();
  if (line.params.size() > 1) {
    return syntax::Fail(0,
                        "SIZE takes at most one parameter (RFC 1870 section 4: "
                        "size-param ::= [1*DIGIT])");
  }
  const std::string& digits = line.params[0];
  if (digits.empty()) {
    return syntax::Fail(0, "the SIZE parameter is empty (RFC 1870 section 4)");
  }
  std::uint64_t value = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (!syntax::IsDigit(digits[i])) {
      return syntax::Fail(
          i, syntax::DescribeByte(digits[i]) +
                 " in the SIZE parameter, which is a decimal number "
                 "(RFC 1870 section 4)");
    }
    const unsigned digit = digits[i] - '0';
    if (value > (kMax - digit) / 10) {
      return syntax::Fail(
          0, "the SIZE parameter " + digits + " does not fit in 64 bits");
    }
    value = value * 10 + digit;
  }
  return std::optional<std::uint64_t>(value);
}

std::optional<std::uint64_t> Size::DeclaredSize(const States& states) const {
  // A state found under this module is one this module made (NewState).
  const State* state = FindState(states, *this);
  if (state == nullptr) return std::nullopt;
  return static_cast<const Declared*>(state)->size;
}

}  // namespace smtpspec::ext
