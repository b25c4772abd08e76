// The SASL mechanism interface (RFC 4422), both sides, as pure state
// machines. A mechanism sees the exchange as data: each challenge and each
// response is a string of octets (NUL included). Encoding them as base64
// on "AUTH", "334" and the client's answer lines, the "=" for an empty
// initial response and the "*" that cancels, are the SMTP framing's
// business (RFC 4954 section 4), not the mechanism's. Randomness and the
// clock come in through the Context of each call: a mechanism never reads
// a clock, a device or a global.
//
// How the mechanisms we may add map onto the interface (each one a pair of
// classes behind one Registry line, see registry.h):
//
// * PLAIN (RFC 4616, plain.h): client-first, one message. The client's
//   Start gives it as the initial response; the server's Start decides on
//   it, or returns an empty Challenge when AUTH carried none.
// * LOGIN (draft-murchison-sasl-login): server-first, two steps. The
//   server's Start gives Challenge "Username:", Respond(user) gives
//   Challenge "Password:", Respond(password) the outcome; the client's
//   Start gives nullopt and Respond answers the user name, then the
//   password, whatever the prompts say.
// * CRAM-MD5 (RFC 2195): server-first. The server's Start builds the
//   challenge "<random.time@host>" from ctx.random and ctx.now and refuses
//   an initial response (a Failure); the client's Start gives nullopt and
//   Respond answers "user " + hex(HMAC-MD5(password, challenge)).
// * SCRAM-SHA-1/-256 (RFC 5802, RFC 7677): client-first, multi-step,
//   mutual. The client's Start takes its nonce from ctx.random
//   ("n,,n=user,r=cnonce"); the server's Start appends its own nonce from
//   ctx.random and gives Challenge "r=...,s=salt,i=n"; the client's
//   Respond computes the proof; the server's Respond checks it and gives
//   Success whose `additional` is "v=signature" (RFC 5802 section 5). The
//   client's Finish(additional) checks that signature and is an Error when
//   it is missing or wrong, so a 235 alone does not convince the client.
// * XOAUTH2 (Google's, like OAUTHBEARER RFC 7628): client-first, one
//   message "user=u\x01auth=Bearer token\x01\x01" from
//   ClientCredentials::secret. A refused token is a Challenge holding the
//   JSON error, the client's Respond answers it with "" and the server
//   then gives the Failure (535).
// * GSSAPI (RFC 4752) and other opaque-token mechanisms: each Start or
//   Respond passes the tokens, unread, to a GSS context that the agent
//   gives the mechanism as an interface (like RandomSource here), and
//   returns the context's output token as the Challenge or response;
//   RFC 4752 section 3.1's final 4-octet security-layer message is one
//   more such step. Ticket lifetimes use ctx.now.
#ifndef SMTPSPEC_ENGINE_SASL_MECHANISM_H_
#define SMTPSPEC_ENGINE_SASL_MECHANISM_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/reply.h"
#include "engine/result.h"

namespace smtpspec::sasl {

// Wall-clock time: credentials (tickets, tokens) expire at dates, so this
// is the system clock's, read by the caller, never by a mechanism.
using Time = std::chrono::system_clock::time_point;

// Octets from a cryptographically strong generator, supplied by the caller
// (the agent reads getrandom(2); tests and replays give fixed octets).
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::string Generate(std::size_t count) = 0;
};

// A RandomSource that hands out `octets` in order, then zeros: for tests
// and for replaying a recorded exchange byte for byte.
class FixedRandom : public RandomSource {
 public:
  explicit FixedRandom(std::string octets) : octets_(std::move(octets)) {}
  std::string Generate(std::size_t count) override;

 private:
  std::string octets_;
  std::size_t next_ = 0;
};

// What a step may use besides the peer's data.
struct Context {
  RandomSource *random = nullptr;  // never null when a mechanism needs it
  Time now;
};

// The credentials a client authenticates with (RFC 4422 section 3.3).
struct ClientCredentials {
  std::string authzid;  // the identity to act as; "" derives it from authcid
  std::string authcid;  // the identity whose secret is shown
  std::string secret;   // password (PLAIN, LOGIN, CRAM-MD5, SCRAM) or token
};

