#include "engine/sasl/plain.h"

#include <algorithm>
#include <string>
#include <utility>

#include "engine/syntax.h"

namespace smtpspec::sasl {
namespace {

constexpr char kGrammar[] =
    "RFC 4616 section 2: message = [authzid] UTF8NUL authcid UTF8NUL passwd";

// One field of the message: `start` is its offset in the whole message.
// `required`: 1*SAFE (authcid, passwd); the authzid may be absent.
Status CheckField(std::string_view field, std::size_t start,
                  std::string_view name, bool required,
                  std::size_t max_octets) {
  if (required && field.empty()) {
    return syntax::Fail(start, "the " + std::string(name) +
                                   " is empty (RFC 4616 section 2: " +
                                   std::string(name) + " = 1*SAFE)");
  }
  if (field.size() > max_octets) {
    return syntax::Fail(
        start + max_octets,
        "the " + std::string(name) + " is longer than " +
            std::to_string(max_octets) +
            " octets (RFC 4616 section 2: a server must accept up to 255; "
            "this one accepts no more)");
  }
  for (std::size_t i = 0; i < field.size();) {
    if (!syntax::IsNonAscii(field[i])) {
      ++i;
      continue;
    }
    const std::size_t length = syntax::Utf8SequenceLength(field, i);
    if (length == 0) {
      return syntax::Fail(start + i, syntax::DescribeByte(field[i]) +
                                         " in the " + std::string(name) +
                                         " does not start a well-formed UTF-8 "
                                         "character (RFC 4616 section 2: SAFE, "
                                         "RFC 3629)");
    }
    i += length;
  }
  return OkStatus();
}

// Compares every octet whatever the first difference, so the time taken
// does not tell how much of a guessed password was right.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

Failure Refused(std::string reason) {
  return MakeFailure(0, std::move(reason), InvalidCredentialsReply());
}

}  // namespace

Result<PlainMessage> ParsePlainMessage(std::string_view message,
                                       std::size_t max_field_octets) {
  const std::size_t first = message.find('\0');
  if (first == std::string_view::npos) {
    return syntax::Fail(message.size(),
                        "expected a NUL before the authentication identity "
                        "(" +
                            std::string(kGrammar) + ")");
  }
  const std::size_t second = message.find('\0', first + 1);
  if (second == std::string_view::npos) {
    return syntax::Fail(message.size(),
                        "expected a NUL between the authentication identity "
                        "and the password (" +
                            std::string(kGrammar) + ")");
  }
  const std::size_t third = message.find('\0', second + 1);
  if (third != std::string_view::npos) {
    return syntax::Fail(third,
                        "a NUL inside the password (RFC 4616 section 2: "
                        "SAFE is any UTF-8 character except NUL)");
  }
  PlainMessage result;
  result.authzid = std::string(message.substr(0, first));
  result.authcid = std::string(message.substr(first + 1, second - first - 1));
  result.passwd = std::string(message.substr(second + 1));
  Status status = CheckField(result.authzid, 0, "authorization identity",
                             /*required=*/false, max_field_octets);
  if (status.ok()) {
    status = CheckField(result.authcid, first + 1, "authentication identity",
                        /*required=*/true, max_field_octets);
  }
  if (status.ok()) {
    status = CheckField(result.passwd, second + 1, "password",
                        /*required=*/true, max_field_octets);
  }
  if (!status.ok()) return status.error();
  return result;
}

Result<std::string> RenderPlainMessage(const PlainMessage &message) {
  const std::pair<const std::string *, const char *> fields[] = {
      {&message.authzid, "authorization identity"},
      {&message.authcid, "authentication identity"},
      {&message.passwd, "password"},
  };
  for (const auto &[field, name] : fields) {
    const std::size_t nul = field->find('\0');
    if (nul != std::string::npos) {
      return syntax::Fail(nul, std::string("the ") + name +
                                   " holds a NUL, which PLAIN cannot carry "
                                   "(RFC 4616 section 2)");
    }
  }
  if (message.authcid.empty() || message.passwd.empty()) {
    return syntax::Fail(0,
                        "PLAIN needs a non-empty authentication identity "
                        "and password (RFC 4616 section 2: 1*SAFE)");
  }
  std::string out = message.authzid;
  out += '\0';
  out += message.authcid;
  out += '\0';
  out += message.passwd;
  return out;
}

PlainServer::PlainServer(ServerCredentials credentials,
                         std::size_t max_field_octets)
    : credentials_(std::move(credentials)),
      max_field_octets_(max_field_octets) {}

ServerStep PlainServer::Start(std::optional<std::string_view> initial,
                              Context &ctx) {
  if (state_ != State::kStart) {
    return MakeFailure(0, "PLAIN was started twice", MalformedResponseReply());
  }
  if (!initial) {
    // RFC 4954 section 4: a client-first mechanism without an initial
    // response gets an empty challenge ("334 "), answered by the message.
    state_ = State::kAwaitingMessage;
    return Challenge{};
  }
  return Decide(*initial);
}

ServerStep PlainServer::Respond(std::string_view response, Context &ctx) {
  if (state_ != State::kAwaitingMessage) {
    return MakeFailure(0,
                       "PLAIN takes exactly one message (RFC 4616 section 2)",
                       MalformedResponseReply());
  }
  return Decide(response);
}

ServerStep PlainServer::Decide(std::string_view message) {
  state_ = State::kDone;
  Result<PlainMessage> parsed = ParsePlainMessage(message, max_field_octets_);
  if (!parsed.ok()) {
    return MakeFailure(parsed.error().offset, parsed.error().reason,
                       MalformedResponseReply());
  }
  const Account *account = nullptr;
  for (const Account &candidate : credentials_.accounts) {
    if (candidate.authcid == parsed->authcid) {
      account = &candidate;
      break;
    }
  }
  // The same reply for an unknown user and a wrong password (RFC 4954
  // section 6: 535 5.7.8), so the reply does not tell which names exist.
  if (account == nullptr) {
    return Refused("no account \"" + parsed->authcid + "\"");
  }
  if (!SameSecret(account->password, parsed->passwd)) {
    return Refused("wrong password for \"" + parsed->authcid + "\"");
  }
  // RFC 4616 section 2: without an authzid the server derives it from the
  // authcid; with one, the authcid must be allowed to act as it.
  if (parsed->authzid.empty() || parsed->authzid == parsed->authcid) {
    return Success{parsed->authcid, parsed->authcid, std::nullopt};
  }
  if (std::find(account->authzids.begin(), account->authzids.end(),
                parsed->authzid) == account->authzids.end()) {
    return Refused("\"" + parsed->authcid + "\" may not act as \"" +
                   parsed->authzid + "\" (RFC 4616 section 2)");
  }
  return Success{parsed->authzid, parsed->authcid, std::nullopt};
}

PlainClient::PlainClient(ClientCredentials credentials)
    : credentials_(std::move(credentials)) {}

Result<std::optional<std::string>> PlainClient::Start(Context &ctx) {
  Result<std::string> message = RenderPlainMessage(PlainMessage{
      credentials_.authzid, credentials_.authcid, credentials_.secret});
  if (!message.ok()) return message.error();
  started_ = true;
  return std::optional<std::string>(std::move(*message));
}

Result<std::string> PlainClient::Respond(std::string_view challenge,
                                         Context &ctx) {
  return syntax::Fail(0,
                      "PLAIN has no server challenge: its one message is "
                      "the client's (RFC 4616 section 2)");
}

Status PlainClient::Finish(std::optional<std::string_view> additional,
                           Context &ctx) {
  if (!started_) {
    return syntax::Fail(0, "success before the PLAIN message was sent");
  }
  if (additional && !additional->empty()) {
    return syntax::Fail(0,
                        "PLAIN defines no additional data with success "
                        "(RFC 4616 section 2: one message, client to server)");
  }
  return OkStatus();
}

std::unique_ptr<ClientMechanism> MakePlainClient(
    const ClientCredentials &credentials) {
  return std::make_unique<PlainClient>(credentials);
}

std::unique_ptr<ServerMechanism> MakePlainServer(
    const ServerCredentials &credentials) {
  return std::make_unique<PlainServer>(credentials);
}

}  // namespace smtpspec::sasl
