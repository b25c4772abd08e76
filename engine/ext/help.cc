#include "engine/ext/help.h"

#include <string>

#include "engine/wire/verb.h"

namespace smtpspec::ext {
namespace {

constexpr Verb kVerbs[] = {Verb::kHelp};

}  // namespace

std::span<const Verb> Help::verbs() const { return kVerbs; }

std::optional<Reply> Help::Answer(const Command& command,
                                  const Context& context) const {
  // RFC 5321 4.1.1.8: 211 or 214. The command "MAY take an argument (e.g.,
  // any command name) and return more specific information"; general help
  // answers any argument. RFC 5321 4.5.1's minimum implementation first,
  // then what the modules add.
  std::string text = "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY";
  for (const Extension* module : context.offered) {
    if (!module->Available(context)) continue;
    for (Verb verb : module->verbs()) {
      text += ' ';
      text += wire::VerbName(verb);
    }
  }
  return Reply{214, EnhancedCode{2, 0, 0}, {std::move(text)}};
}

}  // namespace smtpspec::ext
