#include "engine/server/transaction.h"

#include <utility>

namespace smtpspec::server {

void Transaction::Greeted(std::string helo, bool extended) {
  envelope_.helo = std::move(helo);
  envelope_.extended = extended;
}

void Transaction::Begin(Path&& reverse_path,
                        std::vector<Parameter>&& parameters,
                        ext::States&& extensions) {
  envelope_.reverse_path = std::move(reverse_path);
  envelope_.mail_parameters = std::move(parameters);
  envelope_.recipients.clear();
  extensions_ = std::move(extensions);
  open_ = true;
}

void Transaction::AddRecipient(Recipient recipient) {
  envelope_.recipients.push_back(std::move(recipient));
}

void Transaction::StartMessage(bool tls) { envelope_.tls = tls; }

void Transaction::AcceptChunk(bool tls) {
  if (chunked_) return;
  chunked_ = true;
  StartMessage(tls);
}

void Transaction::Append(std::string_view octets) { message_.append(octets); }

std::string Transaction::TakeMessage() { return std::exchange(message_, {}); }

bool Transaction::End() {
  const bool was_open = open_;
  envelope_.reverse_path = Path{};
  envelope_.mail_parameters.clear();
  envelope_.recipients.clear();
  // RFC 3030 2 / RFC 5321 4.1.1.5: the chunks received so far go too.
  message_.clear();
  message_.shrink_to_fit();
  chunked_ = false;
  spoilt_ = false;
  extensions_.clear();
  open_ = false;
  return was_open;
}

void Transaction::Forget() {
  End();
  envelope_ = Envelope{};
}

}  // namespace smtpspec::server
