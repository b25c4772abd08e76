#include "cli/record_session.h"

#include <cctype>
#include <deque>
#include <string_view>

#include "cli/record_text.h"

namespace smtpspec::cli::record {
namespace {

// RFC 5321 4.5.2: the end of data is CRLF "." CRLF; content that is empty
// ends at once with ".\r\n".
constexpr std::string_view kEndOfData = "\r\n.\r\n";

std::string Verb(std::string_view line) {
  std::string verb;
  for (char c : line) {
    if (c == ' ' || c == '\r' || c == '\n') break;
    verb.push_back(
        static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return verb;
}

// A reply line (without CRLF): three digits, then a space, a '-' or
// nothing (RFC 5321 4.2.1, and 4.2 for a bare code); printable text.
bool IsReplyLine(std::string_view line) {
  if (line.size() < 3 || !IsPrintable(line)) return false;
  for (int i = 0; i < 3; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return false;
  }
  return line.size() == 3 || line[3] == ' ' || line[3] == '-';
}

// An item of `kind` with `lines`.
Item Make(Item::Kind kind, std::vector<std::string> lines = {}) {
  Item item;
  item.kind = kind;
  item.lines = std::move(lines);
  return item;
}

class Cutter {
 public:
  std::vector<Item> Take() {
    FinishClient();
    FinishServer();
    return std::move(items_);
  }

  void Client(std::string_view bytes) {
    if (in_data_) {
      data_.append(bytes);
      std::size_t end = std::string::npos;
      if (data_.starts_with(".\r\n")) {
        end = 0;
      } else if (std::size_t at = data_.find(kEndOfData);
                 at != std::string::npos) {
        end = at + 2;
      }
      if (end == std::string::npos) return;
      Item message = Make(Item::Kind::kMessage, {data_.substr(0, end)});
      items_.push_back(std::move(message));
      awaiting_.push_back(".");
      in_data_ = false;
      std::string rest = data_.substr(end + 3);
      data_.clear();
      if (rest.empty()) return;
      bytes = rest;
      return Lines(bytes);
    }
    Lines(bytes);
  }

  void Server(std::string_view bytes) {
    server_.append(bytes);
    std::size_t lf;
    while ((lf = server_.find('\n')) != std::string::npos) {
      std::string line = server_.substr(0, lf + 1);
      server_.erase(0, lf + 1);
      ServerLine(line);
    }
  }

  void Tls(bool passthrough) {
    FinishClient();
    FinishServer();
    items_.push_back(
        Make(passthrough ? Item::Kind::kPassthrough : Item::Kind::kStartTls));
  }

  void Stop(std::string reason) {
    items_.push_back(Make(Item::Kind::kStop, {std::move(reason)}));
  }

 private:
  // Complete lines of one read are one group; an unfinished line waits.
  void Lines(std::string_view bytes) {
    client_.append(bytes);
    Item group = Make(Item::Kind::kCommands);
    std::size_t lf;
    while (!in_data_ && (lf = client_.find('\n')) != std::string::npos) {
      group.lines.push_back(client_.substr(0, lf + 1));
      client_.erase(0, lf + 1);
      awaiting_.push_back(Verb(group.lines.back()));
    }
    if (!group.lines.empty()) items_.push_back(std::move(group));
  }

  void ServerLine(const std::string& wire) {
    std::string_view line(wire);
    const bool crlf = line.ends_with("\r\n");
    if (crlf) line.remove_suffix(2);
    if (!crlf || !IsReplyLine(line) ||
        (!reply_.empty() && line.substr(0, 3) != reply_.front().substr(0, 3))) {
      FlushReply();
      items_.push_back(Make(Item::Kind::kServerBytes, {wire}));
      return;
    }
    reply_.emplace_back(line);
    if (line.size() == 3 || line[3] == ' ') FinishReply();
  }

  void FinishReply() {
    Item item = Make(Item::Kind::kReply, std::move(reply_));
    reply_.clear();
    if (!awaiting_.empty()) {
      item.answers = awaiting_.front();
      awaiting_.pop_front();
    }
    // RFC 5321 4.1.1.4: after 354 the client sends the message.
    if (item.lines.front().starts_with("354") && item.answers == "DATA") {
      in_data_ = true;
      // Bytes already read past the command lines are the message's.
      std::string early = std::move(client_);
      client_.clear();
      if (!early.empty()) Client(early);
    }
    items_.push_back(std::move(item));
  }

  // Lines of a reply that never finished are written as they came.
  void FlushReply() {
    for (const std::string& line : reply_) {
      items_.push_back(Make(Item::Kind::kServerBytes, {line + "\r\n"}));
    }
    reply_.clear();
  }

  void FinishClient() {
    if (in_data_ && !data_.empty()) {
      Item message = Make(Item::Kind::kMessage, {std::move(data_)});
      message.terminated = false;
      items_.push_back(std::move(message));
      data_.clear();
    }
    if (!client_.empty()) {
      items_.push_back(Make(Item::Kind::kCommands, {std::move(client_)}));
      client_.clear();
    }
  }

  void FinishServer() {
    FlushReply();
    if (!server_.empty()) {
      items_.push_back(Make(Item::Kind::kServerBytes, {std::move(server_)}));
      server_.clear();
    }
  }

  std::vector<Item> items_;
  std::string client_;  // an unfinished command line
  std::string server_;  // an unfinished reply line
  std::vector<std::string> reply_;
  std::deque<std::string> awaiting_;  // verbs whose replies are to come
  bool in_data_ = false;
  std::string data_;
};

}  // namespace

std::vector<Item> Cut(const std::vector<capture::Event>& events) {
  Cutter cutter;
  for (const capture::Event& event : events) {
    using Kind = capture::Event::Kind;
    switch (event.kind) {
      case Kind::kClient:
        cutter.Client(event.bytes);
        break;
      case Kind::kServer:
        cutter.Server(event.bytes);
        break;
      case Kind::kTls:
        cutter.Tls(false);
        break;
      case Kind::kPassthrough:
        cutter.Tls(true);
        return cutter.Take();
      case Kind::kEof:
        break;
      case Kind::kStop:
        cutter.Stop(event.bytes);
        break;
    }
  }
  return cutter.Take();
}

}  // namespace smtpspec::cli::record
