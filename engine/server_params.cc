#include "engine/server_params.h"

#include <string>
#include <string_view>

#include "engine/syntax.h"

namespace smtpspec::server {

namespace {

constexpr EnhancedCode kBadArguments{5, 5, 4};  // RFC 3463 5.5.4
constexpr EnhancedCode kTooBig{5, 3, 4};        // RFC 3463 5.3.4

Error Unrecognized(const Parameter& param) {
  // RFC 5321 4.1.1.11: "555 MAIL FROM/RCPT TO parameters not recognized or
  // not implemented".
  return Error{555, kBadArguments,
               "Parameter not recognized or not implemented: " + param.keyword};
}

Error Malformed(std::string text) {
  return Error{501, kBadArguments, std::move(text)};
}

bool Is(const Parameter& param, std::string_view keyword) {
  return syntax::EqualsIgnoreCase(param.keyword, keyword);
}

// RFC 1870 4: size-value ::= 1*20DIGIT. Returns false when not a number
// or when it does not fit; *out saturates at UINT64_MAX.
bool ParseSize(std::string_view text, std::uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!syntax::IsDigit(c)) return false;
    std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      value = UINT64_MAX;
      continue;
    }
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

std::optional<Error> CheckSize(const Parameter& param, const Config& config) {
  std::uint64_t size = 0;
  if (!param.value || !ParseSize(*param.value, &size)) {
    return Malformed("SIZE needs a decimal number (RFC 1870 4)");
  }
  if (config.max_message_size != 0 && size > config.max_message_size) {
    // RFC 1870 6.1: the declared size exceeds the fixed maximum: 552.
    return Error{552, kTooBig,
                 "Message size exceeds fixed maximum message size"};
  }
  return std::nullopt;
}

std::optional<Error> CheckBody(const Parameter& param) {
  if (!param.value) return Malformed("BODY needs 7BIT or 8BITMIME");
  if (syntax::EqualsIgnoreCase(*param.value, "7BIT") ||
      syntax::EqualsIgnoreCase(*param.value, "8BITMIME")) {
    return std::nullopt;  // RFC 6152 2
  }
  if (syntax::EqualsIgnoreCase(*param.value, "BINARYMIME")) {
    // RFC 3030 3: BINARYMIME is an extension of its own, not offered (only
    // CHUNKING is).
    return Error{504, kBadArguments, "BODY=BINARYMIME not implemented"};
  }
  return Malformed("BODY must be 7BIT or 8BITMIME (RFC 6152 2)");
}

}  // namespace

std::optional<Error> CheckMailParameters(const std::vector<Parameter>& params,
                                         const Config& config, bool extended) {
  const Extensions& ext = config.extensions;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Parameter& param = params[i];
    for (std::size_t j = 0; j < i; ++j) {
      if (syntax::EqualsIgnoreCase(params[j].keyword, param.keyword)) {
        return Malformed("Parameter given twice: " + param.keyword);
      }
    }
    // Without EHLO no extension was offered (RFC 5321 2.2.1, 4.1.1.1).
    if (!extended) return Unrecognized(param);
    if (Is(param, "SIZE") && ext.size) {
      if (std::optional<Error> bad = CheckSize(param, config)) return bad;
    } else if (Is(param, "BODY") && ext.eight_bit_mime) {
      if (std::optional<Error> bad = CheckBody(param)) return bad;
    } else if (Is(param, "SMTPUTF8") && ext.smtputf8) {
      // RFC 6531 3.4: SMTPUTF8 takes no value.
      if (param.value) return Malformed("SMTPUTF8 takes no value");
    } else {
      return Unrecognized(param);
    }
  }
  return std::nullopt;
}

std::optional<Error> CheckRcptParameters(const std::vector<Parameter>& params,
                                         const Config& config, bool extended) {
  if (!params.empty()) return Unrecognized(params.front());
  return std::nullopt;
}

bool IsPostmasterFor(const Path& path, const Config& config) {
  if (!IsPostmaster(path)) return false;
  if (path.kind == Path::Kind::kPostmaster) return true;  // <Postmaster>
  // <postmaster@d>: only for the domains this server serves (4.5.1),
  // which Config names; address literals are not matched.
  const Domain& domain = path.mailbox.domain;
  if (domain.kind != Domain::Kind::kName) return false;
  if (syntax::EqualsIgnoreCase(domain.value, config.hostname)) return true;
  for (const std::string& served : config.domains) {
    if (syntax::EqualsIgnoreCase(domain.value, served)) return true;
  }
  return false;
}

}  // namespace smtpspec::server
