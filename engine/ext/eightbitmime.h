// 8BITMIME (RFC 6152): the client may send 8-bit MIME content and says so
// with BODY=8BITMIME (or BODY=7BIT) on MAIL FROM (RFC 6152 2).
#ifndef SMTPSPEC_ENGINE_EXT_EIGHTBITMIME_H_
#define SMTPSPEC_ENGINE_EXT_EIGHTBITMIME_H_

#include "engine/ext/extension.h"

namespace smtpspec::ext {

class EightBitMime final : public Extension {
 public:
  static constexpr std::string_view kName = "8bitmime";

  // The body type this transaction's MAIL declared (RFC 6152 2).
  enum class Body { kUndeclared, k7Bit, k8BitMime };
  struct Declared : State {
    Body body = Body::kUndeclared;
  };

  std::string_view name() const override { return kName; }
  // RFC 6152 2: the EHLO keyword is 8BITMIME, with no parameters.
  std::string_view keyword() const override { return "8BITMIME"; }
  void Learn(const EhloKeyword& line, Learned& learned) const override;
  std::span<const std::string_view> mail_parameters() const override;
  std::optional<Error> CheckMail(const Parameter& parameter,
                                 const Context& context,
                                 State* state) const override;
  std::unique_ptr<State> NewState() const override;

  // The body type declared on the transaction whose module states are
  // `states`.
  Body DeclaredBody(const States& states) const;
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_EIGHTBITMIME_H_
