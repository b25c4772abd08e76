#include "engine/domain.h"

#include <string>
#include <string_view>
#include <utility>

namespace smtpspec {
namespace {

using syntax::DescribeByte;
using syntax::Fail;
using syntax::IsDigit;
using syntax::IsLetDig;

// What may follow a domain name in a path, a source route or an EHLO
// reply line; anything else is part of the name and is checked as such.
bool EndsName(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 33 || u == 127 || c == '>' || c == ',' || c == ':';
}

// RFC 5321 4.1.2: Domain = sub-domain *("." sub-domain),
// sub-domain = Let-dig [Ldh-str], Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig.
// RFC 6531 3.3 adds sub-domain =/ U-label: with kUtf8 well-formed UTF-8
// counts as a letter. (Whether a U-label is valid IDNA2008 needs Unicode
// tables and is not checked here.)
Status CheckName(std::string_view name, Charset charset) {
  if (name.empty()) {
    return Fail(0, "expected a domain name (RFC 5321 4.1.2 Domain)");
  }
  std::size_t pos = 0;
  while (true) {
    const std::size_t start = pos;
    if (pos == name.size()) {
      return Fail(pos,
                  "a domain may not end with '.' (RFC 5321 4.1.2: Domain = "
                  "sub-domain *(\".\" sub-domain))");
    }
    if (name[pos] == '.') {
      return Fail(pos, pos == 0 ? "a domain may not start with '.' (RFC "
                                  "5321 4.1.2 Domain)"
                                : "a domain may not contain an empty label "
                                  "\"..\" (RFC 5321 4.1.2 Domain)");
    }
    bool ends_in_hyphen = false;
    while (pos < name.size() && name[pos] != '.') {
      const char c = name[pos];
      ends_in_hyphen = c == '-';
      if (IsLetDig(c)) {
        ++pos;
      } else if (c == '-') {
        if (pos == start) {
          return Fail(pos,
                      "a domain label must start with a letter or digit, not "
                      "'-' (RFC 5321 4.1.2: sub-domain = Let-dig [Ldh-str])");
        }
        ++pos;
      } else if (syntax::IsNonAscii(c)) {
        Result<std::size_t> n =
            syntax::NonAsciiLength(name, pos, charset, "a domain name");
        if (!n.ok()) return n.error();
        pos += *n;
      } else {
        return Fail(pos, DescribeByte(c) +
                             " is not allowed in a domain name, which holds "
                             "letters, digits, '-' and '.' (RFC 5321 4.1.2)");
      }
    }
    if (ends_in_hyphen) {
      return Fail(pos - 1,
                  "a domain label may not end with '-' (RFC 5321 4.1.2: "
                  "Ldh-str ends with Let-dig)");
    }
    if (pos == name.size()) return OkStatus();
    ++pos;  // the '.'
  }
}

// RFC 5321 4.1.3: IPv4-address-literal = Snum 3("." Snum), where
// Snum = 1*3DIGIT "representing a decimal integer value in the range 0
// through 255". Offsets are `base` + the position in `s`.
Status CheckIPv4(std::string_view s, std::size_t base) {
  std::size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (pos >= s.size() || s[pos] != '.') {
        return Fail(base + pos,
                    "an IPv4 address literal is four numbers separated by "
                    "'.' (RFC 5321 4.1.3 IPv4-address-literal)");
      }
      ++pos;
    }
    const std::size_t start = pos;
    int value = 0;
    while (pos < s.size() && IsDigit(s[pos]) && pos - start < 3) {
      value = value * 10 + (s[pos] - '0');
      ++pos;
    }
    if (pos == start) {
      return Fail(base + pos,
                  "expected a decimal number from 0 to 255 in the IPv4 "
                  "address literal (RFC 5321 4.1.3 Snum)");
    }
    if (pos < s.size() && IsDigit(s[pos])) {
      return Fail(base + start,
                  "an IPv4 number has at most three digits (RFC 5321 4.1.3: "
                  "Snum = 1*3DIGIT)");
    }
    if (value > 255) {
      return Fail(base + start, std::to_string(value) +
                                    " is out of range for an IPv4 address "
                                    "literal, whose numbers are 0 to 255 "
                                    "(RFC 5321 4.1.3 Snum)");
    }
  }
  if (pos != s.size()) {
    return Fail(base + pos, "unexpected " + DescribeByte(s[pos]) +
                                " after the four numbers of an IPv4 address "
                                "literal (RFC 5321 4.1.3)");
  }
  return OkStatus();
}

// Counts the groups of one side of an IPv6 address (`part`, found at
// `base`): 16-bit hex groups, and whether it ends in an IPv4 address.
struct Ipv6Groups {
  int hex = 0;
  bool ipv4 = false;
};

