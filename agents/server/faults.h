// Deliberate deviations for a deliberately broken test server (issue 6):
// the conformance interpreter must catch each of them and cite the right
// RFC section. They are a thin layer around the engine's server::Session:
// the layer feeds the session one line at a time so it knows which command
// each reply answers, and rewrites, withholds or cuts off the replies. The
// engine itself stays conformant; only `bare-lf-end` is an engine knob
// (server::Config::accepted_data_ends). Nothing here is on unless the
// configuration names it (docs/reference-agents.md lists each fault).
#ifndef SMTPSPEC_AGENTS_SERVER_FAULTS_H_
#define SMTPSPEC_AGENTS_SERVER_FAULTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "engine/server/config.h"
#include "engine/server/session.h"

namespace smtpspec::agents::server {

enum class Fault {
  kWrongCodes,        // QUIT answered 250 (not 221), NOOP 200 (not 250)
  kRcptBeforeMail,    // RCPT without MAIL answered 250 (not 503, 4.1.4)
  kBrokenMultiline,   // EHLO continuation lines with another code (4.2.1)
  kBareLfEnd,         // LF.LF and friends end DATA (2.3.8, smuggling)
  kStall,             // nothing answered after the EHLO reply
  kEarlyClose,        // connection closed after the EHLO reply, no 421
  kRejectPostmaster,  // RCPT <postmaster> refused 550 (4.5.1)
  kNoVrfy,            // VRFY answered 500 unrecognised (4.5.1)
  kNoUnstuff,         // "..line" stored as is, stuffed dot kept (4.5.2)
  kNestedMail,        // MAIL inside a transaction answered 250 (4.1.4)
  kGreet554Serve,     // greets 554, then serves as if it were 220 (3.1)
  kLongLineClose,     // a 512-octet command line closes, no reply (4.5.3.1.4)
  kIgnoreSize,        // MAIL SIZE= above the limit accepted (RFC 1870 6)
};

// The configuration spelling: "wrong-codes", "rcpt-before-mail", ...
std::string_view FaultName(Fault fault);
// All faults, in the order above.
const std::vector<Fault>& AllFaults();
// Parses a comma-separated list ("stall,no-vrfy"; "" is none). Errors
// carry the offset of the unknown name and suggest the closest one.
Result<std::vector<Fault>> ParseFaults(std::string_view list);

// Engine knobs for the faults that are knobs (bare-lf-end).
void ApplyFaults(const std::vector<Fault>& faults,
                 smtpspec::server::Config& config);

// The per-connection layer. With no faults it is a plain pass-through.
class FaultLayer {
 public:
  explicit FaultLayer(std::vector<Fault> faults);

  // Feeds `bytes` to `session` and appends what should go on the wire to
  // `out`: the session's replies, rewritten as the faults say.
  void Feed(smtpspec::server::Session& session, std::string_view bytes,
            smtpspec::server::Time now, std::string& out);
  // Output the session produced on its own (greeting, timeout, shutdown).
  void Pass(smtpspec::server::Session& session, std::string& out);

  // early-close: the connection must now be closed without a word.
  bool close_now() const { return close_now_; }

 private:
  bool Has(Fault fault) const;
  // Feeds one piece (at most one line) and rewrites its output.
  void FeedPiece(smtpspec::server::Session& session, std::string_view piece,
                 smtpspec::server::Time now, std::string& out);
  // What the session is fed instead of `piece` (no-unstuff, ignore-size).
  std::string Rewrite(const smtpspec::server::Session& session,
                      std::string_view piece, bool content);
  void Emit(std::string output, std::string& out);

  std::vector<Fault> faults_;
  bool line_wise_ = false;  // some fault needs to know the command
  std::string line_head_;   // the first bytes of the current line
  bool line_start_ = true;
  std::size_t line_size_ = 0;  // octets of the current line so far
  bool pending_dot_ = false;   // no-unstuff: a content line began with "."
  bool greeted_ = false;       // greet-554-serve: the greeting went out
  bool muted_ = false;         // stall, after the EHLO reply
  bool close_now_ = false;
};

}  // namespace smtpspec::agents::server

#endif  // SMTPSPEC_AGENTS_SERVER_FAULTS_H_
