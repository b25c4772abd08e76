#include "engine/wire/reply_reader.h"

#include <algorithm>
#include <utility>
#include <variant>

namespace smtpspec::wire {
namespace {

// One reply line taken apart.
struct ReplyLine {
  int code = 0;
  bool last = false;
  std::string_view text;  // after "ddd-" or "ddd "
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Fills `parsed` from `line`, or returns why it is no reply line.
std::optional<Problem> ParseReplyLine(std::string_view line, std::size_t offset,
                                      ReplyLine& parsed) {
  auto fault = [&](Fault fault, std::size_t at, const char* reason) {
    return Problem{fault, offset + at, reason, std::string(line)};
  };
  if (line.size() < 3 || !IsDigit(line[0]) || !IsDigit(line[1]) ||
      !IsDigit(line[2])) {
    return fault(Fault::kBadReplyCode, 0,
                 "a reply line begins with a three-digit code (RFC 5321 4.2)");
  }
  // RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39.
  if (line[0] < '2' || line[0] > '5') {
    return fault(Fault::kBadReplyCode, 0,
                 "the first digit of a reply code is 2, 3, 4 or 5 "
                 "(RFC 5321 4.2)");
  }
  if (line[1] > '5') {
    return fault(Fault::kBadReplyCode, 1,
                 "the second digit of a reply code is 0 to 5 (RFC 5321 4.2)");
  }
  parsed.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  // RFC 5321 4.2: Reply-code [ SP textstring ] CRLF. The last line's text is
  // optional, so a bare "250" is a complete, well-formed last line.
  if (line.size() == 3) {
    parsed.last = true;
    parsed.text = "";
    return std::nullopt;
  }
  if (line[3] != ' ' && line[3] != '-') {
    return fault(Fault::kBadReplySeparator, 3,
                 "a reply code is followed by a space, by \"-\" on all but "
                 "the last line, or by the line end (RFC 5321 4.2)");
  }
  parsed.last = line[3] == ' ';
  parsed.text = line.substr(4);
  return std::nullopt;
}

// Reads 1 to 3 digits at text[*i]; RFC 3463 2: subject and detail are
// 1*3digit.
std::optional<int> ReadNumber(std::string_view text, std::size_t* i) {
  int value = 0;
  std::size_t digits = 0;
  while (*i < text.size() && IsDigit(text[*i]) && digits < 3) {
    value = value * 10 + (text[*i] - '0');
    ++*i;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return value;
}

// The enhanced status code at the start of `text` and the length of the
// prefix to strip (code and the space after it), when its class is the
// reply code's first digit (RFC 3463 2, RFC 2034 4).
std::optional<std::pair<EnhancedCode, std::size_t>> ReadEnhanced(
    std::string_view text, int code) {
  if (text.size() < 5 || text[0] != '0' + code / 100 || text[1] != '.') {
    return std::nullopt;
  }
  if (text[0] != '2' && text[0] != '4' && text[0] != '5') return std::nullopt;
  std::size_t i = 2;
  const std::optional<int> subject = ReadNumber(text, &i);
  if (!subject || i >= text.size() || text[i] != '.') return std::nullopt;
  ++i;
  const std::optional<int> detail = ReadNumber(text, &i);
  if (!detail) return std::nullopt;
  if (i < text.size() && text[i] != ' ') return std::nullopt;
  const EnhancedCode enhanced{code / 100, *subject, *detail};
  return std::make_pair(enhanced, i < text.size() ? i + 1 : i);
}

}  // namespace

ReplyReader::ReplyReader(Policy policy, std::size_t max_lines,
                         std::size_t start_offset)
    : lines_(policy, start_offset), max_lines_(max_lines) {}

Event<Received<Reply>> ReplyReader::Next() {
  for (;;) {
    bool done = false;
    // A clean line (NextClean) is the common case; anything else comes
    // through NextView, with its notices or as a Problem.
    std::string_view text;
    std::size_t offset = 0;
    if (lines_.NextClean(&text, &offset)) {
      if (std::optional<Problem> problem = Take(text, offset, nullptr, &done)) {
        return *std::move(problem);
      }
    } else {
      Event<LineView> event = lines_.NextView();
      if (LineView* line = std::get_if<LineView>(&event)) {
        if (std::optional<Problem> problem =
                Take(line->text, line->offset, &line->notices, &done)) {
          return *std::move(problem);
        }
      } else if (Problem* problem = std::get_if<Problem>(&event)) {
        Drop();
        skip_code_ = 0;
        return std::move(*problem);
      } else {
        return NeedData{};
      }
    }
    if (done) {
      Received<Reply> reply = std::move(reply_);
      Drop();
      return reply;
    }
  }
}

void ReplyReader::Drop() {
  reply_.value.code = 0;
  reply_.value.enhanced.reset();
  reply_.value.lines.clear();
  reply_.offset = 0;
  reply_.notices.clear();
  enhanced_text_.clear();
}

std::optional<Problem> ReplyReader::Take(std::string_view line,
                                         std::size_t offset,
                                         std::vector<Problem>* notices,
                                         bool* done) {
  ReplyLine reply_line;
  if (std::optional<Problem> problem =
          ParseReplyLine(line, offset, reply_line)) {
    Drop();
    skip_code_ = 0;
    return problem;
  }
  if (skip_code_ != 0) {
    if (reply_line.code == skip_code_) {
      if (reply_line.last) skip_code_ = 0;
      return std::nullopt;
    }
    skip_code_ = 0;
  }
  std::string_view text = reply_line.text;
  Reply& reply = reply_.value;
  if (reply.code == 0) {
    reply_.offset = offset;
    reply.code = reply_line.code;
    // Most replies are one line; EHLO responses run to about ten.
    if (!reply_line.last) reply.lines.reserve(16);
    if (auto enhanced = ReadEnhanced(text, reply_line.code)) {
      reply.enhanced = enhanced->first;
      // Later lines carry the prefix as the first line spelt it.
      const std::size_t size = text.find(' ');
      enhanced_text_.assign(text.substr(0, size));
      text.remove_prefix(enhanced->second);
    }
  } else if (reply_line.code != reply.code) {
    Problem problem{Fault::kMixedReplyCodes, offset,
                    "this line has code " + std::to_string(reply_line.code) +
                        " but the reply began with " +
                        std::to_string(reply.code) +
                        ": every line of a reply has the same code "
                        "(RFC 5321 4.2.1)",
                    std::string(line)};
    Drop();
    return problem;
  } else if (reply.lines.size() >= max_lines_) {
    Problem problem{Fault::kTooManyReplyLines, offset,
                    "the reply has more than " + std::to_string(max_lines_) +
                        " lines, the most this reader keeps",
                    std::string(line)};
    Drop();
    if (!reply_line.last) skip_code_ = reply_line.code;
    return problem;
  } else if (!enhanced_text_.empty() && text.starts_with(enhanced_text_) &&
             (text.size() == enhanced_text_.size() ||
              text[enhanced_text_.size()] == ' ')) {
    text.remove_prefix(std::min(text.size(), enhanced_text_.size() + 1));
  }
  reply.lines.emplace_back(text);
  if (notices != nullptr) {
    for (Problem& notice : *notices) {
      reply_.notices.push_back(std::move(notice));
    }
  }
  *done = reply_line.last;
  return std::nullopt;
}

}  // namespace smtpspec::wire
