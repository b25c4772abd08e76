#include "engine/esmtp.h"

#include <string>
#include <string_view>
#include <utility>

namespace smtpspec {
namespace {

using syntax::DescribeByte;
using syntax::Fail;
using syntax::Shift;

// RFC 5321 4.1.2: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-").
Status CheckKeyword(std::string_view keyword) {
  const std::size_t bad = syntax::FindKeywordError(keyword);
  if (bad == std::string_view::npos) return OkStatus();
  if (keyword.empty()) {
    return Fail(0,
                "expected a parameter keyword (RFC 5321 4.1.2 "
                "esmtp-keyword)");
  }
  return Fail(bad, DescribeByte(keyword[bad]) +
                       (bad == 0 ? " cannot start a parameter keyword, which "
                                   "begins with a letter or digit"
                                 : " is not allowed in a parameter keyword, "
                                   "which holds letters, digits and '-'") +
                       " (RFC 5321 4.1.2 esmtp-keyword)");
}

// RFC 5321 4.1.2: esmtp-value = 1*(%d33-60 / %d62-126); RFC 6531 3.3 adds
// UTF8-non-ascii under SMTPUTF8.
Status CheckValue(std::string_view value, Charset charset) {
  if (value.empty()) {
    return Fail(0,
                "the value after '=' is empty (RFC 5321 4.1.2: "
                "esmtp-value = 1*(%d33-60 / %d62-126))");
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (syntax::IsEsmtpValueChar(c)) continue;
    if (syntax::IsNonAscii(c)) {
      Result<std::size_t> n =
          syntax::NonAsciiLength(value, i, charset, "a parameter value");
      if (!n.ok()) return n.error();
      i += *n - 1;
      continue;
    }
    return Fail(i, DescribeByte(c) +
                       " is not allowed in a parameter value, which holds "
                       "printable ASCII except '=' and space (RFC 5321 4.1.2 "
                       "esmtp-value)");
  }
  return OkStatus();
}

Result<PathArgument> ParseArgument(std::string_view argument,
                                   std::string_view verb,
                                   std::string_view keyword,
                                   const ArgumentOptions& options,
                                   bool forward) {
  const std::string quoted = "\"" + std::string(keyword) + ":\"";
  const std::string rfc = forward
                              ? "RFC 5321 4.1.1.3: \"RCPT TO:\" Forward-path"
                              : "RFC 5321 4.1.1.2: \"MAIL FROM:\" Reverse-path";
  if (syntax::StartsWithIgnoreCase(argument, keyword) &&
      argument.size() > keyword.size() && argument[keyword.size()] == ' ') {
    return Fail(keyword.size(), "no space is allowed between " +
                                    std::string(keyword) + " and ':' (" + rfc +
                                    ")");
  }
  if (!syntax::StartsWithIgnoreCase(argument, std::string(keyword) + ":")) {
    return Fail(0, "the " + std::string(verb) + " argument must start with " +
                       quoted + " (" + rfc + ")");
  }
  std::size_t pos = keyword.size() + 1;
  if (pos < argument.size() && argument[pos] == ' ') {
    if (!options.allow_space_after_colon) {
      return Fail(pos, "a space after " + quoted +
                           " is not allowed: the path must follow the colon "
                           "directly (" +
                           rfc + "), though many servers accept it");
    }
    while (pos < argument.size() && argument[pos] == ' ') ++pos;
  }
  std::size_t length = 0;
  const std::string_view rest = argument.substr(pos);
  Result<Path> path =
      forward ? ParseForwardPathPrefix(rest, options.charset, &length)
              : ParseReversePathPrefix(rest, options.charset, &length);
  if (!path.ok()) return Shift(path.error(), pos);
  pos += length;
  PathArgument result{std::move(*path), {}};
  if (pos == argument.size()) return result;
  if (argument[pos] != ' ') {
    return Fail(pos,
                "expected a space between the path and its parameters, "
                "found " +
                    DescribeByte(argument[pos]) + " (" + rfc +
                    " [SP parameters])");
  }
  ++pos;
  if (pos == argument.size()) {
    return Fail(pos,
                "expected a parameter after the space that follows the "
                "path; a trailing space is not allowed (" +
                    rfc + " [SP parameters])");
  }
  Result<std::vector<Parameter>> parameters =
      ParseParameters(argument.substr(pos), options.charset);
  if (!parameters.ok()) return Shift(parameters.error(), pos);
  result.parameters = std::move(*parameters);
  return result;
}

Result<std::string> RenderArgument(std::string_view prefix,
                                   const PathArgument& argument,
                                   Charset charset) {
  Result<std::string> path = RenderPath(argument.path, charset);
  if (!path.ok()) return path.error();
  Result<std::string> parameters =
      RenderParameters(argument.parameters, charset);
  if (!parameters.ok()) return parameters.error();
  std::string out = std::string(prefix) + *path;
  if (!parameters->empty()) out += " " + *parameters;
  return out;
}

}  // namespace

Result<std::vector<Parameter>> ParseParameters(std::string_view text,
                                               Charset charset) {
  std::vector<Parameter> parameters;
  if (text.empty()) return parameters;
  std::size_t pos = 0;
  while (true) {
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] != '=' && text[pos] != ' ') ++pos;
    if (pos == start) {
      if (start == text.size()) {
        return Fail(start,
                    "expected a parameter after the space; a trailing "
                    "space is not allowed (RFC 5321 4.1.2: "
                    "esmtp-param *(SP esmtp-param))");
      }
      return Fail(start, text[start] == ' '
                             ? "parameters are separated by exactly one "
                               "space (RFC 5321 4.1.2: esmtp-param *(SP "
                               "esmtp-param))"
                             : "expected a parameter keyword before '=' (RFC "
                               "5321 4.1.2 esmtp-param)");
    }
    Parameter parameter;
    parameter.keyword = std::string(text.substr(start, pos - start));
    Status keyword = CheckKeyword(parameter.keyword);
    if (!keyword.ok()) return Shift(keyword.error(), start);
    if (pos < text.size() && text[pos] == '=') {
      const std::size_t value_start = ++pos;
      while (pos < text.size() && text[pos] != ' ') ++pos;
      parameter.value =
          std::string(text.substr(value_start, pos - value_start));
      Status value = CheckValue(*parameter.value, charset);
      if (!value.ok()) return Shift(value.error(), value_start);
    }
    parameters.push_back(std::move(parameter));
    if (pos == text.size()) return parameters;
    ++pos;  // the SP
  }
}

