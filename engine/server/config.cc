#include "engine/server/config.h"

namespace smtpspec::server {

Status CheckConfig(const Config& config) {
  if (config.hostname.empty()) {
    return smtpspec::Error{
        0,
        "hostname is empty, but the greeting and EHLO reply must "
        "name the server (RFC 5321 4.1.1.1, 4.2)."};
  }
  if (config.max_recipients < 100) {
    return smtpspec::Error{
        0, "max_recipients is " + std::to_string(config.max_recipients) +
               ", below the 100 recipients a server must accept per "
               "transaction (RFC 5321 4.5.3.1.8)."};
  }
  // RFC 5321 4.5.3.1.4: a server must accept command lines of 512 octets.
  if (config.max_command_line < 512) {
    return smtpspec::Error{
        0,
        "max_command_line is below the 512 octets every server "
        "must accept (RFC 5321 4.5.3.1.4)."};
  }
  return OkStatus();
}

}  // namespace smtpspec::server