Status CountIPv6Groups(std::string_view part, std::size_t base,
                       bool may_end_in_ipv4, Ipv6Groups* groups) {
  if (part.empty()) return OkStatus();
  std::size_t pos = 0;
  while (true) {
    std::size_t end = part.find(':', pos);
    if (end == std::string_view::npos) end = part.size();
    const std::string_view group = part.substr(pos, end - pos);
    if (group.find('.') != std::string_view::npos) {
      if (!may_end_in_ipv4 || end != part.size()) {
        return Fail(base + pos,
                    "an IPv4 part may only end an IPv6 address (RFC 5321 "
                    "4.1.3 IPv6v4-full, IPv6v4-comp)");
      }
      Status ipv4 = CheckIPv4(group, base + pos);
      if (!ipv4.ok()) return ipv4;
      groups->ipv4 = true;
    } else {
      if (group.empty()) {
        return Fail(base + pos,
                    "an IPv6 group needs 1 to 4 hex digits, and only one "
                    "\"::\" may stand for zero groups (RFC 5321 4.1.3 "
                    "IPv6-hex)");
      }
      for (std::size_t i = 0; i < group.size(); ++i) {
        if (!syntax::IsHexDigit(group[i])) {
          return Fail(base + pos + i,
                      DescribeByte(group[i]) +
                          " is not a hex digit in an IPv6 address (RFC 5321 "
                          "4.1.3 IPv6-hex)");
        }
      }
      if (group.size() > 4) {
        return Fail(base + pos,
                    "an IPv6 group has at most 4 hex digits (RFC 5321 4.1.3: "
                    "IPv6-hex = 1*4HEXDIG)");
      }
      ++groups->hex;
    }
    if (end == part.size()) return OkStatus();
    pos = end + 1;
  }
}

// RFC 5321 4.1.3: IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full /
// IPv6v4-comp. "::" stands for at least two zero groups, so it leaves room
// for at most 6 explicit groups (4 when an IPv4 address takes two).
Status CheckIPv6(std::string_view s, std::size_t base) {
  if (s.empty()) {
    return Fail(base,
                "expected an IPv6 address after \"IPv6:\" (RFC 5321 "
                "4.1.3 IPv6-address-literal)");
  }
  const std::size_t gap = s.find("::");
  Ipv6Groups groups;
  if (gap == std::string_view::npos) {
    Status st = CountIPv6Groups(s, base, true, &groups);
    if (!st.ok()) return st;
    if (groups.hex != (groups.ipv4 ? 6 : 8)) {
      return Fail(base,
                  "an IPv6 address without \"::\" has 8 groups, or 6 "
                  "and an IPv4 address (RFC 5321 4.1.3 IPv6-full, "
                  "IPv6v4-full); this one has " +
                      std::to_string(groups.hex));
    }
    return OkStatus();
  }
  const std::size_t second = s.find("::", gap + 1);
  if (second != std::string_view::npos) {
    return Fail(base + second,
                "\"::\" may appear only once in an IPv6 address (RFC 5321 "
                "4.1.3 IPv6-comp)");
  }
  Status head = CountIPv6Groups(s.substr(0, gap), base, false, &groups);
  if (!head.ok()) return head;
  Status tail =
      CountIPv6Groups(s.substr(gap + 2), base + gap + 2, true, &groups);
  if (!tail.ok()) return tail;
  const int limit = groups.ipv4 ? 4 : 6;
  if (groups.hex > limit) {
    return Fail(base, "with \"::\" an IPv6 address has at most " +
                          std::to_string(limit) +
                          " other hex groups (RFC 5321 4.1.3 IPv6-comp, "
                          "IPv6v4-comp); this one has " +
                          std::to_string(groups.hex));
  }
  return OkStatus();
}

// RFC 5321 4.1.3 General-address-literal = Standardized-tag ":" 1*dcontent,
// Standardized-tag = Ldh-str. `content` is everything between the brackets
// (which are at offset 0 and content.size() + 1).
Result<Domain> ParseLiteralContent(std::string_view content) {
  if (content.empty()) {
    return Fail(1, "an address literal may not be empty (RFC 5321 4.1.3)");
  }
  const std::size_t colon = content.find(':');
  if (colon == std::string_view::npos) {
    Status ipv4 = CheckIPv4(content, 1);
    if (!ipv4.ok()) {
      Error e = ipv4.error();
      e.reason += "; other literals take the form [tag:content]";
      return e;
    }
    return Domain{Domain::Kind::kIPv4, std::string(content), ""};
  }
  const std::string_view tag = content.substr(0, colon);
  const std::string_view rest = content.substr(colon + 1);
  if (syntax::EqualsIgnoreCase(tag, "IPv6")) {
    Status ipv6 = CheckIPv6(rest, colon + 2);
    if (!ipv6.ok()) return ipv6.error();
    return Domain{Domain::Kind::kIPv6, std::string(rest), ""};
  }
  if (tag.empty()) {
    return Fail(1,
                "a general address literal needs a tag before ':' (RFC "
                "5321 4.1.3 General-address-literal)");
  }
  for (std::size_t i = 0; i < tag.size(); ++i) {
    if (!IsLetDig(tag[i]) && tag[i] != '-') {
      return Fail(1 + i, DescribeByte(tag[i]) +
                             " is not allowed in an address literal tag, "
                             "which holds letters, digits and '-' (RFC 5321 "
                             "4.1.3 Standardized-tag)");
    }
  }
  if (!IsLetDig(tag.back())) {
    return Fail(colon,
                "an address literal tag must end with a letter or "
                "digit (RFC 5321 4.1.3: Standardized-tag = Ldh-str)");
  }
  if (rest.empty()) {
    return Fail(colon + 2,
                "expected content after the address literal tag "
                "(RFC 5321 4.1.3: 1*dcontent)");
  }
  return Domain{Domain::Kind::kGeneral, std::string(rest), std::string(tag)};
}

