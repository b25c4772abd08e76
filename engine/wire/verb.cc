#include "engine/wire/verb.h"

#include <cstddef>
#include <cstdint>

namespace smtpspec::wire {
namespace {

// The bytes of a 4- or 8-byte name as one word, byte i in bits 8i..8i+7.
// Compilers turn the loop into a single load.
template <std::size_t N>
constexpr std::uint64_t Pack(const char* p) {
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < N; ++i) {
    word |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  }
  return word;
}

// The word of an upper-case verb spelling, for case labels.
constexpr std::uint64_t Key(std::string_view upper) {
  return upper.size() == 8 ? Pack<8>(upper.data()) : Pack<4>(upper.data());
}

// Clearing bit 5 of every byte folds 'a'-'z' onto 'A'-'Z' and maps no other
// byte onto a letter, so comparing folded words compares letters without
// regard to case (RFC 5321 2.4) and matches nothing else; bytes above 0x7F
// keep their top bit and never match. No locale is involved.
constexpr std::uint64_t kFold = 0xDFDFDFDFDFDFDFDFu;

}  // namespace

Verb VerbFromName(std::string_view name) {
  // Every verb has four letters but STARTTLS; a 4-byte name has zero high
  // bytes, so it never matches STARTTLS's word.
  std::uint64_t key;
  if (name.size() == 4) {
    key = Pack<4>(name.data()) & kFold;
  } else if (name.size() == 8) {
    key = Pack<8>(name.data()) & kFold;
  } else {
    return Verb::kUnknown;
  }
  // Compilers turn the switch into a binary search over the words.
  switch (key) {
    case Key("EHLO"):
      return Verb::kEhlo;
    case Key("HELO"):
      return Verb::kHelo;
    case Key("MAIL"):
      return Verb::kMail;
    case Key("RCPT"):
      return Verb::kRcpt;
    case Key("DATA"):
      return Verb::kData;
    case Key("RSET"):
      return Verb::kRset;
    case Key("NOOP"):
      return Verb::kNoop;
    case Key("QUIT"):
      return Verb::kQuit;
    case Key("VRFY"):
      return Verb::kVrfy;
    case Key("EXPN"):
      return Verb::kExpn;
    case Key("HELP"):
      return Verb::kHelp;
    case Key("STARTTLS"):
      return Verb::kStarttls;
    case Key("AUTH"):
      return Verb::kAuth;
    case Key("BDAT"):
      return Verb::kBdat;
  }
  return Verb::kUnknown;
}

std::string_view VerbName(Verb verb) {
  switch (verb) {
    case Verb::kEhlo:
      return "EHLO";
    case Verb::kHelo:
      return "HELO";
    case Verb::kMail:
      return "MAIL";
    case Verb::kRcpt:
      return "RCPT";
    case Verb::kData:
      return "DATA";
    case Verb::kRset:
      return "RSET";
    case Verb::kNoop:
      return "NOOP";
    case Verb::kQuit:
      return "QUIT";
    case Verb::kVrfy:
      return "VRFY";
    case Verb::kExpn:
      return "EXPN";
    case Verb::kHelp:
      return "HELP";
    case Verb::kStarttls:
      return "STARTTLS";
    case Verb::kAuth:
      return "AUTH";
    case Verb::kBdat:
      return "BDAT";
    case Verb::kUnknown:
      break;
  }
  return "";
}

bool InMinimumImplementation(Verb verb) {
  switch (verb) {
    case Verb::kEhlo:
    case Verb::kHelo:
    case Verb::kMail:
    case Verb::kRcpt:
    case Verb::kData:
    case Verb::kRset:
    case Verb::kNoop:
    case Verb::kQuit:
    case Verb::kVrfy:
      return true;
    default:
      return false;
  }
}

}  // namespace smtpspec::wire
