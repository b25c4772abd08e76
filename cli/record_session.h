// One captured SMTP session (cli/capture.h) cut into what a scenario is
// made of: the command lines of each read, whole replies, the message, TLS
// and where the recording ends. Only the bytes' framing is decided here
// (RFC 5321 2.3.8 lines, 4.2.1 replies, 4.5.2 end of data); cli/record.cc
// decides how each piece is written. Pure.
#ifndef SMTPSPEC_CLI_RECORD_SESSION_H_
#define SMTPSPEC_CLI_RECORD_SESSION_H_

#include <string>
#include <vector>

#include "cli/capture.h"

namespace smtpspec::cli::record {

struct Item {
  enum class Kind {
    kCommands,     // `lines`: the client's lines of one read, each with
                   // its line end (or none, for an unfinished last line)
    kReply,        // `lines`: one reply's lines without CRLF, all printable
    kServerBytes,  // `lines[0]`: server bytes that are no reply line
    kMessage,      // `lines[0]`: DATA content, still dot-stuffed, through
                   // the CRLF before the final ".\r\n" (RFC 5321 4.5.2);
                   // `terminated` false when the session ended inside it
    kStartTls,     // TLS began (terminated by the proxy): steps go on
    kPassthrough,  // TLS began and was relayed unrecorded: nothing follows
    kStop,         // `lines[0]`: why the recording ended early
  };
  Kind kind = Kind::kCommands;
  std::vector<std::string> lines;
  bool terminated = true;
  // kReply: the verb of the command it answers, in upper case ("EHLO"),
  // "" for the greeting, "." for the end of data.
  std::string answers;
};

std::vector<Item> Cut(const std::vector<capture::Event>& events);

}  // namespace smtpspec::cli::record

#endif  // SMTPSPEC_CLI_RECORD_SESSION_H_
