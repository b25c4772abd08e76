// Socket addresses as the agents' configuration and command lines spell
// them: "127.0.0.1:2525", "[::1]:2525", "localhost:25".
//
// Only numeric addresses (and the name "localhost") are accepted: the event
// loop never blocks, and a DNS lookup would. Callers that need names resolve
// them before they reach the loop.
#ifndef SMTPSPEC_AGENTS_ADDRESS_H_
#define SMTPSPEC_AGENTS_ADDRESS_H_

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/result.h"

namespace smtpspec::agents {

// A numeric IPv4 or IPv6 address and a port. `host` holds the address
// without brackets ("::1"). Port 0 asks a listener for any free port.
struct Address {
  std::string host;
  std::uint16_t port = 0;

  bool operator==(const Address&) const = default;
};

// Parses "HOST:PORT" where HOST is dotted IPv4, bracketed IPv6 ("[::1]") or
// "localhost" (read as 127.0.0.1). Errors carry the offset of the bad part.
Result<Address> ParseAddress(std::string_view text);

// The inverse of ParseAddress: "127.0.0.1:25", "[::1]:25".
std::string FormatAddress(const Address& address);

// Whether `host` is an IPv6 literal (contains ':').
bool IsIpv6(const Address& address);

// A filled-in sockaddr for bind/connect, or an error if `host` is not a
// numeric address.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
};
Result<SocketAddress> ToSocketAddress(const Address& address);

// The Address held by a sockaddr returned from accept/getsockname.
Address FromSocketAddress(const sockaddr* address, socklen_t length);

}  // namespace smtpspec::agents

#endif  // SMTPSPEC_AGENTS_ADDRESS_H_
