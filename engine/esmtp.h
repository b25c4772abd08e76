// ESMTP parameters and the arguments of MAIL and RCPT (RFC 5321 4.1.1.2,
// 4.1.1.3, 4.1.2):
//
//   mail            = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
//   rcpt            = "RCPT TO:" ( "<Postmaster@" Domain ">" /
//                     "<Postmaster>" / Forward-path ) [SP Rcpt-parameters] CRLF
//   Mail-parameters = esmtp-param *(SP esmtp-param)
//   esmtp-param     = esmtp-keyword ["=" esmtp-value]
//   esmtp-keyword   = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
//   esmtp-value     = 1*(%d33-60 / %d62-126)   ; =/ UTF8-non-ascii, RFC 6531
//
// What each parameter means (SIZE, BODY, NOTIFY, ...) is the business of the
// extension that defines it; this layer only gets the syntax right.
#ifndef SMTPSPEC_ENGINE_ESMTP_H_
#define SMTPSPEC_ENGINE_ESMTP_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/path.h"
#include "engine/result.h"
#include "engine/syntax.h"

namespace smtpspec {

// One esmtp-param. The keyword keeps its spelling; compare it
// case-insensitively (RFC 5321 2.4). `value` is absent for a bare keyword
// ("SMTPUTF8") and never empty when present. Values are raw: xtext (xtext.h)
// is decoded by the extensions that use it (RFC 3461 ORCPT, ENVID).
struct Parameter {
  std::string keyword;
  std::optional<std::string> value;

  bool operator==(const Parameter&) const = default;
};

// The argument of MAIL or RCPT after the verb: the path and its parameters.
struct PathArgument {
  Path path;
  std::vector<Parameter> parameters;

  bool operator==(const PathArgument&) const = default;
};

struct ArgumentOptions {
  // kUtf8 when SMTPUTF8 is in use (RFC 6531 3.3): UTF-8 in the path and in
  // parameter values. Whether the MAIL command also carries the SMTPUTF8
  // parameter is the caller's check.
  Charset charset = Charset::kAscii;
  // The grammar has no space after "FROM:" or "TO:" (RFC 5321 4.1.1.2,
  // 4.1.1.3), yet some clients send "MAIL FROM: <a@b.example>" and many
  // servers take it. Strict by default; true skips spaces there.
  bool allow_space_after_colon = false;
};

// Parses "KEY=value KEY2" (esmtp-param *(SP esmtp-param), exactly one space
// between parameters); "" gives no parameters. Duplicate keywords are
// reported as given: whether they are allowed is each extension's rule.
Result<std::vector<Parameter>> ParseParameters(
    std::string_view text, Charset charset = Charset::kAscii);

// "KEY" or "KEY=value", refusing a keyword or value that the grammar above
// does not allow (an empty value, '=' or space in a value, ...).
Result<std::string> RenderParameter(const Parameter& parameter,
                                    Charset charset = Charset::kAscii);
// The parameters joined by single spaces; "" for none.
Result<std::string> RenderParameters(const std::vector<Parameter>& parameters,
                                     Charset charset = Charset::kAscii);

// The first parameter whose keyword matches, case-insensitively, or null.
const Parameter* FindParameter(const std::vector<Parameter>& parameters,
                               std::string_view keyword);

// Parse the argument of MAIL ("FROM:<a@b.example> SIZE=1000") or of RCPT
// ("TO:<x@y.example> NOTIFY=NEVER", also "TO:<Postmaster>"); "FROM:" and
// "TO:" in any case. Error offsets count from the start of `argument`.
// A space after the colon is refused, unless allowed by `options`, with an
// error at that space whose reason says so.
Result<PathArgument> ParseMailArgument(std::string_view argument,
                                       const ArgumentOptions& options = {});
Result<PathArgument> ParseRcptArgument(std::string_view argument,
                                       const ArgumentOptions& options = {});

// "FROM:<path> PARAMS" and "TO:<path> PARAMS", as RenderPath and
// RenderParameters. MAIL refuses <Postmaster> and RCPT refuses <>.
Result<std::string> RenderMailArgument(const PathArgument& argument,
                                       Charset charset = Charset::kAscii);
Result<std::string> RenderRcptArgument(const PathArgument& argument,
                                       Charset charset = Charset::kAscii);

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_ESMTP_H_
