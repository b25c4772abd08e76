#include "agents/server/faults.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "engine/data/notice.h"
#include "util/did_you_mean.h"

namespace smtpspec::agents::server {
namespace {

namespace session = smtpspec::server;

// Enough of a line to see the verb and RCPT's path (RFC 5321 4.5.3.1.3:
// a path is at most 256 octets).
constexpr std::size_t kHeadMax = 300;
// RFC 5321 4.5.3.1.4: a command line, CRLF included, may be 512 octets.
constexpr std::size_t kCommandLineMax = 512;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The verb of a command line, lower case ("quit"), or "".
std::string Verb(std::string_view line) {
  std::size_t end = 0;
  while (end < line.size() &&
         std::isalpha(static_cast<unsigned char>(line[end]))) {
    ++end;
  }
  return Lower(line.substr(0, end));
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// RFC 5321 4.2.1: every line of a multiline reply carries the same code.
// Gives the continuation lines after the first another code.
std::string MixCodes(std::string reply) {
  std::size_t line = reply.find("\r\n");
  while (line != std::string::npos && line + 2 + 4 <= reply.size()) {
    std::size_t start = line + 2;
    if (reply[start + 3] == '-') reply[start + 2] = '1';  // 250- -> 251-
    line = reply.find("\r\n", start);
  }
  return reply;
}

// Every line of `reply` that starts with code `from` starts with `to`.
std::string ReplaceCodes(std::string reply, std::string_view from,
                         std::string_view to) {
  std::size_t start = 0;
  while (start + 3 <= reply.size()) {
    if (reply.compare(start, 3, from) == 0) reply.replace(start, 3, to);
    std::size_t lf = reply.find('\n', start);
    if (lf == std::string::npos) break;
    start = lf + 1;
  }
  return reply;
}

// A MAIL command line without its SIZE=n parameter (RFC 1870 6).
std::string WithoutSize(std::string_view line) {
  std::string lower = Lower(line);
  std::size_t at = lower.find(" size=");
  if (at == std::string::npos) return std::string(line);
  std::size_t end = at + 1;
  while (end < line.size() && line[end] != ' ' && line[end] != '\r' &&
         line[end] != '\n') {
    ++end;
  }
  std::string out(line);
  out.erase(at, end - at);
  return out;
}

}  // namespace

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kWrongCodes:
      return "wrong-codes";
    case Fault::kRcptBeforeMail:
      return "rcpt-before-mail";
    case Fault::kBrokenMultiline:
      return "broken-multiline";
    case Fault::kBareLfEnd:
      return "bare-lf-end";
    case Fault::kStall:
      return "stall";
    case Fault::kEarlyClose:
      return "early-close";
    case Fault::kRejectPostmaster:
      return "reject-postmaster";
    case Fault::kNoVrfy:
      return "no-vrfy";
    case Fault::kNoUnstuff:
      return "no-unstuff";
    case Fault::kNestedMail:
      return "nested-mail";
    case Fault::kGreet554Serve:
      return "greet-554-serve";
    case Fault::kLongLineClose:
      return "long-line-close";
    case Fault::kIgnoreSize:
      return "ignore-size";
  }
  return "?";
}

const std::vector<Fault>& AllFaults() {
  static const std::vector<Fault> kAll = {
      Fault::kWrongCodes,       Fault::kRcptBeforeMail, Fault::kBrokenMultiline,
      Fault::kBareLfEnd,        Fault::kStall,          Fault::kEarlyClose,
      Fault::kRejectPostmaster, Fault::kNoVrfy,         Fault::kNoUnstuff,
      Fault::kNestedMail,       Fault::kGreet554Serve,  Fault::kLongLineClose,
      Fault::kIgnoreSize,
  };
  return kAll;
}

Result<std::vector<Fault>> ParseFaults(std::string_view list) {
  std::vector<std::string_view> names;
  for (Fault fault : AllFaults()) names.push_back(FaultName(fault));
  std::vector<Fault> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = std::min(list.find(',', start), list.size());
    std::string_view name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) {
      auto found = std::find(names.begin(), names.end(), name);
      if (found == names.end()) {
        return Error{start, "unknown fault '" + std::string(name) + "'" +
                                util::DidYouMeanOrList(name, names)};
      }
      Fault fault = AllFaults()[found - names.begin()];
      if (std::find(out.begin(), out.end(), fault) == out.end()) {
        out.push_back(fault);
      }
    }
    start = end + 1;
  }
  return out;
}

void ApplyFaults(const std::vector<Fault>& faults, session::Config& config) {
  if (std::find(faults.begin(), faults.end(), Fault::kBareLfEnd) ==
      faults.end()) {
    return;
  }
  // Every end-of-data look-alike ends DATA: the smuggling-prone server of
  // RFC 5321 2.3.8 / 4.1.1.4.
  namespace notice = smtpspec::data::notice;
  config.accepted_data_ends = {
      notice::Kind::kLfDotLf,   notice::Kind::kLfDotCrLf,
      notice::Kind::kCrLfDotLf, notice::Kind::kLfDotCr,
      notice::Kind::kCrLfDotCr, notice::Kind::kCrDotCr,
      notice::Kind::kCrDotCrLf, notice::Kind::kCrDotLf,
  };
}

FaultLayer::FaultLayer(std::vector<Fault> faults) : faults_(std::move(faults)) {
  for (Fault fault : faults_) {
    if (fault != Fault::kBareLfEnd && fault != Fault::kGreet554Serve) {
      line_wise_ = true;
    }
  }
}

