// The reference server's configuration: plain data, read from a YAML file
// and overridable from flags. Every key is documented, with its default, in
// docs/reference-server.md. Unknown keys are errors (with a did-you-mean),
// so a typo never silently leaves a default in place; errors read
// "file:line:col: reason".
#ifndef SMTPSPEC_AGENTS_CONFIG_H_
#define SMTPSPEC_AGENTS_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agents/address.h"
#include "agents/sink.h"
#include "agents/tls_context.h"
#include "engine/ext/extension.h"
#include "engine/result.h"

namespace smtpspec::agents::config {

struct Limits {
  std::uint64_t message_size = 10 * 1024 * 1024;  // bytes; SIZE (RFC 1870)
  // RFC 5321 4.5.3.1.8: a server must accept at least 100 recipients.
  std::uint64_t recipients = 100;
  std::uint64_t command_line = 512;  // octets with CRLF, RFC 5321 4.5.3.1.4
  std::uint64_t text_line = 1000;    // octets with CRLF, RFC 5321 4.5.3.1.6
  std::uint64_t connections = 1000;  // open at once; more get 421

  bool operator==(const Limits&) const = default;
};

// RFC 5321 4.5.3.2. The server waits `server` for each command; the
// others are what the reference client waits for each reply.
struct Timeouts {
  std::chrono::milliseconds initial{5 * 60 * 1000};            // 4.5.3.2.1
  std::chrono::milliseconds mail{5 * 60 * 1000};               // 4.5.3.2.2
  std::chrono::milliseconds rcpt{5 * 60 * 1000};               // 4.5.3.2.3
  std::chrono::milliseconds data_initiation{2 * 60 * 1000};    // 4.5.3.2.4
  std::chrono::milliseconds data_block{3 * 60 * 1000};         // 4.5.3.2.5
  std::chrono::milliseconds data_termination{10 * 60 * 1000};  // 4.5.3.2.6
  std::chrono::milliseconds server{5 * 60 * 1000};             // 4.5.3.2.7

  bool operator==(const Timeouts&) const = default;
};

// How VRFY answers for a known mailbox (RFC 5321 3.5.3): 250 with the
// mailbox, 251 "will forward", or 252 "cannot verify, but will accept".
enum class VrfyMode { k250, k251, k252 };

struct Tls {
  std::string certificate;  // PEM chain; STARTTLS and implicit TLS need it
  std::string key;          // PEM private key
  // RFC 8314 implicit-TLS listeners (e.g. 127.0.0.1:465).
  std::vector<Address> implicit_listen;
  tls::ClientCertificate client_certificate = tls::ClientCertificate::kNone;
  std::string client_ca;  // PEM CAs for client certificates

  bool operator==(const Tls&) const = default;
};

struct Sink {
  sink::Kind kind = sink::Kind::kDiscard;
  std::string path;  // maildir directory or jsonl file

  bool operator==(const Sink&) const = default;
};

// The modules the reference server offers unless told otherwise: the
// engine's defaults (ext::Defaults()), STARTTLS and SMTPUTF8 (RFC 6531).
smtpspec::ext::List DefaultExtensions();

struct Server {
  std::vector<Address> listen = {Address{"127.0.0.1", 2525}};
  std::string hostname = "localhost";  // in the greeting and EHLO reply
  std::string greeting = "smtpspec reference server ready";
  // `extensions:` in the file. Each key but vrfy and expn switches the
  // built-in module of that name (engine/ext/registry.h) on or off, so the
  // server can play a minimal or a deliberately lacking peer; these are
  // the modules offered. STARTTLS is offered only with tls.certificate.
  // A key no module has (dsn: RFC 3461 is not implemented) is an error.
  smtpspec::ext::List extensions = DefaultExtensions();
  // VRFY is an RFC 5321 command, not a service extension, but is switched
  // under `extensions:` too; off, it answers 502 (RFC 5321 3.5.1). EXPN is
  // not implemented (502, 3.5.2), so no key claims to switch it.
  bool vrfy_enabled = true;
  Limits limits;
  Timeouts timeouts;
  // Domains we accept mail for; empty accepts every domain.
  std::vector<std::string> local_domains;
  // Mailboxes that exist ("user@domain"); empty accepts any mailbox in a
  // local domain.
  std::vector<std::string> mailboxes;
  VrfyMode vrfy = VrfyMode::k252;
  Tls tls;
  Sink sink;
  // Where session transcripts go: "" nowhere, "-" standard error, else a
  // file appended to.
  std::string transcript_log;

  bool operator==(const Server&) const = default;
};

// Applies the YAML document `text` on top of `server` (only the keys it
// names change; on error nothing changes). `filename` prefixes error
// positions.
Status Apply(std::string_view text, const std::string& filename,
             Server& server);

// Rules across keys (a certificate needs its key, a maildir needs a path,
// something to listen on). `origin` names where the settings came from.
Status Validate(const Server& server, const std::string& origin);

// Defaults, then the file at `path`, validated.
Result<Server> Load(const std::string& path);

// One "dotted.key=value" override, the value in YAML syntax:
// "limits.recipients=200", "extensions.pipelining=off",
// "local_domains=[a.test, b.test]". Not validated: see Validate().
Status Set(std::string_view assignment, Server& server);

// The command line of `smtpspec serve`: --config FILE (applied first,
// wherever it stands), then in order --listen HOST:PORT (repeatable; the
// first replaces the default), --hostname NAME, --maildir DIR, --jsonl
// FILE, --discard, --set KEY=VALUE. Both "--flag value" and
// "--flag=value" work. The result is validated.
Result<Server> FromFlags(const std::vector<std::string>& args);

// One paragraph per flag, for --help.
std::string FlagsHelp();

}  // namespace smtpspec::agents::config

#endif  // SMTPSPEC_AGENTS_CONFIG_H_
