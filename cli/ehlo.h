// `smtpspec_cli ehlo`: an EHLO reply read by the engine's one EHLO parser
// (engine/ehlo.h), for `smtpspec probe`, which reports a live server's
// capabilities and must read them as the harness does.
#ifndef SMTPSPEC_CLI_EHLO_H_
#define SMTPSPEC_CLI_EHLO_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace smtpspec::cli {

// Reads the reply's lines ("250-name greeting", ..., "250 LAST") from `in`
// and writes one JSON object: {"code", "domain", "greeting", "keywords":
// [{"keyword", "params": [...]}] (kLenient: what a client acts on),
// "problems": [{"offset", "reason"}] (kStrict: each departure from the
// grammar of RFC 5321 4.1.1.1)}. Exit codes: 0, 2 usage error or no reply.
int RunEhlo(const std::vector<std::string>& args, std::istream& in,
            std::ostream& out, std::ostream& err);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_EHLO_H_