Result<Domain> ParseLiteralPrefix(std::string_view text, std::size_t* length) {
  // dcontent = %d33-90 / %d94-126: printable ASCII but '[', '\' and ']'.
  std::size_t pos = 1;
  while (pos < text.size() && syntax::IsGraphic(text[pos]) &&
         text[pos] != '[' && text[pos] != '\\' && text[pos] != ']') {
    ++pos;
  }
  if (pos == text.size()) {
    return Fail(pos,
                "the address literal is not closed with ']' (RFC 5321 "
                "4.1.3 address-literal)");
  }
  if (text[pos] != ']') {
    return Fail(pos, DescribeByte(text[pos]) +
                         " is not allowed in an address literal (RFC 5321 "
                         "4.1.3 dcontent)");
  }
  *length = pos + 1;
  return ParseLiteralContent(text.substr(1, pos - 1));
}

}  // namespace

Result<Domain> ParseDomainPrefix(std::string_view text, Charset charset,
                                 std::size_t* length) {
  if (!text.empty() && text[0] == '[') return ParseLiteralPrefix(text, length);
  std::size_t end = 0;
  while (end < text.size() && !EndsName(text[end])) ++end;
  const std::string_view name = text.substr(0, end);
  Status st = CheckName(name, charset);
  if (!st.ok()) return st.error();
  *length = end;
  return Domain{Domain::Kind::kName, std::string(name), ""};
}

Result<Domain> ParseDomain(std::string_view text, Charset charset) {
  std::size_t length = 0;
  Result<Domain> domain = ParseDomainPrefix(text, charset, &length);
  if (domain.ok() && length != text.size()) {
    return Fail(length, "unexpected " + DescribeByte(text[length]) +
                            " after the domain (RFC 5321 4.1.2)");
  }
  return domain;
}

Result<std::string> RenderDomain(const Domain& domain, Charset charset) {
  std::string text;
  switch (domain.kind) {
    case Domain::Kind::kName:
      text = domain.value;
      break;
    case Domain::Kind::kIPv4:
      text = "[" + domain.value + "]";
      break;
    case Domain::Kind::kIPv6:
      text = "[IPv6:" + domain.value + "]";
      break;
    case Domain::Kind::kGeneral:
      if (syntax::EqualsIgnoreCase(domain.tag, "IPv6")) {
        return Fail(1,
                    "the address literal tag \"IPv6\" is reserved for "
                    "IPv6 addresses (RFC 5321 4.1.3); use Kind::kIPv6");
      }
      if (domain.tag.find(':') != std::string::npos) {
        return Fail(1 + domain.tag.find(':'),
                    "an address literal tag may not contain ':' (RFC 5321 "
                    "4.1.3 Standardized-tag)");
      }
      text = "[" + domain.tag + ":" + domain.value + "]";
      break;
  }
  Result<Domain> parsed = ParseDomain(text, charset);
  if (!parsed.ok()) return parsed.error();
  const bool same =
      parsed->kind == domain.kind && parsed->value == domain.value &&
      (domain.kind != Domain::Kind::kGeneral || parsed->tag == domain.tag);
  if (!same) {
    return Fail(0, "the domain's value \"" + domain.value +
                       "\" does not match its kind (RFC 5321 4.1.2, 4.1.3)");
  }
  return text;
}

Status CheckDomainLengths(const Domain& domain) {
  Result<std::string> text = RenderDomain(domain, Charset::kUtf8);
  if (!text.ok()) return text.error();
  if (text->size() > 255) {
    return Fail(255, "the domain is " + std::to_string(text->size()) +
                         " octets long; RFC 5321 4.5.3.1.2 allows 255");
  }
  if (domain.kind != Domain::Kind::kName) return OkStatus();
  std::size_t start = 0;
  while (start <= text->size()) {
    std::size_t end = text->find('.', start);
    if (end == std::string::npos) end = text->size();
    if (end - start > 63) {
      return Fail(start, "a domain label is " + std::to_string(end - start) +
                             " octets long; RFC 1035 2.3.4 allows 63");
    }
    start = end + 1;
  }
  return OkStatus();
}

}  // namespace smtpspec
