// `smtpspec_cli record`: a capture of one SMTP session (cli/capture.h,
// written by `smtpspec record`'s proxy, runner/record_proxy.py) turned into
// a scenario that lints and replays (docs/user-guide.md, "record").
//
// What the converter writes:
// - the observed EHLO domain, sender, first recipient and its domain as the
//   target variables ${client_domain}, ${sender}, ${mailbox} and ${domain},
//   with the observed values as their defaults (front-matter `vars`);
// - the commands that arrived in one read as a `!pipeline` group (RFC 2920);
// - for a server under test, its replies as patterns: the greeting as
//   `220 ...`, the EHLO reply as `250 ...` with its keywords (+KEYWORD),
//   other replies with their code and enhanced code and their volatile text
//   (queue ids, dates, addresses: cli/record_text.h) as `*`; the message as
//   a `!body` block;
// - for a client under test, the replies exactly as sent (the harness sends
//   them), and its commands as patterns (SIZE=* for a SIZE value); its
//   message is not compared (its Date and Message-ID change every run);
// - bytes that are not printable lines ending in CRLF as raw `C!`/`S!`
//   lines (agents/transcript_log.h);
// - `!starttls` where TLS began; after a passthrough STARTTLS, nothing more
//   (a comment says the rest was not recorded).
//
// The text is parsed back before it is written: what record writes lints.
#ifndef SMTPSPEC_CLI_RECORD_H_
#define SMTPSPEC_CLI_RECORD_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/capture.h"
#include "engine/result.h"

namespace smtpspec::cli::record {

struct Options {
  bool client_under_test = false;  // `tests: client`, else `tests: server`
  std::string id;                  // the scenario's id
  std::string title;               // its title ("" for none)
  std::string source;              // a comment: where the session came from
};

// The scenario for `events`, in canonical form (what `fmt` writes), or why
// none can be written.
Result<std::string> Convert(const std::vector<capture::Event>& events,
                            const Options& options);

// `smtpspec_cli record [--tests server|client] [--id ID] [--title TEXT]
// [--source TEXT] CAPTURE OUT`. Exit codes: 0 written, 2 usage error or a
// capture that cannot be read (one line on `err`).
int RunRecord(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err);

}  // namespace smtpspec::cli::record

#endif  // SMTPSPEC_CLI_RECORD_H_