// One account a server knows. `authzids` lists the other identities the
// account may act as (RFC 4422 section 3.4.1); acting as itself is always
// allowed.
struct Account {
  std::string authcid;
  std::string password;
  std::vector<std::string> authzids;
};

// What a server checks responses against: plain data, no lookups.
struct ServerCredentials {
  std::vector<Account> accounts;
};

// Server steps. A Challenge goes to the client ("334 " + base64(data));
// an empty one is the bare "334 " (RFC 4954 section 4).
struct Challenge {
  std::string data;

  bool operator==(const Challenge &) const = default;
};

// The exchange succeeded (RFC 4422 section 3.6): the session acts as
// `authzid` from now on. `additional` is data the server sends with the
// outcome (SCRAM's server signature); how the framing carries it is the
// framing's choice (RFC 4422 section 4).
struct Success {
  std::string authzid;
  std::string authcid;
  std::optional<std::string> additional;

  bool operator==(const Success &) const = default;
};

// The exchange failed. `offset` counts octets of the response that was
// refused (0 when the reason is not about a position); `reply` is what the
// server puts on the wire. Its enhanced code is dropped by the framing
// when ENHANCEDSTATUSCODES is not in use (RFC 2034).
struct Failure {
  std::size_t offset = 0;
  std::string reason;
  Reply reply;

  bool operator==(const Failure &) const = default;
};

using ServerStep = std::variant<Challenge, Success, Failure>;

// The replies of RFC 4954 section 6 that mechanisms give.
// 535 5.7.8 "Authentication credentials invalid": a wrong password, an
// unknown user, an authorization identity the user may not act as.
Reply InvalidCredentialsReply();
// 501 5.5.2: the response is not what the mechanism defines (RFC 4954
// section 4 gives 501 5.5.2 to a response that cannot be base64-decoded;
// a decoded response that cannot be parsed is refused the same way).
Reply MalformedResponseReply();
// A Failure at `offset` with one of the replies above.
Failure MakeFailure(std::size_t offset, std::string reason, Reply reply);

// The server side of one exchange. One object per AUTH command.
class ServerMechanism {
 public:
  virtual ~ServerMechanism() = default;

  // AUTH named this mechanism. `initial` is the client's initial response
  // (RFC 4954 section 4): nullopt when AUTH had none, "" for "=". Returns
  // the first Challenge, or at once the outcome.
  virtual ServerStep Start(std::optional<std::string_view> initial,
                           Context &ctx) = 0;
  // The client answered the last Challenge with `response`.
  virtual ServerStep Respond(std::string_view response, Context &ctx) = 0;
};

// The client side of one exchange. One object per AUTH command.
class ClientMechanism {
 public:
  virtual ~ClientMechanism() = default;

  // The exchange begins. Returns the initial response of a client-first
  // mechanism, or nullopt for a server-first one (CRAM-MD5, LOGIN). When
  // the framing cannot put it on the AUTH line (too long for 512 octets,
  // RFC 4954 section 4), it sends AUTH without it and gives it as the
  // answer to the server's first, empty challenge (RFC 4422 section 5).
  // An Error: the credentials cannot be expressed in this mechanism.
  virtual Result<std::optional<std::string>> Start(Context &ctx) = 0;
  // The answer to the server's `challenge`. An Error makes the framing
  // cancel the exchange with "*" (RFC 4954 section 4).
  virtual Result<std::string> Respond(std::string_view challenge,
                                      Context &ctx) = 0;
  // The server said the exchange succeeded (235), with `additional` data
  // if any. An Error: this side has not seen what it needs (a mutual
  // mechanism's server proof), so the client must not trust the session.
  virtual Status Finish(std::optional<std::string_view> additional,
                        Context &ctx) = 0;
};

}  // namespace smtpspec::sasl

#endif  // SMTPSPEC_ENGINE_SASL_MECHANISM_H_
