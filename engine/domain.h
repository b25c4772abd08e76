// The right-hand side of a mailbox: a domain name or an address literal
// (RFC 5321 4.1.2 Domain / address-literal, 4.1.3 address literals).
//
//   Domain            = sub-domain *("." sub-domain)
//   sub-domain        = Let-dig [Ldh-str]          ; =/ U-label (RFC 6531)
//   address-literal   = "[" ( IPv4-address-literal / IPv6-address-literal /
//                             General-address-literal ) "]"
//
// Parsing checks syntax only. Lengths (RFC 5321 4.5.3.1.2: 255 octets;
// RFC 1035 2.3.4: 63 octets a label) are a separate check, so that a caller
// can report them as what they are: limits an implementation may exceed.
#ifndef SMTPSPEC_ENGINE_DOMAIN_H_
#define SMTPSPEC_ENGINE_DOMAIN_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/result.h"
#include "engine/syntax.h"

namespace smtpspec {

struct Domain {
  enum class Kind {
    kName,     // mail.example.org
    kIPv4,     // [192.0.2.1]
    kIPv6,     // [IPv6:2001:db8::1]
    kGeneral,  // [tag:content], RFC 5321 4.1.3 General-address-literal
  };
  Kind kind = Kind::kName;
  // kName: the name as sent, case preserved (compare case-insensitively,
  // RFC 5321 2.4). kIPv4: "192.0.2.1". kIPv6: the address after "IPv6:",
  // "2001:db8::1". kGeneral: the content after "tag:". Never the brackets.
  std::string value;
  // kGeneral only: the Standardized-tag (e.g. "x-example"); empty otherwise.
  std::string tag;

  bool operator==(const Domain&) const = default;
};

// Parses `text`, all of it, as a Domain or an address-literal. Errors carry
// the offset of the first byte that does not fit and say why, citing
// RFC 5321 4.1.2 or 4.1.3.
Result<Domain> ParseDomain(std::string_view text,
                           Charset charset = Charset::kAscii);

// Parses a Domain or address-literal at the start of `text` and stores the
// number of bytes it took in *length. A name stops at the end of `text` or
// before a control byte, space, '>', ',' or ':' (what may follow a domain
// in a path); any other byte is part of the name and must be valid there.
// For parsers of larger syntax (paths, EHLO replies).
Result<Domain> ParseDomainPrefix(std::string_view text, Charset charset,
                                 std::size_t* length);

// The wire form: "example.org", "[192.0.2.1]", "[IPv6:::1]", "[tag:x]".
// Fails, rather than emit something that would not parse back to the same
// Domain, when the fields are not valid for their kind (an empty name, a
// label starting with '-', an IPv4 value of "1.2.3", a general tag "IPv6",
// non-ASCII without kUtf8, ...). The offset is within the rendered text.
Result<std::string> RenderDomain(const Domain& domain,
                                 Charset charset = Charset::kAscii);

// RFC 5321 4.5.3.1.2: at most 255 octets for "a domain name or number";
// RFC 1035 2.3.4: at most 63 octets a label. Measured on the rendered form
// (so a literal counts its brackets); an unrenderable domain fails too.
Status CheckDomainLengths(const Domain& domain);

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_DOMAIN_H_