Result<std::string> RenderParameter(const Parameter& parameter,
                                    Charset charset) {
  Status keyword = CheckKeyword(parameter.keyword);
  if (!keyword.ok()) return keyword.error();
  if (!parameter.value) return parameter.keyword;
  Status value = CheckValue(*parameter.value, charset);
  if (!value.ok()) return Shift(value.error(), parameter.keyword.size() + 1);
  return parameter.keyword + "=" + *parameter.value;
}

Result<std::string> RenderParameters(const std::vector<Parameter>& parameters,
                                     Charset charset) {
  std::string out;
  for (const Parameter& parameter : parameters) {
    Result<std::string> one = RenderParameter(parameter, charset);
    if (!one.ok()) return Shift(one.error(), out.size() + !out.empty());
    if (!out.empty()) out += ' ';
    out += *one;
  }
  return out;
}

const Parameter* FindParameter(const std::vector<Parameter>& parameters,
                               std::string_view keyword) {
  for (const Parameter& parameter : parameters) {
    if (syntax::EqualsIgnoreCase(parameter.keyword, keyword)) {
      return &parameter;
    }
  }
  return nullptr;
}

Result<PathArgument> ParseMailArgument(std::string_view argument,
                                       const ArgumentOptions& options) {
  return ParseArgument(argument, "MAIL", "FROM", options, /*forward=*/false);
}

Result<PathArgument> ParseRcptArgument(std::string_view argument,
                                       const ArgumentOptions& options) {
  return ParseArgument(argument, "RCPT", "TO", options, /*forward=*/true);
}

Result<std::string> RenderMailArgument(const PathArgument& argument,
                                       Charset charset) {
  if (argument.path.kind == Path::Kind::kPostmaster) {
    return Fail(0,
                "<Postmaster> without a domain is a recipient, not a MAIL "
                "FROM path (RFC 5321 4.1.1.3)");
  }
  return RenderArgument("FROM:", argument, charset);
}

Result<std::string> RenderRcptArgument(const PathArgument& argument,
                                       Charset charset) {
  if (argument.path.kind == Path::Kind::kNull) {
    return Fail(0, "the null path <> is not a recipient (RFC 5321 4.1.1.3)");
  }
  return RenderArgument("TO:", argument, charset);
}

}  // namespace smtpspec
