// SMTPUTF8 (RFC 6531): internationalised mailboxes. Offered, the server
// takes UTF-8 in paths, parameter values and the EHLO domain (RFC 6531
// 3.3), and the client marks a transaction that needs it with the bare
// SMTPUTF8 parameter on MAIL FROM (RFC 6531 3.4).
#ifndef SMTPSPEC_ENGINE_EXT_SMTPUTF8_H_
#define SMTPSPEC_ENGINE_EXT_SMTPUTF8_H_

#include "engine/ext/extension.h"

namespace smtpspec::ext {

class SmtpUtf8 final : public Extension {
 public:
  static constexpr std::string_view kName = "smtputf8";

  // Whether this transaction's MAIL carried SMTPUTF8.
  struct Requested : State {
    bool requested = false;
  };

  std::string_view name() const override { return kName; }
  // RFC 6531 3.2: the EHLO keyword is SMTPUTF8, with no parameters.
  std::string_view keyword() const override { return "SMTPUTF8"; }
  std::span<const std::string_view> mail_parameters() const override;
  std::optional<Error> CheckMail(const Parameter& parameter,
                                 const Context& context,
                                 State* state) const override;
  std::unique_ptr<State> NewState() const override;
  Switches switches() const override;

  // Whether the transaction whose module states are `states` asked for
  // SMTPUTF8.
  bool WasRequested(const States& states) const;
};

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_SMTPUTF8_H_
