#include "agents/address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace smtpspec::agents {

Result<Address> ParseAddress(std::string_view text) {
  std::string_view host;
  std::size_t port_at = 0;
  if (!text.empty() && text[0] == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Error{0, "'" + std::string(text) +
                          "': an IPv6 address needs a closing ']'"};
    }
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      return Error{close + 1, "'" + std::string(text) +
                                  "': expected ':PORT' after the address"};
    }
    port_at = close + 2;
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Error{text.size(), "'" + std::string(text) +
                                    "': expected HOST:PORT, e.g. "
                                    "127.0.0.1:2525 or [::1]:2525"};
    }
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) {
      return Error{0, "'" + std::string(text) +
                          "': write an IPv6 address in brackets, e.g. "
                          "[::1]:2525"};
    }
    port_at = colon + 1;
  }
  std::string_view port_text = text.substr(port_at);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(),
                                   port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() ||
      end != port_text.data() + port_text.size() || port > 65535) {
    return Error{port_at, "'" + std::string(text) +
                              "': the port must be a number from 0 to "
                              "65535"};
  }
  Address address{std::string(host), static_cast<std::uint16_t>(port)};
  if (address.host == "localhost") address.host = "127.0.0.1";
  Result<SocketAddress> check = ToSocketAddress(address);
  if (!check.ok()) return Error{0, check.error().reason};
  return address;
}

std::string FormatAddress(const Address& address) {
  std::string port = std::to_string(address.port);
  if (IsIpv6(address)) return "[" + address.host + "]:" + port;
  return address.host + ":" + port;
}

bool IsIpv6(const Address& address) {
  return address.host.find(':') != std::string::npos;
}

Result<SocketAddress> ToSocketAddress(const Address& address) {
  SocketAddress out;
  if (IsIpv6(address)) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(address.port);
    if (inet_pton(AF_INET6, address.host.c_str(), &in6->sin6_addr) != 1) {
      return Error{0, "'" + address.host + "' is not an IPv6 address"};
    }
    out.length = sizeof(sockaddr_in6);
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&out.storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(address.port);
    if (inet_pton(AF_INET, address.host.c_str(), &in4->sin_addr) != 1) {
      return Error{0, "'" + address.host +
                          "' is not a numeric IPv4 address (names other "
                          "than localhost are not resolved here)"};
    }
    out.length = sizeof(sockaddr_in);
  }
  return out;
}

Address FromSocketAddress(const sockaddr* address, socklen_t length) {
  char text[INET6_ADDRSTRLEN] = {};
  Address out;
  if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    out.port = ntohs(in6->sin6_port);
  } else if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    const auto* in4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &in4->sin_addr, text, sizeof(text));
    out.port = ntohs(in4->sin_port);
  }
  out.host = text;
  return out;
}

}  // namespace smtpspec::agents
