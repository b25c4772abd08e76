// The PLAIN mechanism (RFC 4616): one message from the client, which the
// server accepts or refuses. Section 2:
//
//   message  = [authzid] UTF8NUL authcid UTF8NUL passwd
//   authcid  = 1*SAFE ; MUST accept up to 255 octets
//   authzid  = 1*SAFE ; MUST accept up to 255 octets
//   passwd   = 1*SAFE ; MUST accept up to 255 octets
//   UTF8NUL  = %x00 ; UTF-8 encoded NUL character
//   SAFE     = UTF1 / UTF2 / UTF3 / UTF4
//              ;; any UTF-8 encoded Unicode character except NUL
//
// The password travels in the clear: RFC 4616 section 6 and RFC 4954
// section 4 want it offered only on a protected session (STARTTLS); that
// choice is the framing's, told by Mechanism::plaintext (registry.h).
#ifndef SMTPSPEC_ENGINE_SASL_PLAIN_H_
#define SMTPSPEC_ENGINE_SASL_PLAIN_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/result.h"
#include "engine/sasl/mechanism.h"

namespace smtpspec::sasl {

// The three fields; `authzid` is "" when absent.
struct PlainMessage {
  std::string authzid;
  std::string authcid;
  std::string passwd;

  bool operator==(const PlainMessage &) const = default;
};

// RFC 4616 section 2: a server MUST accept fields of up to 255 octets. It
// may accept longer ones; this one refuses them unless told otherwise.
inline constexpr std::size_t kPlainFieldLimit = 255;

// Parses a PLAIN message (nothing before the first NUL: no authzid).
// Fails, with the offset in `message`, for a missing NUL, a NUL inside the
// password, an empty authcid or password, a field over `max_field_octets`,
// and bytes in a field that are not UTF-8 (RFC 3629).
Result<PlainMessage> ParsePlainMessage(
    std::string_view message, std::size_t max_field_octets = kPlainFieldLimit);

// The message's octets: authzid NUL authcid NUL passwd. Fails for a field
// holding NUL and for an empty authcid or password, which no server could
// parse back; the length limit is the server's to apply.
Result<std::string> RenderPlainMessage(const PlainMessage &message);

// The server side. Checks the message against `credentials` by octets:
// RFC 4616 section 2 compares after SASLprep (RFC 4013), which leaves
// printable ASCII as it is, so octets agree for ASCII names and
// passwords; non-ASCII ones must be given already prepared.
class PlainServer : public ServerMechanism {
 public:
  explicit PlainServer(ServerCredentials credentials,
                       std::size_t max_field_octets = kPlainFieldLimit);

  // With an initial response, the outcome; without, an empty Challenge
  // for the client to answer with the message (RFC 4954 section 4).
  ServerStep Start(std::optional<std::string_view> initial,
                   Context &ctx) override;
  // The message, after the empty Challenge.
  ServerStep Respond(std::string_view response, Context &ctx) override;

 private:
  ServerStep Decide(std::string_view message);

  enum class State { kStart, kAwaitingMessage, kDone };
  State state_ = State::kStart;
  ServerCredentials credentials_;
  std::size_t max_field_octets_;
};

// The client side: Start gives the message as the initial response.
class PlainClient : public ClientMechanism {
 public:
  explicit PlainClient(ClientCredentials credentials);

  Result<std::optional<std::string>> Start(Context &ctx) override;
  // PLAIN has no challenges: always an Error.
  Result<std::string> Respond(std::string_view challenge,
                              Context &ctx) override;
  // Ok once the message was given; an Error for data with the success,
  // which PLAIN does not define.
  Status Finish(std::optional<std::string_view> additional,
                Context &ctx) override;

 private:
  ClientCredentials credentials_;
  bool started_ = false;
};

// The factories the registry holds.
std::unique_ptr<ClientMechanism> MakePlainClient(
    const ClientCredentials &credentials);
std::unique_ptr<ServerMechanism> MakePlainServer(
    const ServerCredentials &credentials);

}  // namespace smtpspec::sasl

#endif  // SMTPSPEC_ENGINE_SASL_PLAIN_H_
