#include "engine/ehlo.h"

#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "engine/domain.h"
#include "engine/syntax.h"

namespace smtpspec {
namespace {

using syntax::DescribeByte;
using syntax::Fail;

// The first line: Domain [ SP ehlo-greet ]. `base` is its wire offset.
Status ParseFirstLine(std::string_view line, std::size_t base,
                      EhloResponse* response) {
  const std::size_t space = line.find(' ');
  const std::string_view name = line.substr(0, space);
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
  response->domain = std::string(name);
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
  return result;
}

}  // namespace

Result<EhloResponse> ParseEhloResponse(const Reply& reply) {
  if (reply.code != 250) {
    return Fail(0, "a positive EHLO reply has code 250, not " +
                       std::to_string(reply.code) +
                       " (RFC 5321 4.1.1.1 ehlo-ok-rsp)");
  }
  if (reply.enhanced) {
    return Fail(4,
                "an EHLO reply carries no enhanced status code (RFC 2034 "
                "section 3 exempts the replies to HELO and EHLO)");
  }
  if (reply.lines.empty()) {
    return Fail(0, "an EHLO reply has at least one line (RFC 5321 4.1.1.1)");
  }
  EhloResponse response;
  // Wire offset of the text of each line: "250-" before it, CRLF after.
  std::size_t base = 4;
  Status first = ParseFirstLine(reply.lines[0], base, &response);
  if (!first.ok()) return first.error();
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    base += reply.lines[i - 1].size() + 2 + 4;
    Result<EhloKeyword> line = ParseLine(reply.lines[i], base);
    if (!line.ok()) return line.error();
    response.keywords.push_back(std::move(*line));
  }
  return response;
}

Reply RenderEhloResponse(const EhloResponse& response) {
  Reply reply;
  reply.code = 250;
  std::string first = response.domain;
  if (!response.greeting.empty()) first += " " + response.greeting;
  reply.lines.push_back(std::move(first));
  for (const EhloKeyword& keyword : response.keywords) {
    std::string line = keyword.keyword;
    for (const std::string& param : keyword.params) line += " " + param;
    reply.lines.push_back(std::move(line));
  }
  return reply;
}

const EhloKeyword* FindKeyword(const EhloResponse& response,
                               std::string_view keyword) {
  for (const EhloKeyword& candidate : response.keywords) {
    if (syntax::EqualsIgnoreCase(candidate.keyword, keyword)) {
      return &candidate;
    }
  }
  return nullptr;
}

Result<std::optional<std::uint64_t>> SizeLimit(const EhloResponse& response) {
  const EhloKeyword* size = FindKeyword(response, "SIZE");
  if (size == nullptr) {
    return Fail(0, "the server does not advertise SIZE (RFC 1870)");
  }
  if (size->params.empty()) return std::optional<std::uint64_t>();
  if (size->params.size() > 1) {
    return Fail(0,
                "SIZE takes at most one parameter (RFC 1870 section 4: "
                "size-param ::= [1*DIGIT])");
  }
  const std::string& digits = size->params[0];
  if (digits.empty()) {
    return Fail(0, "the SIZE parameter is empty (RFC 1870 section 4)");
  }
  std::uint64_t value = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (!syntax::IsDigit(digits[i])) {
      return Fail(i, DescribeByte(digits[i]) +
                         " in the SIZE parameter, which is a decimal number "
                         "(RFC 1870 section 4)");
    }
    const unsigned digit = digits[i] - '0';
    if (value > (kMax - digit) / 10) {
      return Fail(0,
                  "the SIZE parameter " + digits + " does not fit in 64 bits");
    }
    value = value * 10 + digit;
  }
  return std::optional<std::uint64_t>(value);
}

}  // namespace smtpspec
