#include "engine/ext/eightbitmime.h"

#include "engine/syntax.h"

namespace smtpspec::ext {
namespace {

constexpr std::string_view kParameters[] = {"BODY"};
constexpr EnhancedCode kBadArguments{5, 5, 4};  // RFC 3463 5.5.4

}  // namespace

void EightBitMime::Learn(const EhloKeyword& line, Learned& learned) const {
  learned.eight_bit_mime = true;  // RFC 6152 2: BODY=8BITMIME may be sent
}

std::span<const std::string_view> EightBitMime::mail_parameters() const {
  return kParameters;
}

std::optional<Error> EightBitMime::CheckMail(const Parameter& parameter,
                                             const Context& context,
                                             State* state) const {
  if (!parameter.value) {
    return Error{501, kBadArguments, "BODY needs 7BIT or 8BITMIME"};
  }
  // RFC 6152 2: body-value ::= "7BIT" / "8BITMIME".
  Body body = Body::kUndeclared;
  if (syntax::EqualsIgnoreCase(*parameter.value, "7BIT")) {
    body = Body::k7Bit;
  } else if (syntax::EqualsIgnoreCase(*parameter.value, "8BITMIME")) {
    body = Body::k8BitMime;
  } else if (syntax::EqualsIgnoreCase(*parameter.value, "BINARYMIME")) {
    // RFC 3030 3: BINARYMIME is an extension of its own, not offered (only
    // CHUNKING is).
    return Error{504, kBadArguments, "BODY=BINARYMIME not implemented"};
  } else {
    return Error{501, kBadArguments,
                 "BODY must be 7BIT or 8BITMIME (RFC 6152 2)"};
  }
  if (state != nullptr) static_cast<Declared*>(state)->body = body;
  return std::nullopt;
}

std::unique_ptr<State> EightBitMime::NewState() const {
  return std::make_unique<Declared>();
}

EightBitMime::Body EightBitMime::DeclaredBody(const States& states) const {
  // A state found under this module is one this module made (NewState).
  const State* state = FindState(states, *this);
  if (state == nullptr) return Body::kUndeclared;
  return static_cast<const Declared*>(state)->body;
}

}  // namespace smtpspec::ext
