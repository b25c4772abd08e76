#include "engine/ehlo.h"

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/domain.h"
#include "engine/syntax.h"

namespace smtpspec {
namespace {

using syntax::DescribeByte;
using syntax::Fail;

// The first line: Domain [ SP ehlo-greet ]. `base` is its wire offset.
Status ParseFirstLine(std::string_view line, std::size_t base,
                      EhloResponse *response) {
  const std::size_t space = line.find(' ');
  const std::string_view name = line.substr(0, space);
  response->domain = std::string(name);  // kept for the caller, even if bad
  Result<Domain> domain = ParseDomain(name);
  if (!domain.ok()) {
    Error e = domain.error();
    e.offset += base;
    e.reason =
        "the EHLO reply must start with the server's domain: " + e.reason +
        " (RFC 5321 4.1.1.1)";
    return e;
  }
  if (domain->kind != Domain::Kind::kName) {
    return Fail(base,
                "the EHLO reply must start with the server's domain "
                "name, not an address literal (RFC 5321 4.1.1.1: "
                "\"250\" SP Domain)");
  }
  if (space == std::string_view::npos) return OkStatus();
  const std::string_view greeting = line.substr(space + 1);
  if (greeting.empty()) {
    return Fail(base + space,
                "a space after the domain must be followed "
                "by a greeting (RFC 5321 4.1.1.1: ehlo-greet "
                "is 1*...)");
  }
  const std::size_t crlf = greeting.find_first_of("\r\n");
  if (crlf != std::string_view::npos) {
    return Fail(base + space + 1 + crlf,
                "the EHLO greeting may not contain CR or LF (RFC 5321 "
                "4.1.1.1 ehlo-greet)");
  }
  response->greeting = std::string(greeting);
  return OkStatus();
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char &c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// ehlo-line = ehlo-keyword *( SP ehlo-param ).
Result<EhloKeyword> ParseLine(std::string_view line, std::size_t base) {
  EhloKeyword result;
  std::size_t pos = line.find(' ');
  result.keyword = std::string(line.substr(0, pos));
  const std::size_t bad = syntax::FindKeywordError(result.keyword);
  if (bad != std::string_view::npos) {
    if (result.keyword.empty()) {
      return Fail(base,
                  "expected an extension keyword (RFC 5321 4.1.1.1 "
                  "ehlo-keyword)");
    }
    return Fail(base + bad, DescribeByte(result.keyword[bad]) +
                                " is not allowed in an EHLO keyword, which "
                                "holds letters, digits and '-' and starts "
                                "with a letter or digit (RFC 5321 4.1.1.1 "
                                "ehlo-keyword)");
  }
  while (pos != std::string_view::npos) {
    const std::size_t start = pos + 1;
    pos = line.find(' ', start);
    const std::string_view param = line.substr(start, pos - start);
    if (param.empty()) {
      return Fail(base + start,
                  "EHLO parameters are separated by exactly "
                  "one space, with none at the end (RFC 5321 "
                  "4.1.1.1: *( SP ehlo-param ))");
    }
    for (std::size_t i = 0; i < param.size(); ++i) {
      if (!syntax::IsGraphic(param[i])) {
        return Fail(base + start + i,
                    DescribeByte(param[i]) +
                        " is not allowed in an EHLO parameter, which holds "
                        "printable ASCII (RFC 5321 4.1.1.1 ehlo-param)");
      }
    }
    result.params.emplace_back(param);
  }
  result.keyword = Upper(result.keyword);
  return result;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// The words of `line`, split at runs of spaces and tabs.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !IsBlank(line[i])) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

// kLenient's first line: the domain is the text before the first space
// (as the models have always read it), the greeting the rest, trimmed.
void ReadFirstLine(std::string_view line, EhloResponse *response) {
  const std::size_t space = line.find(' ');
  response->domain = std::string(line.substr(0, space));
  if (space == std::string_view::npos) return;
  std::string_view greeting = line.substr(space + 1);
  while (!greeting.empty() && IsBlank(greeting.front())) {
    greeting.remove_prefix(1);
  }
  while (!greeting.empty() && IsBlank(greeting.back())) {
    greeting.remove_suffix(1);
  }
  response->greeting = std::string(greeting);
}

// kLenient's keyword lines. "AUTH=PLAIN LOGIN", the form some servers
// repeat for clients older than RFC 4954 (section 3 defines "AUTH" SP
// mechanisms), reads as AUTH {PLAIN, LOGIN}. Blank lines give nothing.
std::optional<EhloKeyword> ReadLine(std::string_view line) {
  const std::vector<std::string_view> words = Words(line);
  if (words.empty()) return std::nullopt;
  const std::string_view first = words[0];
  const std::size_t equals = first.find('=');
  EhloKeyword result;
  result.keyword = Upper(first.substr(0, equals));
  if (result.keyword.empty()) return std::nullopt;
  if (equals != std::string_view::npos && equals + 1 < first.size()) {
    result.params.emplace_back(first.substr(equals + 1));
  }
  for (std::size_t i = 1; i < words.size(); ++i) {
    result.params.emplace_back(words[i]);
  }
  return result;
}

}  // namespace

EhloResponse ParseEhlo(const Reply &reply, EhloMode mode) {
  EhloResponse response;
  const bool strict = mode == EhloMode::kStrict;
  if (strict && reply.code != 250) {
    response.problems.push_back(Fail(
        0, "a positive EHLO reply has code 250, not " +
               std::to_string(reply.code) + " (RFC 5321 4.1.1.1 ehlo-ok-rsp)"));
  }
  if (strict && reply.lines.empty()) {
    response.problems.push_back(
        Fail(0, "an EHLO reply has at least one line (RFC 5321 4.1.1.1)"));
  }
  if (strict && reply.enhanced) {
    response.problems.push_back(
        Fail(4,
             "an EHLO reply carries no enhanced status code (RFC 2034 "
             "section 3 exempts the replies to HELO and EHLO)"));
  }
  if (reply.lines.empty()) return response;
  // Wire offset of the text of each line: "250-" before it, CRLF after.
  std::size_t base = 4;
  if (strict) {
    Status first = ParseFirstLine(reply.lines[0], base, &response);
    if (!first.ok()) response.problems.push_back(first.error());
  } else {
    ReadFirstLine(reply.lines[0], &response);
  }
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    base += reply.lines[i - 1].size() + 2 + 4;
    if (strict) {
      Result<EhloKeyword> line = ParseLine(reply.lines[i], base);
      if (line.ok()) {
        response.keywords.push_back(std::move(*line));
      } else {
        response.problems.push_back(line.error());
      }
    } else if (std::optional<EhloKeyword> line = ReadLine(reply.lines[i])) {
      response.keywords.push_back(std::move(*line));
    }
  }
  return response;
}

Result<EhloResponse> ParseEhloResponse(const Reply &reply) {
  EhloResponse response = ParseEhlo(reply, EhloMode::kStrict);
  if (!response.problems.empty()) return response.problems.front();
  return response;
}

Reply RenderEhloResponse(const EhloResponse &response) {
  Reply reply;
  reply.code = 250;
  std::string first = response.domain;
  if (!response.greeting.empty()) first += " " + response.greeting;
  reply.lines.push_back(std::move(first));
  for (const EhloKeyword &keyword : response.keywords) {
    std::string line = keyword.keyword;
    for (const std::string &param : keyword.params) line += " " + param;
    reply.lines.push_back(std::move(line));
  }
  return reply;
}

const EhloKeyword *FindKeyword(const EhloResponse &response,
                               std::string_view keyword) {
  for (const EhloKeyword &candidate : response.keywords) {
    if (syntax::EqualsIgnoreCase(candidate.keyword, keyword)) {
      return &candidate;
    }
  }
  return nullptr;
}

bool AdvertisesKeyword(const Reply &reply, std::string_view keyword) {
  return FindKeyword(ParseEhlo(reply, EhloMode::kLenient), keyword) != nullptr;
}

}  // namespace smtpspec
