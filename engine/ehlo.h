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
// One parser for every reader of an EHLO reply, in two modes:
//
// * kStrict reads the grammar as written. Every deviation is a problem (an
//   Error at its wire offset), and a line that is not an ehlo-line, such as
//   "AUTH=PLAIN LOGIN" (added by some servers for pre-RFC 4954 clients),
//   gives no keyword. A conformance check uses it.
// * kLenient reads what clients act on, which must not fail on a line
//   they do not understand: words split at any run of
//   spaces or tabs, blank lines skipped, and the legacy "AUTH=PLAIN LOGIN"
//   read as AUTH with params {PLAIN, LOGIN}. It records no problems. The
//   domain is still the text before the first space, possibly empty, so a
//   model can judge it.
//
// In both modes keywords are upper-cased: RFC 5321 4.1.1.1 says they
// "MUST always be recognized and processed in a case-insensitive manner".
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

// One advertised extension: "size 10240000" is {"SIZE", {"10240000"}}.
struct EhloKeyword {
  std::string keyword;  // upper-cased
  std::vector<std::string> params;

  bool operator==(const EhloKeyword &) const = default;
};

enum class EhloMode { kStrict, kLenient };

struct EhloResponse {
  std::string domain;    // the server's name, first word of the first line
  std::string greeting;  // the rest of the first line; "" when absent
  std::vector<EhloKeyword> keywords;  // in the order advertised
  // kStrict only: every deviation from the grammar above, in wire order.
  // Offsets count bytes of the reply's wire form ("250-...\r\n250 ...").
  std::vector<Error> problems;

  bool operator==(const EhloResponse &) const = default;
};

// Reads any reply as a reply to EHLO (the caller checks the code for
// itself; in kStrict a code other than 250 and an enhanced status code,
// which RFC 2034 section 3 exempts EHLO replies from, are problems).
EhloResponse ParseEhlo(const Reply &reply, EhloMode mode);

// ParseEhlo in kStrict, failing with the first problem: a code other than
// 250, an enhanced status code, a first line that is not Domain [SP
// ehlo-greet], or a later line that is not an ehlo-line.
Result<EhloResponse> ParseEhloResponse(const Reply &reply);

// The 250 reply that advertises `response`: the first line is the domain
// and greeting, then one line per keyword with its params.
Reply RenderEhloResponse(const EhloResponse &response);

// The first advertised keyword that matches, case-insensitively, or null.
// AdvertisesKeyword: whether a reply, read in kLenient, has `keyword`.
const EhloKeyword *FindKeyword(const EhloResponse &response,
                               std::string_view keyword);
bool AdvertisesKeyword(const Reply &reply, std::string_view keyword);

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_EHLO_H_
