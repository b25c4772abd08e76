// Mailboxes and the paths of MAIL and RCPT (RFC 5321 4.1.2):
//
//   Reverse-path = Path / "<>"
//   Forward-path = Path
//   Path         = "<" [ A-d-l ":" ] Mailbox ">"
//   A-d-l        = At-domain *( "," At-domain )     ; source route
//   Mailbox      = Local-part "@" ( Domain / address-literal )
//   Local-part   = Dot-string / Quoted-string
//
// plus the "<Postmaster>" that RCPT accepts without a domain (4.1.1.3).
//
// A local-part is stored decoded: `"john smith"` is kept as `john smith`,
// `"a\"b"` as `a"b`. Rendering quotes it again when, and only when, it is
// not a valid Dot-string, so no caller can emit an illegal unquoted
// local-part, and whatever renders parses back to the same value.
//
// Parsing checks syntax; the length limits of 4.5.3.1 are checked apart by
// CheckLengths, as a server may accept longer paths (4.5.3.1: "MUST accept
// at least", not "MUST reject beyond").
#ifndef SMTPSPEC_ENGINE_PATH_H_
#define SMTPSPEC_ENGINE_PATH_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/domain.h"
#include "engine/result.h"
#include "engine/syntax.h"

namespace smtpspec {

struct Mailbox {
  // Decoded: without the quotes and backslashes of a Quoted-string. May be
  // case-sensitive (RFC 5321 2.4), so it is kept as sent.
  std::string local_part;
  Domain domain;

  bool operator==(const Mailbox&) const = default;
};

struct Path {
  enum class Kind {
    kMailbox,     // <user@example.org>
    kNull,        // <>, the null reverse-path (RFC 5321 4.5.5, 6.1)
    kPostmaster,  // <Postmaster>, RCPT only (RFC 5321 4.1.1.3, 4.5.1)
  };
  Kind kind = Kind::kMailbox;
  // A source route <@a,@b:user@c> (the domain names a, b in order, without
  // '@'). RFC 5321 4.1.2 and appendix C: servers MUST accept it and SHOULD
  // ignore it; clients SHOULD NOT send it. Recorded so that a conformance
  // check can see it was sent. Empty unless kMailbox.
  std::vector<std::string> source_route;
  // kMailbox: the mailbox. kPostmaster: local_part holds "Postmaster" as
  // spelled (any case) and the domain is empty. kNull: empty.
  Mailbox mailbox;

  bool operator==(const Path&) const = default;
};

// Parse `text`, all of it, as the path of MAIL (may be "<>") or of RCPT
// (may be "<Postmaster>", any case). Errors give the offset in `text` of
// the first byte that does not fit, and a reason citing the grammar.
Result<Path> ParseReversePath(std::string_view text,
                              Charset charset = Charset::kAscii);
Result<Path> ParseForwardPath(std::string_view text,
                              Charset charset = Charset::kAscii);

// The same, for a path at the start of `text`, storing the number of bytes
// it took in *length. For command parsers (esmtp.h), which cannot simply
// look for '>' because a quoted local-part may contain '>' and spaces.
Result<Path> ParseReversePathPrefix(std::string_view text, Charset charset,
                                    std::size_t* length);
Result<Path> ParseForwardPathPrefix(std::string_view text, Charset charset,
                                    std::size_t* length);

// Parses `text`, all of it, as a Mailbox ("user@example.org", no brackets).
Result<Mailbox> ParseMailbox(std::string_view text,
                             Charset charset = Charset::kAscii);

// The wire form of a local-part: as is when it is a valid Dot-string,
// otherwise a Quoted-string with '"' and '\' escaped ("john smith" ->
// "\"john smith\"", "" -> "\"\""). Fails, at the offending byte's offset in
// `local_part`, for what no SMTP syntax can carry: CR, LF, other control
// bytes, DEL, and bytes >= 0x80 unless `charset` is kUtf8 and they are
// well-formed UTF-8 (RFC 5321 4.1.2 qtextSMTP and quoted-pairSMTP cover
// only %d32-126; RFC 6531 3.3).
Result<std::string> RenderLocalPart(std::string_view local_part,
                                    Charset charset = Charset::kAscii);

// "local-part@domain", quoting as RenderLocalPart. Errors name the field
// and give the offset within it.
Result<std::string> RenderMailbox(const Mailbox& mailbox,
                                  Charset charset = Charset::kAscii);

// "<>", "<Postmaster>" (as spelled in local_part, or "Postmaster" when
// empty), "<@a,@b:user@example.org>" or "<user@example.org>". Fails for
// fields that contradict the kind (a source route on <>, a local-part other
// than postmaster on kPostmaster) and for anything RenderMailbox refuses.
Result<std::string> RenderPath(const Path& path,
                               Charset charset = Charset::kAscii);

// The limits of RFC 5321 4.5.3.1, measured on RenderPath's form (which
// quotes and escapes only what it must, so no other spelling of the path
// is shorter): local-part 64 octets (4.5.3.1.1), each domain 255 octets
// (4.5.3.1.2) with labels of 63 (RFC 1035 2.3.4), and the path with its
// angle brackets and source route 256 octets (4.5.3.1.3). The reason names
// the limit; the offset is where the long element starts in the rendered
// path. A path that does not render fails with RenderPath's error.
Status CheckLengths(const Path& path);

// True for <Postmaster> and for a mailbox whose local-part is "postmaster"
// in any case (RFC 5321 4.1.1.3, 4.5.1), whatever its domain: whether the
// domain is one of the server's is the server's question.
bool IsPostmaster(const Path& path);

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_PATH_H_
