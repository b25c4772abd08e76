// Where the reference server puts each message it accepts. The server
// answers 250 to the end of DATA (RFC 5321 4.1.1.4) only after Deliver()
// returned OK, so Deliver returns only once the message is durable: written,
// fsynced, and its directory entry fsynced. A failure (disk full, no
// permission) comes back as an error the server turns into 451 (RFC 5321
// 4.2.3: local error in processing), and nothing half-written is left where
// a reader would take it for a message.
//
// Kinds:
//   maildir     one file per message: written in DIR/tmp, renamed into
//               DIR/new (the maildir protocol, so readers never see a
//               partial file). The file starts with one header line,
//               "X-Smtpspec-Envelope: {json}", then the message exactly as
//               received.
//   jsonl       one JSON object per line appended to a file: the envelope
//               fields plus "data" (UTF-8 text) or "data_base64".
//   discard     accepts and forgets, for benchmarks.
#ifndef SMTPSPEC_AGENTS_SINK_H_
#define SMTPSPEC_AGENTS_SINK_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"

namespace smtpspec::agents::sink {

// The envelope of one accepted message (RFC 5321 2.3.1) and what the server
// knew about the session it came in.
struct Envelope {
  std::string reverse_path;             // MAIL FROM mailbox; "" for <>
  std::vector<std::string> recipients;  // RCPT TO mailboxes, in order
  std::chrono::system_clock::time_point received;
  std::string helo;  // the client's EHLO/HELO argument
  std::string peer;  // the client's address, "127.0.0.1:40000"
  bool tls = false;  // whether the transaction ran inside TLS

  bool operator==(const Envelope&) const = default;
};

// A stored message read back: its envelope and its bytes.
struct Message {
  Envelope envelope;
  std::string data;

  bool operator==(const Message&) const = default;
};

enum class Kind { kMaildir, kJsonLines, kDiscard };

class Sink {
 public:
  virtual ~Sink() = default;
  // Stores one message durably; see the file comment.
  virtual Status Deliver(const Envelope& envelope, std::string_view data) = 0;
};

// Opens a sink of `kind` at `path` (a directory for maildir, a file for
// jsonl, ignored for discard), creating what is missing.
Result<std::unique_ptr<Sink>> Open(Kind kind, const std::string& path);

// Reads back what a maildir or jsonl sink stored, oldest first (maildir:
// by file name, which starts with the delivery time).
Result<std::vector<Message>> ReadMaildir(const std::string& directory);
Result<std::vector<Message>> ReadJsonLines(const std::string& path);

}  // namespace smtpspec::agents::sink

#endif  // SMTPSPEC_AGENTS_SINK_H_
