#include "engine/data/reader.h"

#include <algorithm>
#include <utility>

namespace smtpspec::data {
namespace {

// RFC 5321 4.5.3.1.6: 1000 octets including the CRLF.
constexpr std::size_t kMaxTextOctets = 998;

}  // namespace

notice::Kind Reader::LookAlikeKind(After before, std::string_view after) {
  using notice::Kind;
  if (before == After::kLf) {
    return after == "\n"   ? Kind::kLfDotLf
           : after == "\r" ? Kind::kLfDotCr
                           : Kind::kLfDotCrLf;
  }
  if (before == After::kCr) {
    return after == "\n"   ? Kind::kCrDotLf
           : after == "\r" ? Kind::kCrDotCr
                           : Kind::kCrDotCrLf;
  }
  return after == "\n" ? Kind::kCrLfDotLf : Kind::kCrLfDotCr;
}

Reader::Reader(ReaderOptions options) : options_(std::move(options)) {}

std::string Reader::TakeContent() {
  std::string out;
  out.swap(content_);
  return out;
}

std::size_t Reader::Feed(std::string_view bytes) {
  if (done_) return 0;
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (dot_ == Dot::kNone && after_ == After::kText) {
      // The middle of a line: copy up to the next CR or LF in one go.
      std::size_t end = bytes.find_first_of("\r\n", i);
      if (end == std::string_view::npos) end = bytes.size();
      if (end > i) {
        TextRun(offset_ + i, end - i);
        Emit(bytes.substr(i, end - i));
        i = end;
        continue;
      }
    }
    bool consumed = true;
    const bool ended = Step(bytes[i], offset_ + i, &consumed);
    if (consumed) ++i;
    if (ended) {
      done_ = true;
      break;
    }
  }
  offset_ += i;
  return i;
}

bool Reader::Step(char c, std::size_t pos, bool* consumed) {
  switch (dot_) {
    case Dot::kNone:
      Plain(c, pos);
      return false;
    case Dot::kDot:
      if (c == '\r') {
        dot_ = Dot::kDotCr;
        return false;
      }
      if (c == '\n' && LookAlike(LookAlikeKind(dot_after_, "\n"))) {
        return true;
      }
      ReleaseDot();
      Plain(c, pos);
      return false;
    case Dot::kDotCr:
      if (c == '\n') {
        if (dot_after_ == After::kCrLf) {
          // RFC 5321 4.1.1.4: <CRLF>.<CRLF>, the end of data.
          dot_ = Dot::kNone;
          return true;
        }
        if (LookAlike(LookAlikeKind(dot_after_, "\r\n"))) return true;
        ReleaseDot();
        Plain('\r', dot_offset_ + 1);
        Plain('\n', pos);
        return false;
      }
      // The CR after the '.' is bare.
      if (LookAlike(LookAlikeKind(dot_after_, "\r"))) {
        *consumed = false;
        return true;
      }
      ReleaseDot();
      Plain('\r', dot_offset_ + 1);
      // `c` now follows a bare CR: it may start another look-alike.
      return Step(c, pos, consumed);
  }
  return false;
}

void Reader::Plain(char c, std::size_t pos) {
  if (after_ == After::kCr) {
    if (c == '\n') {
      Emit("\n");
      after_ = After::kCrLf;
      line_octets_ = 0;
      return;
    }
    // RFC 5321 2.3.8: the CR was bare; it is content, not a line end.
    Note(notice::Kind::kBareCr, cr_offset_);
    Text(cr_offset_);
  }
  if (c == '.' && after_ != After::kText) {
    dot_ = Dot::kDot;
    dot_after_ = after_;
    dot_offset_ = pos;
    return;
  }
  if (c == '\r') {
    // Content either way; the next byte says whether it ends the line.
    Emit("\r");
    after_ = After::kCr;
    cr_offset_ = pos;
    return;
  }
  if (c == '\n') {
    Note(notice::Kind::kBareLf, pos);
    after_ = After::kLf;
  } else {
    after_ = After::kText;
  }
  Text(pos);
  Emit(std::string_view(&c, 1));
}

bool Reader::LookAlike(notice::Kind kind) {
  Note(kind, dot_offset_);
  const auto& ends = options_.accepted_ends;
  if (std::find(ends.begin(), ends.end(), kind) == ends.end()) return false;
  ended_by_ = kind;
  dot_ = Dot::kNone;
  return true;
}

void Reader::ReleaseDot() {
  // RFC 5321 4.5.2: a line starting with '.' that is not the end of data
  // loses its first '.'. After a bare CR or LF no line starts (2.3.8), so
  // the '.' is kept: the content is exactly what the client sent.
  if (dot_after_ != After::kCrLf) Emit(".");
  Text(dot_offset_);  // an octet of the wire line either way
  dot_ = Dot::kNone;
  after_ = After::kText;
}

void Reader::Text(std::size_t pos) { TextRun(pos, 1); }

void Reader::TextRun(std::size_t pos, std::size_t count) {
  // One notice per line, at its first octet beyond the limit.
  if (line_octets_ <= kMaxTextOctets && line_octets_ + count > kMaxTextOctets) {
    Note(notice::Kind::kLongLine, pos + (kMaxTextOctets - line_octets_));
  }
  line_octets_ += count;
}

void Reader::Emit(std::string_view bytes) {
  size_ += bytes.size();
  if (stored_ >= options_.max_size) return;
  const std::size_t keep = std::min(bytes.size(), options_.max_size - stored_);
  content_.append(bytes.substr(0, keep));
  stored_ += keep;
}

void Reader::Note(notice::Kind kind, std::size_t offset) {
  if (notices_.size() < options_.max_notices) {
    notices_.push_back(Notice{kind, offset});
  } else {
    ++dropped_notices_;
  }
}

}  // namespace smtpspec::data
