// SIZE (RFC 1870): the server advertises its fixed maximum message size,
// and the client may declare a message's size on MAIL FROM (SIZE=n), which
// the server refuses at once when it is too big (RFC 1870 6.1). The limit
// is server::Config::max_message_size, which applies to the message itself
// whether SIZE is offered or not (RFC 5321 4.5.3.1.10).
#ifndef SMTPSPEC_ENGINE_EXT_SIZE_H_
#define SMTPSPEC_ENGINE_EXT_SIZE_H_

#include <cstdint>
#include <optional>

#include "engine/ext/extension.h"

namespace smtpspec::ext {

class Size final : public Extension {
 public:
  static constexpr std::string_view kName = "size";

  // The size the client declared on this transaction's MAIL.
  struct Declared : State {
    std::optional<std::uint64_t> size;
  };

  std::string_view name() const override { return kName; }
  std::string_view keyword() const override { return "SIZE"; }
  std::optional<std::string> EhloLine(const Context& context) const override;
  // A client learns the fixed maximum (Limit); a garbled one counts as "no
  // fixed maximum" (0): refusing to send on a garbled advertisement would
  // be worse than letting the server judge.
  void Learn(const EhloKeyword& line, Learned& learned) const override;
  std::span<const std::string_view> mail_parameters() const override;
  std::optional<Error> CheckMail(const Parameter& parameter,
                                 const Context& context,
                                 State* state) const override;
  std::unique_ptr<State> NewState() const override;

  // The size declared on the transaction whose module states are
  // `states`; nullopt when none was.
  std::optional<std::uint64_t> DeclaredSize(const States& states) const;

  // The fixed maximum message size a server's SIZE line gives (RFC 1870
  // section 4: "SIZE" [SP 1*DIGIT]): nullopt when it has no parameter (no
  // information given), 0 when there is no fixed maximum, else the limit
  // in octets. Fails when the parameter is not one decimal number that
  // fits in 64 bits; offsets count within the parameter.
  static Result<std::optional<std::uint64_t>> Limit(const EhloKeyword& line);
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_SIZE_H_
