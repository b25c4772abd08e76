#include "engine/wire/line_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

namespace smtpspec::wire {
namespace {

constexpr std::size_t kNone = std::string::npos;

std::string TooLongReason(std::size_t max_line) {
  return "the line is longer than " + std::to_string(max_line) +
         " octets with its line end (RFC 5321 4.5.3.1)";
}

constexpr char kBareLfReason[] =
    "bare LF: only CRLF ends a line, and a server must not accept LF "
    "alone (RFC 5321 2.3.8, 4.1.1.4)";
constexpr char kBareCrReason[] =
    "bare CR: CR may appear only as part of CRLF (RFC 5321 2.3.8)";
constexpr char kNulReason[] =
    "NUL byte: neither the command nor the reply syntax admits one "
    "(RFC 5321 4.1.2, 4.2)";

// Index of the LF in `bytes` that ends a line, or kNone. Only an LF after
// CR does, unless bare LF is accepted: RFC 5321 2.3.8, no "other character
// or character sequence" is a line terminator. `cr_before` says whether the
// byte before `bytes` (of the same line) was CR.
std::size_t FindLineEnd(std::string_view bytes, bool cr_before,
                        bool accept_bare_lf) {
  for (std::size_t from = 0; from < bytes.size();) {
    const void* lf =
        std::memchr(bytes.data() + from, '\n', bytes.size() - from);
    if (lf == nullptr) break;
    const std::size_t at = static_cast<const char*>(lf) - bytes.data();
    if (accept_bare_lf || (at > 0 ? bytes[at - 1] == '\r' : cr_before)) {
      return at;
    }
    from = at + 1;
  }
  return kNone;
}

std::uint64_t Load8(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

std::uint64_t Load4(const char* p) {
  std::uint32_t word;
  std::memcpy(&word, p, 4);
  return word;
}

// True when a byte of `word` is below 14: the "has a byte less than n" bit
// trick, exact as a yes/no answer.
bool HasByteBelow14(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHigh = 0x8080808080808080u;
  return ((word - kOnes * 14) & ~word & kHigh) != 0;
}

// True when `text` may hold CR or NUL, so that CheckText must look. Any
// byte below 14 (TAB too, which CheckText then passes) answers yes. Whole
// words, the last one overlapping, keep the common clean line to a few
// operations and few unpredictable branches.
bool MayHoldCrOrNul(std::string_view text) {
  const char* p = text.data();
  const std::size_t n = text.size();
  if (n >= 8) {
    const char* last = p + n - 8;
    for (; p < last; p += 8) {
      if (HasByteBelow14(Load8(p))) return true;
    }
    return HasByteBelow14(Load8(last));
  }
  if (n >= 4) return HasByteBelow14(Load4(p) | Load4(p + n - 4) << 32);
  for (std::size_t i = 0; i < n; ++i) {
    if (static_cast<unsigned char>(p[i]) < 14) return true;
  }
  return false;
}

}  // namespace

LineReader::LineReader(Policy policy, std::size_t start_offset)
    : policy_(policy), offset_(start_offset) {}

void LineReader::Feed(std::string_view bytes) {
  // Reclaim consumed bytes; views from NextView() end here, as documented.
  if (head_ == buf_.size()) {
    buf_.clear();
    head_ = scan_ = 0;
  } else if (head_ > buf_.size() / 2) {
    buf_.erase(0, head_);
    scan_ = scan_ > head_ ? scan_ - head_ : 0;
    head_ = 0;
  }
  const std::size_t max = policy_.max_line;
  while (!bytes.empty()) {
    if (discarding_) {
      bytes = Discard(bytes);
      continue;
    }
    // An event is waiting: the caller has not drained Next(), and the bytes
    // after it may be for another reader (TakeBuffered). Keep them whole.
    if (pending_ || FindLf() != kNone) {
      buf_.append(bytes);
      return;
    }
    // The buffer holds the start of one line and nothing else.
    const std::size_t partial = buffered();
    const std::size_t end = FindLineEnd(
        bytes, partial > 0 && buf_.back() == '\r', policy_.accept_bare_lf);
    const bool lf = end != kNone;
    const std::size_t line = partial + (lf ? end + 1 : bytes.size());
    // Without its LF the line will have at least one more octet.
    if (lf ? line <= max : line < max) {
      buf_.append(bytes);
      return;
    }
    const std::size_t take = partial < max ? max - partial : 0;
    buf_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    pending_ = StartDiscard();
  }
}

Problem LineReader::StartDiscard() {
  const std::string_view partial(buf_.data() + head_, buffered());
  Problem problem{Fault::kLineTooLong, offset_, TooLongReason(policy_.max_line),
                  std::string(partial.substr(0, policy_.max_line))};
  discard_cr_ = !partial.empty() && partial.back() == '\r';
  offset_ += partial.size();
  head_ = scan_ = buf_.size();
  discarding_ = true;
  return problem;
}

std::string_view LineReader::Discard(std::string_view bytes) {
  const std::size_t end =
      FindLineEnd(bytes, discard_cr_, policy_.accept_bare_lf);
  if (end == kNone) {
    discard_cr_ = bytes.back() == '\r';
    offset_ += bytes.size();
    return {};
  }
  // The too-long line was reported already; the next one starts clean.
  offset_ += end + 1;
  discarding_ = false;
  return bytes.substr(end + 1);
}

std::size_t LineReader::FindLf() {
  scan_ = std::max(scan_, head_);
  const std::size_t end = FindLineEnd(std::string_view(buf_).substr(scan_),
                                      scan_ > head_ && buf_[scan_ - 1] == '\r',
                                      policy_.accept_bare_lf);
  if (end == kNone) {
    scan_ = buf_.size();
    return kNone;
  }
  scan_ += end;
  return scan_;
}

bool LineReader::NextClean(std::string_view* text, std::size_t* offset) {
  if (pending_ || discarding_) return false;
  const std::size_t lf = FindLf();
  if (lf == kNone) return false;
  const std::size_t size = lf - head_ + 1;  // with the line end
  if (size < 2 || size > policy_.max_line || buf_[lf - 1] != '\r') {
    return false;
  }
  const std::string_view line(buf_.data() + head_, size - 2);
  if (MayHoldCrOrNul(line)) return false;
  *text = line;
  *offset = offset_;
  head_ = scan_ = lf + 1;
  offset_ += size;
  return true;
}

Event<LineView> LineReader::NextView() {
  std::string_view text;
  std::size_t offset = 0;
  if (NextClean(&text, &offset)) return LineView{text, offset, {}, {}};
  // Anything else: a fault, a notice, or no line yet.
  if (pending_) {
    Problem problem = std::move(*pending_);
    pending_.reset();
    return problem;
  }
  if (discarding_) return NeedData{};
  const std::size_t lf = FindLf();
  if (lf == kNone) {
    if (buffered() >= policy_.max_line) return StartDiscard();
    return NeedData{};
  }
  offset = offset_;
  const std::size_t size = lf - head_ + 1;  // with the line end
  const bool crlf = size >= 2 && buf_[lf - 1] == '\r';
  const std::string_view raw(buf_.data() + head_, size);
  text = raw.substr(0, size - (crlf ? 2 : 1));
  head_ = scan_ = lf + 1;
  offset_ += size;

  auto fault = [&](Fault fault, std::size_t at, std::string reason) {
    return Problem{fault, at, std::move(reason), std::string(text)};
  };
  if (size > policy_.max_line) {
    // Cut the raw bytes as StartDiscard does, so the Problem does not depend
    // on where the chunks were split.
    return Problem{Fault::kLineTooLong, offset, TooLongReason(policy_.max_line),
                   std::string(raw.substr(0, policy_.max_line))};
  }
  LineView line{text, offset, crlf ? LineEnd::kCrlf : LineEnd::kBareLf, {}};
  if (!crlf) {
    line.notices.push_back(fault(Fault::kBareLf, offset_ - 1, kBareLfReason));
  }
  if (std::optional<Problem> problem = CheckText(text, offset, line.notices)) {
    return *std::move(problem);
  }
  return line;
}

std::optional<Problem> LineReader::CheckText(
    std::string_view text, std::size_t offset,
    std::vector<Problem>& notices) const {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // One compare on the common path: CR (13), LF (10) and NUL (0) are all
    // <= 13.
    if (c > '\r' || (c != '\r' && c != '\n' && c != '\0')) continue;
    if (c == '\n') {
      // A bare LF inside the line: only when bare LF ends no line
      // (RFC 5321 2.3.8), so it is always a fault; the whole line up to
      // its CRLF is one Problem, at the first such LF.
      return Problem{Fault::kBareLf, offset + i, kBareLfReason,
                     std::string(text)};
    }
    const bool cr = c == '\r';
    Problem problem{cr ? Fault::kBareCr : Fault::kNul, offset + i,
                    cr ? kBareCrReason : kNulReason, std::string(text)};
    if (cr ? !policy_.accept_bare_cr : !policy_.accept_nul) return problem;
    notices.push_back(std::move(problem));
  }
  return std::nullopt;
}

Event<Line> LineReader::Next() {
  Event<LineView> event = NextView();
  if (LineView* view = std::get_if<LineView>(&event)) {
    return Line{std::string(view->text), view->offset, view->end,
                std::move(view->notices)};
  }
  if (Problem* problem = std::get_if<Problem>(&event)) {
    return std::move(*problem);
  }
  return NeedData{};
}

std::string LineReader::TakeBuffered() {
  std::string rest = buf_.substr(head_);
  offset_ += rest.size();
  head_ = scan_ = buf_.size();
  return rest;
}

}  // namespace smtpspec::wire
