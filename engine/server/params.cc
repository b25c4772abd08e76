#include "engine/server/params.h"

#include <string>
#include <string_view>

#include "engine/syntax.h"

namespace smtpspec::server {

namespace {

constexpr EnhancedCode kBadArguments{5, 5, 4};  // RFC 3463 5.5.4

Error Unrecognized(const Parameter& param) {
  // RFC 5321 4.1.1.11: "555 MAIL FROM/RCPT TO parameters not recognized or
  // not implemented".
  return Error{555, kBadArguments,
               "Parameter not recognized or not implemented: " + param.keyword};
}

// The checks every parameter passes before its module sees it.
std::optional<Error> CheckCommon(const std::vector<Parameter>& params,
                                 std::size_t i, bool extended) {
  const Parameter& param = params[i];
  for (std::size_t j = 0; j < i; ++j) {
    if (syntax::EqualsIgnoreCase(params[j].keyword, param.keyword)) {
      return Error{501, kBadArguments,
                   "Parameter given twice: " + param.keyword};
    }
  }
  // Without EHLO no extension was offered (RFC 5321 2.2.1, 4.1.1.1).
  if (!extended) return Unrecognized(param);
  return std::nullopt;
}

}  // namespace

std::optional<Error> CheckMailParameters(const std::vector<Parameter>& params,
                                         const Config& config,
                                         const ext::Context& context,
                                         bool extended, ext::States& states) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (std::optional<Error> bad = CheckCommon(params, i, extended)) return bad;
    const ext::Extension* module =
        ext::ForMailParameter(config.extensions, params[i].keyword);
    if (module == nullptr || !module->Available(context)) {
      return Unrecognized(params[i]);
    }
    if (std::optional<Error> bad = module->CheckMail(
            params[i], context, ext::StateFor(states, *module))) {
      return bad;
    }
  }
  return std::nullopt;
}

std::optional<Error> CheckRcptParameters(const std::vector<Parameter>& params,
                                         const Config& config,
                                         const ext::Context& context,
                                         bool extended,
                                         const ext::States& states) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (std::optional<Error> bad = CheckCommon(params, i, extended)) return bad;
    const ext::Extension* module =
        ext::ForRcptParameter(config.extensions, params[i].keyword);
    if (module == nullptr || !module->Available(context)) {
      return Unrecognized(params[i]);
    }
    if (std::optional<Error> bad = module->CheckRcpt(
            params[i], context, ext::FindState(states, *module))) {
      return bad;
    }
  }
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
