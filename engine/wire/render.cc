#include "engine/wire/render.h"

#include <cstddef>
#include <string_view>

#include "engine/wire/verb.h"

namespace smtpspec::wire {
namespace {

// The offset of the first CR, LF or NUL in `text`, or npos.
std::size_t FindLineBreaker(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3));
}

Error Refuse(std::size_t offset, std::string reason) {
  return Error{offset, std::move(reason)};
}

// Writes 0 <= value <= 999 in decimal at `out`; returns the digits written.
std::size_t PutNumber(char* out, int value) {
  std::size_t n = 0;
  if (value >= 100) out[n++] = static_cast<char>('0' + value / 100);
  if (value >= 10) out[n++] = static_cast<char>('0' + value / 10 % 10);
  out[n++] = static_cast<char>('0' + value % 10);
  return n;
}

}  // namespace

Result<std::string> RenderCommand(const Command& command) {
  const std::string_view name =
      command.name.empty() ? VerbName(command.verb) : command.name;
  if (name.empty()) {
    return Refuse(0, "the command has neither a name nor a known verb");
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c <= 0x20 || c >= 0x7f) {
      return Refuse(i,
                    "a verb is printable US-ASCII without spaces "
                    "(RFC 5321 2.4)");
    }
  }
  if (VerbFromName(name) != command.verb) {
    return Refuse(0, "the name '" + std::string(name) +
                         "' does not spell the command's verb");
  }
  if (const std::size_t bad = FindLineBreaker(command.argument);
      bad != std::string::npos) {
    return Refuse(name.size() + 1 + bad,
                  "the argument holds CR, LF or NUL, which would break the "
                  "command line (RFC 5321 2.3.8)");
  }
  std::string out;
  out.reserve(name.size() + command.argument.size() + 3);
  out.append(name);
  if (!command.argument.empty()) {
    out.push_back(' ');
    out.append(command.argument);
  }
  out.append("\r\n");
  return out;
}

Result<std::string> RenderReply(const Reply& reply) {
  if (reply.code < 200 || reply.code > 599 || reply.code / 10 % 10 > 5) {
    return Refuse(0, "reply code " + std::to_string(reply.code) +
                         " is not %x32-35 %x30-35 %x30-39 (RFC 5321 4.2)");
  }
  if (reply.lines.empty()) {
    return Refuse(0, "a reply has at least one line (RFC 5321 4.2)");
  }
  // The code and the enhanced code as digits, written once: replies are
  // on the reference server's hot path (bench/server_bench.py).
  char enhanced_digits[12];
  std::size_t enhanced_size = 0;
  if (reply.enhanced) {
    const EnhancedCode& e = *reply.enhanced;
    // RFC 3463 2: class is 2, 4 or 5 and matches the reply code.
    if (e.klass != reply.code / 100 || e.klass == 3 || e.subject < 0 ||
        e.subject > 999 || e.detail < 0 || e.detail > 999) {
      return Refuse(4,
                    "an enhanced code has the reply's class and subject and "
                    "detail of at most three digits (RFC 3463 2)");
    }
    enhanced_size = PutNumber(enhanced_digits, e.klass);
    enhanced_digits[enhanced_size++] = '.';
    enhanced_size += PutNumber(enhanced_digits + enhanced_size, e.subject);
    enhanced_digits[enhanced_size++] = '.';
    enhanced_size += PutNumber(enhanced_digits + enhanced_size, e.detail);
  }
  const std::string_view enhanced(enhanced_digits, enhanced_size);
  char code_digits[3];
  const std::string_view code(code_digits, PutNumber(code_digits, reply.code));
  std::size_t total = 0;
  for (const std::string& text : reply.lines) {
    total += code.size() + 1 + enhanced.size() + 1 + text.size() + 2;
  }
  std::string out;
  out.reserve(total);
  for (std::size_t i = 0; i < reply.lines.size(); ++i) {
    const std::string& text = reply.lines[i];
    const bool last = i + 1 == reply.lines.size();
    out.append(code);
    if (!last || !enhanced.empty() || !text.empty()) {
      out.push_back(last ? ' ' : '-');
    }
    if (!enhanced.empty()) {
      out.append(enhanced);
      if (!text.empty()) out.push_back(' ');
    }
    if (const std::size_t bad = FindLineBreaker(text);
        bad != std::string::npos) {
      return Refuse(out.size() + bad,
                    "reply text holds CR, LF or NUL, which would break the "
                    "reply line (RFC 5321 4.2)");
    }
    out.append(text);
    out.append("\r\n");
  }
  return out;
}

}  // namespace smtpspec::wire
