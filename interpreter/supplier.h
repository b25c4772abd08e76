// Concrete lines for the harness's own side when a transcript writes them
// as patterns (docs/transcript-format.md, "The harness side"): the engine's
// reference server answers a client under test, and the reference client's
// usual commands stand in for `C:` patterns against a server.
#ifndef SMTPSPEC_INTERPRETER_SUPPLIER_H_
#define SMTPSPEC_INTERPRETER_SUPPLIER_H_

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/reply.h"
#include "engine/wire/reply_reader.h"
#include "engine/server/backend.h"
#include "engine/server/config.h"
#include "engine/server/session.h"
#include "parser/variables.h"

namespace smtpspec::interp {

// A reference server session fed the same bytes as the client under test
// sends; its replies, in order, are what a conformant server would say.
class Supplier {
 public:
  Supplier(server::Config config, server::Time now);

  void FeedClient(std::string_view bytes, server::Time now);
  void TlsEstablished(server::Time now);

  // The reference's next reply not yet taken, or nullopt.
  std::optional<Reply> NextReply();

 private:
  // Accepts every mailbox and message: the harness stores nothing.
  class AcceptAll : public server::Handler {
   public:
    std::optional<server::Error> Mail(const Path&,
                                      const std::vector<Parameter>&) override;
    std::optional<server::Error> Rcpt(const Path&,
                                      const std::vector<Parameter>&) override;
    std::optional<server::Error> Data(const server::Envelope&,
                                      std::string_view) override;
  };

  void Collect();

  AcceptAll handler_;
  server::Session session_;
  wire::ReplyReader reader_;
  std::deque<Reply> replies_;
};

// The reference client's commands, with the target variables filled in,
// in the order they are tried against a `C:` pattern.
std::vector<std::string> ReferenceCommands(const parser::Variables& vars);

}  // namespace smtpspec::interp

#endif  // SMTPSPEC_INTERPRETER_SUPPLIER_H_
