// The positive reply to EHLO: the server's name, an optional greeting, and
// one line per service extension (RFC 5321 4.1.1.1):
//
//   ehlo-ok-rsp  = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//                / ( "250-" Domain [ SP ehlo-greet ] CRLF
//                    *( "250-" ehlo-line CRLF )
//                    "250" SP ehlo-line CRLF )
//   ehlo-greet   = 1*(%d0-9 / %d11-12 / %d14-127)
//   ehlo-line    = ehlo-keyword *( SP ehlo-param )
//   ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
//   ehlo-param   = 1*(%d33-126)
//
// The parser is strict: a line such as "AUTH=PLAIN LOGIN", which some
// servers add for pre-RFC 4954 clients, is not an ehlo-line and fails the
// whole reply, so a conformance check sees it.
#ifndef SMTPSPEC_ENGINE_EHLO_H_
#define SMTPSPEC_ENGINE_EHLO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/reply.h"
#include "engine/result.h"

namespace smtpspec {

// One advertised extension: "SIZE 10240000" is {"SIZE", {"10240000"}}.
// The keyword keeps its spelling; compare it case-insensitively (RFC 5321
// 2.4), as FindKeyword does.
struct EhloKeyword {
  std::string keyword;
  std::vector<std::string> params;

  bool operator==(const EhloKeyword&) const = default;
};

struct EhloResponse {
  std::string domain;    // the server's name, first word of the first line
  std::string greeting;  // the rest of the first line; "" when absent
  std::vector<EhloKeyword> keywords;  // in the order advertised

  bool operator==(const EhloResponse&) const = default;
};

// Parses a reply to EHLO. Fails for a code other than 250, an enhanced
// status code (RFC 2034 section 3 exempts EHLO replies), a first line that
// is not Domain [SP ehlo-greet], or a later line that is not an ehlo-line.
// Error offsets count bytes of the reply's wire form ("250-...\r\n250 ...").
Result<EhloResponse> ParseEhloResponse(const Reply& reply);

// The 250 reply that advertises `response`: the first line is the domain
// and greeting, then one line per keyword with its params.
Reply RenderEhloResponse(const EhloResponse& response);

// The first advertised keyword that matches, case-insensitively, or null.
const EhloKeyword* FindKeyword(const EhloResponse& response,
                               std::string_view keyword);

// The SIZE extension's fixed maximum message size (RFC 1870 section 4:
// "SIZE" [SP 1*DIGIT]): nullopt when SIZE has no parameter (no information
// given), 0 when there is no fixed maximum, else the limit in octets.
// Fails when SIZE is not advertised or its parameter is not one decimal
// number that fits in 64 bits; offsets count within the parameter.
Result<std::optional<std::uint64_t>> SizeLimit(const EhloResponse& response);

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_EHLO_H_
