// One mail transaction (RFC 5321 3.3) as the server holds it: the envelope
// (reverse-path, forward-paths and their parameters), the message received
// so far in BDAT chunks (RFC 3030 2), and the extension modules' states
// (engine/ext). One object, so that whatever ends a transaction (RSET, the
// end of data, EHLO, STARTTLS: RFC 5321 4.1.1.5, 4.1.1.4, 4.1.4; RFC 3207
// 4.2) forgets all of it at once.
#ifndef SMTPSPEC_ENGINE_SERVER_TRANSACTION_H_
#define SMTPSPEC_ENGINE_SERVER_TRANSACTION_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/esmtp.h"
#include "engine/ext/extension.h"
#include "engine/path.h"
#include "engine/server/backend.h"

namespace smtpspec::server {

class Transaction {
 public:
  // The envelope as the backend is given it. Its helo, extended and tls
  // fields describe the session and outlive each transaction; the rest is
  // this transaction's.
  const Envelope& envelope() const { return envelope_; }
  // MAIL was accepted and the transaction has not ended.
  bool open() const { return open_; }
  // A BDAT chunk of this transaction was accepted: no DATA may follow, nor
  // more recipients (RFC 3030 2).
  bool chunked() const { return chunked_; }
  // A BDAT (or a DATA after BDAT) of this transaction failed: "The state
  // resulting from this error is indeterminate" until RSET (RFC 3030 2).
  bool spoilt() const { return spoilt_; }
  // The message from its accepted chunks, so far.
  const std::string& message() const { return message_; }
  // The offered modules' states, from this transaction's MAIL.
  const ext::States& extensions() const { return extensions_; }

  // EHLO/HELO was accepted with `helo` (RFC 5321 4.1.1.1).
  void Greeted(std::string helo, bool extended);
  // MAIL was accepted (RFC 5321 4.1.1.2): the transaction opens.
  // (Taken by rvalue reference: moved once, into the envelope.)
  void Begin(Path&& reverse_path, std::vector<Parameter>&& parameters,
             ext::States&& extensions);
  void AddRecipient(Recipient recipient);
  // The message begins (DATA's 354, the first accepted chunk); `tls`:
  // whether TLS is active, for the backend.
  void StartMessage(bool tls);
  // A chunk was accepted; its octets follow through Append().
  void AcceptChunk(bool tls);
  void Append(std::string_view octets);
  // The whole message from the chunks, leaving none.
  std::string TakeMessage();
  void Spoil() { spoilt_ = true; }

  // Ends the transaction: everything but the session's fields of the
  // envelope goes (RFC 5321 4.1.1.5: RSET clears the buffers, not the
  // EHLO). Returns whether one was open.
  bool End();
  // Forgets everything, the EHLO too: RFC 3207 4.2, "The server MUST
  // discard any knowledge obtained from the client".
  void Forget();

 private:
  Envelope envelope_;
  bool open_ = false;
  bool chunked_ = false;
  bool spoilt_ = false;
  std::string message_;
  ext::States extensions_;
};

}  // namespace smtpspec::server

#endif  // SMTPSPEC_ENGINE_SERVER_TRANSACTION_H_
