// One SMTP service extension on the server side, as a module (issue 14).
// RFC 5321 2.2 defines how an extension is offered: a keyword in the EHLO
// response (4.1.1.1), perhaps MAIL and RCPT parameters (4.1.1.11), perhaps
// verbs of its own. Each module here declares exactly those; the server
// machine asks the modules it was configured with and knows none of them
// by name. engine/ext/registry.h lists the built-in ones.
#ifndef SMTPSPEC_ENGINE_EXT_EXTENSION_H_
#define SMTPSPEC_ENGINE_EXT_EXTENSION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command.h"
#include "engine/ehlo.h"
#include "engine/esmtp.h"
#include "engine/model/extension_rules.h"
#include "engine/reply.h"
#include "engine/server/error.h"

namespace smtpspec::ext {

using server::Error;

class Extension;

// The modules a server offers, in the order of their EHLO lines. Modules
// are immutable and must outlive every list that names them: the built-in
// ones live in Registry() (registry.h), a test's in the test.
using List = std::vector<const Extension*>;

// What a module may know when it answers: the server's limits and the
// connection as it is now. Filled by the machine for each question.
struct Context {
  // server::Config::max_message_size; 0 is no limit.
  std::uint64_t max_message_size = 0;
  // TLS is active on the connection (STARTTLS done, or implicit TLS).
  bool tls = false;
  // Every module the server offers, this one included.
  std::span<const Extension* const> offered;
};

// Behaviours of the engine's own that a module switches on by being
// offered. Plain data; the machine ORs them over its modules.
struct Switches {
  // RFC 6531 3.3: UTF-8 in paths, parameter values and the EHLO domain.
  bool utf8 = false;
  // RFC 2034 3: enhanced status codes on 2xx/4xx/5xx replies once the
  // EHLO response has advertised them.
  bool enhanced_codes = false;
};

// A module's state in one mail transaction (RFC 5321 3.3): what MAIL's
// parameters told it. One is made when a MAIL gives one of the module's
// parameters (a MAIL without any costs no allocation); it lives in the
// transaction (server::Transaction) and goes with it (RSET, end of data:
// 4.1.1.5, 4.1.1.4). Each module derives its own; no state means nothing
// was declared.
class State {
 public:
  virtual ~State() = default;
};

// What a client acts on, as learnt from a server's EHLO response (RFC 5321
// 4.1.1.1, 2.2.2). Plain data; each module fills its own fields (Learn),
// so the client machine knows no keyword by name.
struct Learned {
  bool starttls = false;        // RFC 3207
  bool eight_bit_mime = false;  // RFC 6152
  bool size = false;            // RFC 1870
  // The advertised maximum message size; 0 means "no fixed maximum"
  // (RFC 1870 4), as does SIZE without a parameter.
  std::uint64_t size_limit = 0;

  bool operator==(const Learned&) const = default;
};

// One module's state, tagged with its module.
struct ModuleState {
  const Extension* module = nullptr;
  std::unique_ptr<State> state;
};
using States = std::vector<ModuleState>;

class Extension {
 public:
  virtual ~Extension() = default;

  // The module's name in configuration files ("size", "8bitmime", "help"):
  // lower case, unique among the modules of a server.
  virtual std::string_view name() const = 0;

  // Whether the module is in force on this connection now. STARTTLS is not
  // once TLS is active (RFC 3207 4.2): it is not advertised, and its verb
  // is refused. Everything below is asked only of available modules.
  virtual bool Available(const Context& context) const { return true; }

  // Its EHLO keyword in upper case ("SIZE"), or empty for a module that
  // adds only a verb (HELP).
  virtual std::string_view keyword() const { return {}; }

  // Its line in the EHLO response after the greeting line (RFC 5321
  // 4.1.1.1 ehlo-line: keyword and parameters, "SIZE 10485760"); nullopt
  // for a module without a keyword. By default the keyword alone.
  virtual std::optional<std::string> EhloLine(const Context& context) const {
    if (keyword().empty()) return std::nullopt;
    return std::string(keyword());
  }

  // The client side: what a client learns from the server's line with
  // this module's keyword (the first such line; parameters as read by
  // ParseEhlo's kLenient). Nothing by default.
  virtual void Learn(const EhloKeyword& line, Learned& learned) const {}

  // The MAIL FROM and RCPT TO parameters it defines (RFC 5321 4.1.1.11),
  // keywords in upper case; matched without regard to case (2.4).
  virtual std::span<const std::string_view> mail_parameters() const {
    return {};
  }
  virtual std::span<const std::string_view> rcpt_parameters() const {
    return {};
  }

  // Checks one of its MAIL parameters (the machine has checked the esmtp
  // syntax, repetition and EHLO). nullopt accepts it; the module may note
  // it in `state`, this MAIL's fresh state from NewState() (null when it
  // keeps none). A refusal is the reply to MAIL: 501 malformed value, 504
  // value not implemented, 552 too big...
  virtual std::optional<Error> CheckMail(const Parameter& parameter,
                                         const Context& context,
                                         State* state) const {
    return std::nullopt;
  }
  // The same for one of its RCPT parameters. The transaction's state is
  // read-only here: a refused RCPT must change nothing (RFC 5321 4.1.1.3),
  // and what a recipient asked for stays in its own parameters.
  virtual std::optional<Error> CheckRcpt(const Parameter& parameter,
                                         const Context& context,
                                         const State* state) const {
    return std::nullopt;
  }

  // A fresh state for a transaction whose MAIL gives one of its
  // parameters, or null when it keeps none.
  virtual std::unique_ptr<State> NewState() const { return nullptr; }

  // The verbs it adds (BDAT, STARTTLS, HELP). A verb outside RFC 5321's
  // minimum implementation (4.5.1) that no offered module adds is answered
  // 502 (4.2.4).
  virtual std::span<const Verb> verbs() const { return {}; }

  // The reply to one of its verbs when a reply is all it takes (HELP);
  // nullopt leaves the verb to the machine, for verbs that change the
  // session (BDAT reads a chunk, STARTTLS starts TLS). The machine has
  // applied the sequence rules (engine/server/legality.h) first.
  virtual std::optional<Reply> Answer(const Command& command,
                                      const Context& context) const {
    return std::nullopt;
  }

  virtual Switches switches() const { return {}; }

  // The rules it adds to the reference model of a server
  // (engine/model/extension_rules.h), judged while a server advertises its
  // keyword; null when it adds none.
  virtual const model::ServerRules* server_rules() const { return nullptr; }
};

// The module named `name` in `list`, or null.
const Extension* Find(const List& list, std::string_view name);

// The module in `list` that adds `verb`, or null.
const Extension* ForVerb(const List& list, Verb verb);

// The module in `list` that defines the MAIL (or RCPT) parameter
// `keyword`, case-insensitively (RFC 5321 2.4), or null.
const Extension* ForMailParameter(const List& list, std::string_view keyword);
const Extension* ForRcptParameter(const List& list, std::string_view keyword);

// The switches of every module in `list`, ORed.
Switches SwitchesOf(const List& list);

// `module`'s state among `states`, made (NewState) and added when it is
// not there yet; null when the module keeps none.
State* StateFor(States& states, const Extension& module);

// What a client learns from `response`: each advertised keyword, its first
// line only, goes to the module of `list` with that keyword (keywords
// compared without regard to case, RFC 5321 2.4); keywords no module
// knows are ignored, as a client must (RFC 5321 2.2.2).
Learned LearnFromEhlo(const EhloResponse& response, const List& list);

// `module`'s state among `states`, or null.
State* FindState(const States& states, const Extension& module);

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_EXTENSION_H_
