#include "engine/verb.h"

#include <cstddef>

namespace smtpspec::wire {
namespace {

struct Spelling {
  Verb verb;
  std::string_view name;
};

constexpr Spelling kSpellings[] = {
    {Verb::kEhlo, "EHLO"}, {Verb::kHelo, "HELO"}, {Verb::kMail, "MAIL"},
    {Verb::kRcpt, "RCPT"}, {Verb::kData, "DATA"}, {Verb::kRset, "RSET"},
    {Verb::kNoop, "NOOP"}, {Verb::kQuit, "QUIT"}, {Verb::kVrfy, "VRFY"},
    {Verb::kExpn, "EXPN"}, {Verb::kHelp, "HELP"}, {Verb::kStarttls, "STARTTLS"},
    {Verb::kAuth, "AUTH"}, {Verb::kBdat, "BDAT"},
};

// ASCII only: a locale must not change what a verb is (RFC 5321 2.4).
bool EqualsUpper(std::string_view name, std::string_view upper) {
  if (name.size() != upper.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

}  // namespace

Verb VerbFromName(std::string_view name) {
  // Every verb has four letters but STARTTLS: skip the loop for the rest.
  if (name.size() != 4 && name.size() != 8) return Verb::kUnknown;
  for (const Spelling& spelling : kSpellings) {
    if (EqualsUpper(name, spelling.name)) return spelling.verb;
  }
  return Verb::kUnknown;
}

std::string_view VerbName(Verb verb) {
  for (const Spelling& spelling : kSpellings) {
    if (spelling.verb == verb) return spelling.name;
  }
  return "";
}

}  // namespace smtpspec::wire
