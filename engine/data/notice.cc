#include "engine/data/notice.h"

#include <string>

namespace smtpspec::data::notice {

std::vector<Kind> EndLookAlikes() {
  return {Kind::kLfDotLf,   Kind::kLfDotCrLf, Kind::kLfDotCr,
          Kind::kCrLfDotLf, Kind::kCrLfDotCr, Kind::kCrDotCr,
          Kind::kCrDotCrLf, Kind::kCrDotLf};
}

bool IsEndLookAlike(Kind kind) { return !Spelling(kind).empty(); }

std::string_view Spelling(Kind kind) {
  switch (kind) {
    case Kind::kBareCr:
    case Kind::kBareLf:
    case Kind::kLongLine:
      return "";
    case Kind::kLfDotLf:
      return "<LF>.<LF>";
    case Kind::kLfDotCrLf:
      return "<LF>.<CRLF>";
    case Kind::kLfDotCr:
      return "<LF>.<CR>";
    case Kind::kCrLfDotLf:
      return "<CRLF>.<LF>";
    case Kind::kCrLfDotCr:
      return "<CRLF>.<CR>";
    case Kind::kCrDotCr:
      return "<CR>.<CR>";
    case Kind::kCrDotCrLf:
      return "<CR>.<CRLF>";
    case Kind::kCrDotLf:
      return "<CR>.<LF>";
  }
  return "";
}

std::string Describe(Kind kind) {
  switch (kind) {
    case Kind::kBareCr:
      return "bare CR in message content; RFC 5321 2.3.8 allows CR only as "
             "part of CRLF";
    case Kind::kBareLf:
      return "bare LF in message content; RFC 5321 2.3.8 allows LF only as "
             "part of CRLF";
    case Kind::kLongLine:
      return "text line longer than 1000 octets including CRLF (RFC 5321 "
             "4.5.3.1.6)";
    default:
      return std::string(Spelling(kind)) +
             " in message content: not the end of data, which is only "
             "<CRLF>.<CRLF> (RFC 5321 4.1.1.4); an SMTP smuggling vector";
  }
}

}  // namespace smtpspec::data::notice