bool FaultLayer::Has(Fault fault) const {
  return std::find(faults_.begin(), faults_.end(), fault) != faults_.end();
}

void FaultLayer::Feed(session::Session& session, std::string_view bytes,
                      session::Time now, std::string& out) {
  if (!line_wise_) {
    session.Feed(bytes, now);
    out += session.TakeOutput();
    return;
  }
  // One line at a time, so each reply is known to answer line_head_.
  while (!bytes.empty() && !close_now_) {
    std::size_t lf = bytes.find('\n');
    std::size_t size = lf == std::string_view::npos ? bytes.size() : lf + 1;
    FeedPiece(session, bytes.substr(0, size), now, out);
    bytes.remove_prefix(size);
  }
}

std::string FaultLayer::Rewrite(const session::Session& session,
                                std::string_view piece, bool content) {
  const bool at_start = line_start_ || pending_dot_;
  if (Has(Fault::kNoUnstuff) && session.state() == session::State::kData &&
      !session.reading_chunk()) {
    // RFC 5321 4.5.2: the session deletes the first of a line's leading
    // dots; one more dot in front of a stuffed line leaves the stuffed dot
    // in the stored message. A lone "." is the end of data and stays.
    std::string line =
        pending_dot_ ? "." + std::string(piece) : std::string(piece);
    pending_dot_ = false;
    if (at_start && line == ".") {
      // Only "." so far: the rest of the line decides.
      pending_dot_ = true;
      return "";
    }
    if (at_start && StartsWith(line, "..")) line.insert(0, ".");
    return line;
  }
  if (Has(Fault::kIgnoreSize) && !content && at_start && piece.back() == '\n' &&
      Verb(piece) == "mail") {
    return WithoutSize(piece);  // the limit is never checked
  }
  return std::string(piece);
}

void FaultLayer::FeedPiece(session::Session& session, std::string_view piece,
                           session::Time now, std::string& out) {
  if (line_start_) {
    line_head_.clear();
    line_size_ = 0;
  }
  if (line_head_.size() < kHeadMax) {
    line_head_ += piece.substr(0, kHeadMax - line_head_.size());
  }
  line_size_ += piece.size();
  // DATA content and BDAT chunks (RFC 3030 2) are not command lines.
  const bool content =
      session.state() == session::State::kData || session.reading_chunk();
  const session::State before = session.state();
  if (Has(Fault::kLongLineClose) && !content && line_size_ >= kCommandLineMax) {
    // The limit itself is too much for this server: gone without a reply.
    close_now_ = true;
    return;
  }
  std::string fed = Rewrite(session, piece, content);
  line_start_ = piece.back() == '\n';
  if (fed.empty()) return;
  session.Feed(fed, now);
  std::string output = session.TakeOutput();
  if (output.empty()) return;
  // Content produces no output; the end of data (or of a chunk) and what the
  // session sends for the command just read are what we may change.
  std::string verb = content ? "" : Verb(line_head_);
  if (Has(Fault::kWrongCodes)) {
    // RFC 5321 4.3.2: QUIT -> 221, NOOP -> 250.
    if (verb == "quit" && StartsWith(output, "221"))
      output.replace(0, 3, "250");
    if (verb == "noop" && StartsWith(output, "250"))
      output.replace(0, 3, "200");
  }
  if (Has(Fault::kRcptBeforeMail) && verb == "rcpt" &&
      StartsWith(output, "503")) {
    output = "250 2.1.5 Recipient OK\r\n";
  }
  if (Has(Fault::kNestedMail) && verb == "mail" &&
      (before == session::State::kMail || before == session::State::kRcpt) &&
      StartsWith(output, "503")) {
    // The open transaction goes on with its first sender.
    output = "250 2.1.0 Sender OK\r\n";
  }
  if (Has(Fault::kRejectPostmaster) && verb == "rcpt" &&
      StartsWith(output, "250")) {
    std::string head = Lower(line_head_);
    if (head.find("<postmaster>") != std::string::npos ||
        head.find("<postmaster@") != std::string::npos) {
      output = "550 5.1.1 Postmaster unknown\r\n";
    }
  }
  if (Has(Fault::kNoVrfy) && verb == "vrfy") {
    output = "500 5.5.2 Command unrecognized\r\n";
  }
  bool ehlo_done = verb == "ehlo" && StartsWith(output, "250");
  if (Has(Fault::kBrokenMultiline) && ehlo_done) output = MixCodes(output);
  Emit(std::move(output), out);
  if (ehlo_done && Has(Fault::kStall)) muted_ = true;
  if (ehlo_done && Has(Fault::kEarlyClose)) close_now_ = true;
}

void FaultLayer::Pass(session::Session& session, std::string& out) {
  std::string output = session.TakeOutput();
  if (!greeted_ && !output.empty()) {
    greeted_ = true;
    // RFC 5321 3.1: a 554 greeting means 503 to all but QUIT; this server
    // says 554 and then serves as if it had said 220.
    if (Has(Fault::kGreet554Serve)) output = ReplaceCodes(output, "220", "554");
  }
  Emit(std::move(output), out);
}

void FaultLayer::Emit(std::string output, std::string& out) {
  if (muted_ || close_now_) return;
  out += output;
}

}  // namespace smtpspec::agents::server
