#include "engine/path.h"

#include <string>
#include <string_view>
#include <utility>

namespace smtpspec {
namespace {

using syntax::DescribeByte;
using syntax::EqualsIgnoreCase;
using syntax::Fail;
using syntax::IsAtext;
using syntax::IsNonAscii;
using syntax::NonAsciiLength;
using syntax::Shift;

Error Prefix(Error error, std::string_view field) {
  error.reason = std::string(field) + ": " + error.reason;
  return error;
}

// RFC 5321 4.1.2: Dot-string = Atom *("." Atom), Atom = 1*atext.
Result<std::string> ParseDotString(std::string_view text, std::size_t* pos,
                                   Charset charset) {
  const std::size_t start = *pos;
  std::string value;
  while (*pos < text.size()) {
    const char c = text[*pos];
    if (IsAtext(c)) {
      value += c;
      ++*pos;
    } else if (IsNonAscii(c)) {
      Result<std::size_t> n =
          NonAsciiLength(text, *pos, charset, "a local-part");
      if (!n.ok()) return n.error();
      value.append(text.substr(*pos, *n));
      *pos += *n;
    } else if (c == '.') {
      if (*pos == start) {
        return Fail(*pos,
                    "a local-part may not start with '.' (RFC 5321 "
                    "4.1.2: Dot-string = Atom *(\".\" Atom))");
      }
      const char next = *pos + 1 < text.size() ? text[*pos + 1] : '\0';
      if (next == '.') {
        return Fail(*pos + 1,
                    "a local-part may not contain two dots in a "
                    "row unless quoted (RFC 5321 4.1.2 "
                    "Dot-string)");
      }
      if (!IsAtext(next) && !IsNonAscii(next)) {
        return Fail(*pos,
                    "a local-part may not end with '.' unless quoted "
                    "(RFC 5321 4.1.2 Dot-string)");
      }
      value += c;
      ++*pos;
    } else {
      break;
    }
  }
  if (*pos == start) {
    if (*pos == text.size() || text[*pos] == '@' || text[*pos] == '>') {
      return Fail(*pos,
                  "the local-part is empty (RFC 5321 4.1.2: Atom = "
                  "1*atext)");
    }
    return Fail(*pos, DescribeByte(text[*pos]) +
                          " cannot start a local-part (RFC 5321 4.1.2 "
                          "Local-part = Dot-string / Quoted-string)");
  }
  return value;
}

// RFC 5321 4.1.2: Quoted-string = DQUOTE *QcontentSMTP DQUOTE, with
// quoted-pairSMTP = %d92 %d32-126 and qtextSMTP = %d32-33 / %d35-91 /
// %d93-126 (=/ UTF8-non-ascii with SMTPUTF8, RFC 6531 3.3).
Result<std::string> ParseQuotedString(std::string_view text, std::size_t* pos,
                                      Charset charset) {
  ++*pos;  // the opening DQUOTE
  std::string value;
  while (true) {
    if (*pos >= text.size()) {
      return Fail(*pos,
                  "the quoted local-part is not closed with '\"' (RFC "
                  "5321 4.1.2 Quoted-string)");
    }
    const char c = text[*pos];
    if (c == '"') {
      ++*pos;
      return value;
    }
    if (c == '\\') {
      if (*pos + 1 >= text.size()) {
        return Fail(*pos + 1,
                    "the quoted local-part ends inside a '\\' "
                    "escape (RFC 5321 4.1.2 quoted-pairSMTP)");
      }
      const char escaped = text[*pos + 1];
      if (escaped < 32 || escaped > 126) {
        return Fail(*pos + 1, DescribeByte(escaped) +
                                  " cannot follow '\\': quoted-pairSMTP is "
                                  "'\\' and printable ASCII or space (RFC "
                                  "5321 4.1.2)");
      }
      value += escaped;
      *pos += 2;
    } else if (syntax::IsQtextSmtp(c)) {
      value += c;
      ++*pos;
    } else if (IsNonAscii(c)) {
      Result<std::size_t> n =
          NonAsciiLength(text, *pos, charset, "a quoted local-part");
      if (!n.ok()) return n.error();
      value.append(text.substr(*pos, *n));
      *pos += *n;
    } else {
      return Fail(*pos, DescribeByte(c) +
                            " is not allowed in a quoted local-part, even "
                            "escaped (RFC 5321 4.1.2 qtextSMTP)");
    }
  }
}

// Local-part = Dot-string / Quoted-string; *quoted says which it was.
Result<std::string> ParseLocalPart(std::string_view text, std::size_t* pos,
                                   Charset charset, bool* quoted) {
  *quoted = *pos < text.size() && text[*pos] == '"';
  return *quoted ? ParseQuotedString(text, pos, charset)
                 : ParseDotString(text, pos, charset);
}

// The byte after a local-part should be '@'; say what is wrong instead.
Error MissingAt(std::string_view text, std::size_t pos, bool quoted) {
  if (pos == text.size()) {
    return Fail(pos,
                "expected '@' and a domain after the local-part (RFC "
                "5321 4.1.2 Mailbox)");
  }
  if (quoted || text[pos] == '>') {
    return Fail(pos, "expected '@' after the local-part, found " +
                         DescribeByte(text[pos]) + " (RFC 5321 4.1.2 Mailbox)");
  }
  return Fail(pos, DescribeByte(text[pos]) +
                       " is not allowed in a local-part unless it is quoted "
                       "(RFC 5321 4.1.2 Dot-string)");
}

// "@" Domain / address-literal, after a local-part.
Result<Domain> ParseAtDomain(std::string_view text, std::size_t* pos,
                             Charset charset) {
  ++*pos;  // the '@'
  std::size_t length = 0;
  Result<Domain> domain =
      ParseDomainPrefix(text.substr(*pos), charset, &length);
  if (!domain.ok()) return Shift(domain.error(), *pos);
  *pos += length;
  return domain;
}

// A-d-l = At-domain *( "," At-domain ), then ":". `*pos` is at the '@'.
Status ParseSourceRoute(std::string_view text, std::size_t* pos,
                        Charset charset, std::vector<std::string>* route) {
  while (true) {
    const std::size_t start = *pos + 1;
    Result<Domain> domain = ParseAtDomain(text, pos, charset);
    if (!domain.ok()) return domain.error();
    if (domain->kind != Domain::Kind::kName) {
      return Fail(start,
                  "a source route holds domain names, not address "
                  "literals (RFC 5321 4.1.2 At-domain)");
    }
    route->push_back(domain->value);
    if (*pos < text.size() && text[*pos] == ':') {
      ++*pos;
      return OkStatus();
    }
    if (*pos < text.size() && text[*pos] == ',') {
      ++*pos;
      if (*pos < text.size() && text[*pos] == '@') continue;
      return Fail(*pos,
                  "expected '@' and a domain after ',' in the source "
                  "route (RFC 5321 4.1.2 A-d-l)");
    }
    return Fail(*pos,
                "expected ',' or ':' after a source-route domain (RFC "
                "5321 4.1.2 A-d-l); a path starting with '@' is a "
                "source route, is the local-part missing?");
  }
}

enum class Role { kReverse, kForward };

Result<Path> ParsePathAt(std::string_view text, Role role, Charset charset,
                         std::size_t* length) {
  if (text.empty() || text[0] != '<') {
    return Fail(0,
                "a path must be enclosed in '<' and '>', as in "
                "<user@example.org> (RFC 5321 4.1.2 Path)");
  }
  std::size_t pos = 1;
  Path path;
  if (pos < text.size() && text[pos] == '>') {
    if (role == Role::kForward) {
      return Fail(pos,
                  "the null path <> is allowed only in MAIL FROM, not "
                  "as a recipient (RFC 5321 4.1.1.2, 4.1.1.3)");
    }
    path.kind = Path::Kind::kNull;
    *length = pos + 1;
    return path;
  }
  if (pos < text.size() && text[pos] == '@') {
    Status route = ParseSourceRoute(text, &pos, charset, &path.source_route);
    if (!route.ok()) return route.error();
  }
  bool quoted = false;
  Result<std::string> local = ParseLocalPart(text, &pos, charset, &quoted);
  if (!local.ok()) return local.error();
  path.mailbox.local_part = std::move(*local);

  if (!quoted && pos < text.size() && text[pos] == '>' &&
      path.source_route.empty() &&
      EqualsIgnoreCase(path.mailbox.local_part, "postmaster")) {
    // RFC 5321 4.1.1.3: "<Postmaster>" is a case-insensitive literal of
    // the rcpt command, not a mailbox.
    if (role == Role::kReverse) {
      return Fail(pos,
                  "<Postmaster> without a domain is allowed only in "
                  "RCPT TO (RFC 5321 4.1.1.3)");
    }
    path.kind = Path::Kind::kPostmaster;
    *length = pos + 1;
    return path;
  }
  if (pos >= text.size() || text[pos] != '@') {
    return MissingAt(text, pos, quoted);
  }
  Result<Domain> domain = ParseAtDomain(text, &pos, charset);
  if (!domain.ok()) return domain.error();
  path.mailbox.domain = std::move(*domain);
  if (pos >= text.size()) {
    return Fail(pos,
                "the path is not closed with '>' (RFC 5321 4.1.2 "
                "Path)");
  }
  if (text[pos] != '>') {
    return Fail(pos, "expected '>' to close the path, found " +
                         DescribeByte(text[pos]) + " (RFC 5321 4.1.2 Path)");
  }
  *length = pos + 1;
  return path;
}

Result<Path> ParseWholePath(std::string_view text, Role role, Charset charset) {
  std::size_t length = 0;
  Result<Path> path = ParsePathAt(text, role, charset, &length);
  if (path.ok() && length != text.size()) {
    return Fail(length, "unexpected " + DescribeByte(text[length]) +
                            " after the path's closing '>' (RFC 5321 4.1.2)");
  }
  return path;
}

// RFC 5321 4.1.2: may `local_part` go on the wire without quotes?
bool IsDotString(std::string_view local_part, Charset charset) {
  bool after_dot = true;  // also "at the start"
  for (std::size_t i = 0; i < local_part.size(); ++i) {
    const char c = local_part[i];
    if (c == '.') {
      if (after_dot) return false;
      after_dot = true;
      continue;
    }
    if (IsNonAscii(c)) {
      if (charset == Charset::kAscii) return false;
      const std::size_t n = syntax::Utf8SequenceLength(local_part, i);
      if (n == 0) return false;
      i += n - 1;
    } else if (!IsAtext(c)) {
      return false;
    }
    after_dot = false;
  }
  return !after_dot;
}

// The source route as rendered, "@a,@b:", validating each domain name.
Result<std::string> RenderSourceRoute(const std::vector<std::string>& route,
                                      Charset charset) {
  std::string out;
  for (std::size_t i = 0; i < route.size(); ++i) {
    Result<std::string> domain =
        RenderDomain(Domain{Domain::Kind::kName, route[i], ""}, charset);
    if (!domain.ok()) {
      return Prefix(domain.error(),
                    "source route domain " + std::to_string(i + 1));
    }
    out += (i == 0 ? "@" : ",@") + *domain;
  }
  if (!out.empty()) out += ':';
  return out;
}

}  // namespace

Result<Path> ParseReversePath(std::string_view text, Charset charset) {
  return ParseWholePath(text, Role::kReverse, charset);
}

Result<Path> ParseForwardPath(std::string_view text, Charset charset) {
  return ParseWholePath(text, Role::kForward, charset);
}

Result<Path> ParseReversePathPrefix(std::string_view text, Charset charset,
                                    std::size_t* length) {
  return ParsePathAt(text, Role::kReverse, charset, length);
}

Result<Path> ParseForwardPathPrefix(std::string_view text, Charset charset,
                                    std::size_t* length) {
  return ParsePathAt(text, Role::kForward, charset, length);
}

Result<Mailbox> ParseMailbox(std::string_view text, Charset charset) {
  std::size_t pos = 0;
  bool quoted = false;
  Result<std::string> local = ParseLocalPart(text, &pos, charset, &quoted);
  if (!local.ok()) return local.error();
  if (pos >= text.size() || text[pos] != '@') {
    return MissingAt(text, pos, quoted);
  }
  Result<Domain> domain = ParseAtDomain(text, &pos, charset);
  if (!domain.ok()) return domain.error();
  if (pos != text.size()) {
    return Fail(pos, "unexpected " + DescribeByte(text[pos]) +
                         " after the mailbox's domain (RFC 5321 4.1.2)");
  }
  return Mailbox{std::move(*local), std::move(*domain)};
}

Result<std::string> RenderLocalPart(std::string_view local_part,
                                    Charset charset) {
  if (IsDotString(local_part, charset)) return std::string(local_part);
  std::string out = "\"";
  for (std::size_t i = 0; i < local_part.size(); ++i) {
    const char c = local_part[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c >= 32 && c <= 126) {
      out += c;
    } else if (IsNonAscii(c)) {
      Result<std::size_t> n =
          NonAsciiLength(local_part, i, charset, "a local-part");
      if (!n.ok()) return n.error();
      out.append(local_part.substr(i, *n));
      i += *n - 1;
    } else {
      return Fail(i, DescribeByte(c) +
                         " cannot be carried in a local-part, quoted or not "
                         "(RFC 5321 4.1.2 qtextSMTP, quoted-pairSMTP)");
    }
  }
  out += '"';
  return out;
}

Result<std::string> RenderMailbox(const Mailbox& mailbox, Charset charset) {
  Result<std::string> local = RenderLocalPart(mailbox.local_part, charset);
  if (!local.ok()) return Prefix(local.error(), "local-part");
  Result<std::string> domain = RenderDomain(mailbox.domain, charset);
  if (!domain.ok()) return Prefix(domain.error(), "domain");
  return *local + "@" + *domain;
}

Result<std::string> RenderPath(const Path& path, Charset charset) {
  switch (path.kind) {
    case Path::Kind::kNull:
      if (!path.source_route.empty() || path.mailbox != Mailbox{}) {
        return Fail(0,
                    "the null path <> carries no mailbox and no source "
                    "route (RFC 5321 4.1.2 Reverse-path)");
      }
      return std::string("<>");
    case Path::Kind::kPostmaster: {
      if (!path.source_route.empty() || path.mailbox.domain != Domain{}) {
        return Fail(0,
                    "<Postmaster> has no domain and no source route (RFC "
                    "5321 4.1.1.3)");
      }
      const std::string& local = path.mailbox.local_part;
      if (local.empty()) return std::string("<Postmaster>");
      if (!EqualsIgnoreCase(local, "postmaster")) {
        return Fail(0,
                    "a Kind::kPostmaster path needs the local-part "
                    "\"Postmaster\" in any case, not \"" +
                        local + "\" (RFC 5321 4.1.1.3)");
      }
      return "<" + local + ">";
    }
    case Path::Kind::kMailbox:
      break;
  }
  Result<std::string> route = RenderSourceRoute(path.source_route, charset);
  if (!route.ok()) return route.error();
  Result<std::string> mailbox = RenderMailbox(path.mailbox, charset);
  if (!mailbox.ok()) return mailbox.error();
  return "<" + *route + *mailbox + ">";
}

Status CheckLengths(const Path& path) {
  Result<std::string> text = RenderPath(path, Charset::kUtf8);
  if (!text.ok()) return text.error();
  if (path.kind != Path::Kind::kMailbox) return OkStatus();
  // Offsets in the rendered path: "<", route domains, local-part, domain.
  std::size_t pos = 1;
  for (const std::string& name : path.source_route) {
    Status st = CheckDomainLengths(Domain{Domain::Kind::kName, name, ""});
    if (!st.ok()) return Prefix(Shift(st.error(), pos + 1), "source route");
    pos += 1 + name.size() + 1;  // "@name" and ',' or ':'
  }
  // Rendering succeeded above, so this does too.
  const std::size_t local_size =
      RenderLocalPart(path.mailbox.local_part, Charset::kUtf8)->size();
  if (local_size > 64) {
    return Fail(pos, "the local-part is " + std::to_string(local_size) +
                         " octets long; RFC 5321 4.5.3.1.1 allows 64");
  }
  pos += local_size + 1;
  Status domain = CheckDomainLengths(path.mailbox.domain);
  if (!domain.ok()) return Shift(domain.error(), pos);
  if (text->size() > 256) {
    return Fail(256, "the path is " + std::to_string(text->size()) +
                         " octets long with its angle brackets; RFC 5321 "
                         "4.5.3.1.3 allows 256");
  }
  return OkStatus();
}

bool IsPostmaster(const Path& path) {
  return path.kind == Path::Kind::kPostmaster ||
         (path.kind == Path::Kind::kMailbox &&
          EqualsIgnoreCase(path.mailbox.local_part, "postmaster"));
}

}  // namespace smtpspec
