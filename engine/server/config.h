// How a server session behaves: its name, what it advertises, its limits
// and its timers. Plain data; the agent fills it from its configuration
// file, tests fill it inline.
#ifndef SMTPSPEC_ENGINE_SERVER_CONFIG_H_
#define SMTPSPEC_ENGINE_SERVER_CONFIG_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/notice.h"
#include "engine/ext/extension.h"
#include "engine/ext/registry.h"
#include "engine/result.h"

namespace smtpspec::server {

// The engine never reads a clock: the caller passes `now` into every call
// that may start or check a timer. steady_clock's time_point is only a
// number here; tests build it from a duration since the epoch.
using Time = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

// The greeting the server opens with (RFC 5321 3.1, 4.3.2).
enum class Greeting {
  kAccept,  // 220: ready.
  // 554: "no SMTP service here". The server then answers 503 to every
  // command except QUIT, until the client quits (RFC 5321 3.1).
  kRefuse,
};

// How VRFY is answered (RFC 5321 3.5.3, 7.3: many sites disable it).
enum class VrfyMode {
  // 502 5.5.1. Not conformant: VRFY is in the minimum implementation
  // (RFC 5321 4.5.1), and 3.5.3 asks for 252 instead. For test servers.
  kNotImplemented,
  // 252 2.5.0 "cannot VRFY user, but will accept message and attempt
  // delivery": the answer RFC 5321 3.5.3 suggests when verification is
  // disabled for privacy.
  kCannotVerify,
  kAskBackend,  // Handler::Vrfy decides (250/251/252/550/553...).
};

// The RFC 5321 4.5.3.2 server-side timeouts. Each is an inactivity timer:
// the deadline moves forward whenever the client sends bytes.
struct Timeouts {
  // 4.5.3.2.7: "An SMTP server SHOULD have a timeout of at least 5 minutes
  // while it is awaiting the next command from the sender."
  Duration command = std::chrono::minutes(5);
  // While receiving the DATA block. 4.5.3.2.5 gives the client 3 minutes
  // per block sent; the server waits at least that long between blocks.
  Duration data_block = std::chrono::minutes(3);
  // After the 220 to STARTTLS until the agent reports the handshake done.
  Duration tls_handshake = std::chrono::minutes(5);
};

struct Config {
  // The server's own name, used in the greeting, the EHLO response and
  // 221/421 (RFC 5321 4.1.1.1, 4.2). Also one of the domains for which
  // <postmaster@domain> is always accepted (RFC 5321 4.5.1).
  std::string hostname = "localhost";
  std::string greeting_text = "ESMTP smtpspec";
  Greeting greeting = Greeting::kAccept;
  // Further domains the server provides mail service for: <postmaster@d>
  // is accepted for each of them whatever the backend says (4.5.1).
  std::vector<std::string> domains;

  // The service extensions offered (engine/ext), in the order of their
  // EHLO lines. Only what is listed is advertised, and only what is
  // advertised is accepted: a MAIL or RCPT parameter of a module not
  // listed gets 555 (RFC 5321 4.1.1.11), its verb 502 (4.2.4). Switch
  // built-in modules with ext::Enable/Disable; the modules must outlive
  // the Config (the built-in ones live in ext::Registry()). By default:
  // 8BITMIME PIPELINING SIZE ENHANCEDSTATUSCODES CHUNKING and HELP;
  // STARTTLS is for the agent to add where it can run TLS.
  ext::List extensions = ext::Defaults();
  VrfyMode vrfy = VrfyMode::kCannotVerify;

  // RFC 5321 4.5.3.1.8: a server MUST accept at least 100 recipients per
  // transaction; past the limit it answers 452 (4.5.3.1.10). Values below
  // 100 are allowed only to build deliberately non-conformant test
  // servers; CheckConfig reports them.
  std::size_t max_recipients = 100;
  // Largest message content accepted, in octets; advertised as SIZE
  // (RFC 1870) and answered with 552 5.3.4 beyond it. 0 means no limit.
  std::uint64_t max_message_size = 10 * 1024 * 1024;
  // RFC 5321 4.5.3.1.4: command line 512 octets including CRLF.
  std::size_t max_command_line = 512;
  // A bare LF ending a command line (RFC 5321 2.3.8). false: the line is
  // answered 500, as 4.1.1.4 says servers MUST NOT treat bare LF as a line
  // end "even in the name of improved robustness". true: it ends the line
  // (lenient). Reported as an event either way. Inside DATA content a bare
  // LF is always content (engine/data/reader.h).
  bool accept_bare_lf = false;
  // End-of-data look-alikes that end DATA (data::ReaderOptions::
  // accepted_ends). Empty, the default, is RFC 5321 4.1.1.4: only
  // <CRLF>.<CRLF>. Anything else builds a deliberately broken server for
  // testing "SMTP smuggling"; the look-alike is reported either way.
  std::vector<data::notice::Kind> accepted_data_ends;
  Timeouts timeouts;
};

// Reports settings that break an RFC 5321 MUST (e.g. fewer than 100
// recipients) or that cannot work (an empty hostname). The engine runs
// with any Config; agents call this to refuse a broken configuration
// unless deliberately building a non-conformant server.
Status CheckConfig(const Config& config);

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_CONFIG_H_
