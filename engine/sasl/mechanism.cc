#include "engine/sasl/mechanism.h"

#include <algorithm>
#include <string>
#include <utility>

namespace smtpspec::sasl {

std::string FixedRandom::Generate(std::size_t count) {
  std::string out(count, '\0');
  const std::size_t take = std::min(count, octets_.size() - next_);
  std::copy_n(octets_.begin() + next_, take, out.begin());
  next_ += take;
  return out;
}

Reply InvalidCredentialsReply() {
  return Reply{
      535, EnhancedCode{5, 7, 8}, {"Authentication credentials invalid"}};
}

Reply MalformedResponseReply() {
  return Reply{
      501, EnhancedCode{5, 5, 2}, {"Malformed authentication response"}};
}

Failure MakeFailure(std::size_t offset, std::string reason, Reply reply) {
  return Failure{offset, std::move(reason), std::move(reply)};
}

}  // namespace smtpspec::sasl
