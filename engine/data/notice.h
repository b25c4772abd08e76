// What a DATA reader notices in message content without rejecting it:
// bare CR and bare LF (RFC 5321 2.3.8), over-long text lines (4.5.3.1.6)
// and the end-of-data look-alikes behind "SMTP smuggling".
//
// SMTP smuggling (SEC Consult, December 2023): the real end of data is
// <CRLF>.<CRLF> (RFC 5321 4.1.1.4). Some servers also end the data on
// variants built from bare line feeds or carriage returns, e.g. <LF>.<LF>.
// When an outbound server passes such a variant through as content and the
// next hop ends the data on it, the bytes after it are read as new SMTP
// commands: a second, forged message. A conformant reader treats every
// variant as content; smtpspec reports each one so a finding can name it.
#ifndef SMTPSPEC_ENGINE_DATA_NOTICE_H_
#define SMTPSPEC_ENGINE_DATA_NOTICE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::data {

namespace notice {

enum class Kind {
  // RFC 5321 2.3.8: CR and LF may only appear together, as CRLF.
  kBareCr,
  kBareLf,
  // RFC 5321 4.5.3.1.6: a text line is at most 1000 octets including CRLF.
  kLongLine,
  // "<line break>.<line break>" where the breaks are not both CRLF: looks
  // like the end of data (RFC 5321 4.1.1.4) to a lax reader but is content.
  // Named before-dot-after; the stream start counts as a CRLF (the one that
  // ended the DATA command), so ".<LF>" right after the 354 is kCrLfDotLf.
  kLfDotLf,
  kLfDotCrLf,
  kLfDotCr,
  kCrLfDotLf,
  kCrLfDotCr,
  kCrDotCr,
  kCrDotCrLf,
  kCrDotLf,
};

// All eight end-of-data look-alikes, in declaration order. A reader given
// this list as its accepted ends behaves like the laxest broken server.
std::vector<Kind> EndLookAlikes();

// True for the eight look-alike kinds.
bool IsEndLookAlike(Kind kind);

// How a look-alike is written in reports, e.g. "<LF>.<LF>"; "" for the
// other kinds.
std::string_view Spelling(Kind kind);

// A one-sentence description citing the RFC section, for reports.
std::string Describe(Kind kind);

}  // namespace notice

// One thing noticed, at a byte offset counted from the first byte after the
// 354 reply's data starts (the first byte given to the reader).
//   kBareCr, kBareLf: the offset of that CR or LF.
//   kLongLine: the offset of the first octet beyond 998 on the line (one
//     notice per line).
//   look-alikes: the offset of the '.'.
struct Notice {
  notice::Kind kind = notice::Kind::kBareLf;
  std::size_t offset = 0;

  bool operator==(const Notice&) const = default;
};

}  // namespace smtpspec::data

#endif  // SMTPSPEC_ENGINE_DATA_NOTICE_H_
