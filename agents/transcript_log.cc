#include "agents/transcript_log.h"

#include "util/byte_escape.h"

namespace smtpspec::agents::transcript_log {
namespace {

// Runs at least this long are written \{N}x.
constexpr std::size_t kMinRun = 8;

bool IsPlain(std::string_view text) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ' ||
      text.front() == '/' || text.rfind("..", 0) == 0) {
    return false;
  }
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
    switch (c) {
      case '\\':
      case '*':
      case '?':
      case '#':
      case '$':
        return false;
      default:
        break;
    }
  }
  return true;
}

// A log shows bytes off the wire: every byte outside printable ASCII is
// escaped, and every '$' (util/byte_escape.h says why).
constexpr util::EscapeStyle kLogStyle{.escape_high = true,
                                      .escape_every_dollar = true};

void AppendEscaped(char c, std::string& out) {
  util::AppendEscapedByte(c, /*brace_follows=*/false, kLogStyle, out);
}

std::string Raw(std::string_view bytes) {
  std::string out = "\"";
  for (std::size_t i = 0; i < bytes.size();) {
    std::size_t run = 1;
    while (i + run < bytes.size() && bytes[i + run] == bytes[i]) ++run;
    if (run >= kMinRun) {
      out += "\\{" + std::to_string(run) + "}";
      AppendEscaped(bytes[i], out);
      i += run;
    } else {
      AppendEscaped(bytes[i], out);
      ++i;
    }
  }
  out += '"';
  return out;
}

}  // namespace

std::string FormatLine(Side side, std::string_view bytes) {
  return FormatPiece(side, bytes, /*line_start=*/true);
}

std::string FormatPiece(Side side, std::string_view bytes, bool line_start) {
  char party = side == Side::kClient ? 'C' : 'S';
  if (line_start && bytes.size() >= 2 &&
      bytes.substr(bytes.size() - 2) == "\r\n") {
    std::string_view text = bytes.substr(0, bytes.size() - 2);
    if (IsPlain(text)) {
      return std::string(1, party) + ": " + std::string(text) + "\n";
    }
  }
  return std::string(1, party) + "! " + Raw(bytes) + "\n";
}

void Formatter::Feed(std::string_view bytes, std::string& out) {
  while (!bytes.empty()) {
    std::size_t lf = bytes.find('\n');
    std::size_t take = lf == std::string_view::npos ? bytes.size() : lf + 1;
    // Never hold more than max_pending_ bytes of one line (pending_ is
    // always shorter than that here: it is written out on reaching it).
    take = std::min(take, max_pending_ - pending_.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (pending_.back() == '\n' || pending_.size() >= max_pending_) {
      Finish(out);
    }
  }
}

void Formatter::Finish(std::string& out) {
  if (pending_.empty()) return;
  out += FormatPiece(side_, pending_, line_start_);
  // What follows a piece cut short continues its line: never a C:/S: line.
  line_start_ = pending_.back() == '\n';
  pending_.clear();
}

void SessionLog::Client(std::string_view bytes, std::string& out) {
  server_.Finish(out);
  client_.Feed(bytes, out);
}

void SessionLog::Server(std::string_view bytes, std::string& out) {
  client_.Finish(out);
  server_.Feed(bytes, out);
}

void SessionLog::StartTls(std::string& out) {
  Finish(out);
  out += "!starttls\n";
}

void SessionLog::Finish(std::string& out) {
  client_.Finish(out);
  server_.Finish(out);
}

}  // namespace smtpspec::agents::transcript_log
