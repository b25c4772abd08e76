#include "engine/data/dot_stuffer.h"

#include <utility>

#include "engine/data/notice.h"

namespace smtpspec::data {

Stuffer::Stuffer(LineEndings policy) : policy_(policy) {}

Status Stuffer::Fail(std::size_t offset, std::string reason) {
  error_ = Error{offset, std::move(reason)};
  return *error_;
}

// A CR or LF that is not part of a CRLF. `fix` is what turns it into a
// CRLF: the CR is already in *out, so a bare CR only needs the LF.
Status Stuffer::Bare(notice::Kind kind, std::size_t offset,
                     std::string_view fix, std::string* out) {
  if (policy_ == LineEndings::kReject) {
    return Fail(offset, notice::Describe(kind));
  }
  out->append(fix);
  line_start_ = true;
  return OkStatus();
}

Status Stuffer::Feed(std::string_view content, std::string* out) {
  if (error_) return *error_;
  if (finished_) {
    return Fail(offset_, "message content after the end of data was sent");
  }
  std::size_t i = 0;
  while (i < content.size()) {
    const char c = content[i];
    const std::size_t pos = offset_ + i;
    if (cr_pending_) {
      cr_pending_ = false;
      if (c == '\n') {
        out->push_back('\n');
        line_start_ = true;
        ++i;
        continue;
      }
      if (Status s = Bare(notice::Kind::kBareCr, cr_offset_, "\n", out);
          !s.ok())
        return s;
    }
    if (c == '\r') {
      // Written now; whether it is a bare CR depends on the next byte,
      // which may come in the next chunk.
      out->push_back('\r');
      cr_pending_ = true;
      cr_offset_ = pos;
      line_start_ = false;
      ++i;
      continue;
    }
    if (c == '\n') {
      if (Status s = Bare(notice::Kind::kBareLf, pos, "\r\n", out); !s.ok())
        return s;
      ++i;
      continue;
    }
    // RFC 5321 4.5.2: a line that begins with '.' gets one more in front.
    if (line_start_ && c == '.') out->push_back('.');
    line_start_ = false;
    // Everything up to the next CR or LF is copied as is, 8-bit included.
    std::size_t end = content.find_first_of("\r\n", i);
    if (end == std::string_view::npos) end = content.size();
    out->append(content.substr(i, end - i));
    i = end;
  }
  offset_ += content.size();
  return OkStatus();
}

Status Stuffer::Finish(std::string* out) {
  if (error_) return *error_;
  if (finished_) return Fail(offset_, "the end of data was already sent");
  finished_ = true;
  if (cr_pending_) {
    cr_pending_ = false;
    if (Status s = Bare(notice::Kind::kBareCr, cr_offset_, "\n", out); !s.ok())
      return s;
  }
  // RFC 5321 4.1.1.4: <CRLF>.<CRLF>, where the first CRLF ends the last
  // content line; right after the 354 (empty content) only ".<CRLF>".
  if (!line_start_) out->append("\r\n");
  out->append(".\r\n");
  return OkStatus();
}

Result<std::string> Stuff(std::string_view content, LineEndings policy) {
  Stuffer stuffer(policy);
  std::string out;
  out.reserve(content.size() + content.size() / 16 + 5);
  if (Status s = stuffer.Feed(content, &out); !s.ok()) return s.error();
  if (Status s = stuffer.Finish(&out); !s.ok()) return s.error();
  return out;
}

}  // namespace smtpspec::data
