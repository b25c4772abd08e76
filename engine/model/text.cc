#include "engine/model/text.h"

#include <cctype>
#include <string>

#include "engine/ehlo.h"

namespace smtpspec::model {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsDigits(std::string_view s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string Quoted(const Reply& reply) {
  std::string text = std::to_string(reply.code);
  if (!reply.lines.empty() && !reply.lines.front().empty()) {
    text += " " + reply.lines.front();
  }
  if (text.size() > 120) text = text.substr(0, 117) + "...";
  return "'" + text + "'";
}

std::string_view FirstWord(const Reply& reply) {
  if (reply.lines.empty()) return {};
  std::string_view line = reply.lines.front();
  return line.substr(0, line.find(' '));
}

bool IsDomainOrLiteral(std::string_view word) {
  if (word.size() >= 2 && word.front() == '[' && word.back() == ']') {
    return true;
  }
  if (word.empty()) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(word[i]);
    if (c == '.') {
      if (label == 0 || word[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    if (!std::isalnum(c) && c != '-') return false;
    if (c == '-' && label == 0) return false;
    ++label;
  }
  // A trailing dot (root) is tolerated by resolvers but not by 4.1.2.
  return label > 0 && word.back() != '-';
}

bool IsEnhancedCodeShape(std::string_view word) {
  const std::size_t first = word.find('.');
  if (first == std::string_view::npos) return false;
  const std::size_t second = word.find('.', first + 1);
  if (second == std::string_view::npos) return false;
  return IsDigits(word.substr(0, first), 1, 1) &&
         IsDigits(word.substr(first + 1, second - first - 1), 1, 3) &&
         IsDigits(word.substr(second + 1), 1, 3);
}

bool IsPostmasterRecipient(std::string_view argument,
                           const std::vector<std::string>& domains) {
  if (argument.size() < 3 || !EqualsIgnoreCase(argument.substr(0, 3), "TO:")) {
    return false;
  }
  argument.remove_prefix(3);
  while (!argument.empty() && argument.front() == ' ')
    argument.remove_prefix(1);
  if (argument.empty() || argument.front() != '<') return false;
  const std::size_t close = argument.find('>');
  if (close == std::string_view::npos) return false;
  std::string_view mailbox = argument.substr(1, close - 1);
  const std::size_t at = mailbox.rfind('@');
  if (at == std::string_view::npos) {
    return EqualsIgnoreCase(mailbox, "postmaster");
  }
  if (!EqualsIgnoreCase(mailbox.substr(0, at), "postmaster")) return false;
  const std::string_view domain = mailbox.substr(at + 1);
  for (const std::string& served : domains) {
    if (EqualsIgnoreCase(domain, served)) return true;
  }
  return false;
}

bool MentionsRecipients(const Reply& reply) {
  for (const std::string& line : reply.lines) {
    for (std::size_t i = 0; i + 9 <= line.size(); ++i) {
      if (EqualsIgnoreCase(std::string_view(line).substr(i, 9), "recipient")) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace smtpspec::model
