// One message for the client to deliver: an envelope and a body.
#ifndef SMTPSPEC_ENGINE_CLIENT_MESSAGE_H_
#define SMTPSPEC_ENGINE_CLIENT_MESSAGE_H_

#include <string>
#include <vector>

namespace smtpspec::client {

struct Message {
  // The paths as they go between the angle brackets of MAIL FROM:<...> and
  // RCPT TO:<...> (RFC 5321 4.1.2); "" is the null reverse-path.
  std::string reverse_path = {};
  std::vector<std::string> recipients = {};
  // Extra MAIL parameters, each "KEYWORD" or "KEYWORD=value" already in
  // xtext where the extension asks for it (RFC 5321 4.1.2 Mail-parameters).
  // SIZE= and BODY= are added by the client itself (RFC 1870, RFC 6152)
  // unless given here.
  std::vector<std::string> mail_parameters = {};
  // The message as it should arrive, lines ending in CRLF. The client
  // dot-stuffs it and adds the final CRLF when it is missing (RFC 5321
  // 4.5.2, 4.1.1.4).
  std::string body = {};

  bool operator==(const Message&) const = default;
};

}  // namespace smtpspec::client

#endif  // SMTPSPEC_ENGINE_CLIENT_MESSAGE_H_
