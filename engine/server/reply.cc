#include "engine/server/reply.h"

#include <utility>

namespace smtpspec::server {

namespace {

constexpr std::size_t kMaxText = 400;
constexpr EnhancedCode kBackendBug{4, 3, 0};  // RFC 3463 4.3.0 system error

Reply BackendBug(std::string_view what) {
  return Reply{
      451, kBackendBug, {"Local error in processing: " + Printable(what)}};
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxText));
  for (char c : text.substr(0, kMaxText)) {
    bool ok = c == '\t' || (c >= 32 && c <= 126);
    out.push_back(ok ? c : '?');
  }
  return out;
}

Reply SanitizeError(const Error& error) {
  if (error.code < 400 || error.code > 599) {
    return BackendBug("backend refused with reply code " +
                      std::to_string(error.code));
  }
  Reply reply{error.code, error.enhanced, {Printable(error.text)}};
  if (reply.enhanced && reply.enhanced->klass != error.code / 100) {
    reply.enhanced.reset();
  }
  return reply;
}

Reply SanitizeReply(Reply reply) {
  if (reply.code < 200 || reply.code > 599) {
    return BackendBug("backend replied with code " +
                      std::to_string(reply.code));
  }
  if (reply.lines.empty()) reply.lines.emplace_back();
  for (std::string& line : reply.lines) line = Printable(line);
  if (reply.enhanced && reply.enhanced->klass != reply.code / 100) {
    reply.enhanced.reset();
  }
  return reply;
}

std::vector<std::string> EhloKeywords(const Config& config, bool tls) {
  const ext::Context context{config.max_message_size, tls, config.extensions};
  std::vector<std::string> lines;
  for (const ext::Extension* module : config.extensions) {
    if (!module->Available(context)) continue;  // STARTTLS: RFC 3207 4.2
    if (std::optional<std::string> line = module->EhloLine(context)) {
      lines.push_back(std::move(*line));
    }
  }
  return lines;
}

}  // namespace smtpspec::server
