// Serve mode (`smtpspec serve --script`): which of the scripts served a
// connection plays. The harness is the server, so it greets first (RFC 5321
// 3.1) and learns who the client is only from its first command: the
// argument of EHLO or HELO (4.1.1.1) names the script. A name is a
// script's id, or the id's last label (`rcpt-452` for `serve.rcpt-452`)
// when no other script's id ends in the same label; either is compared
// without regard to case, as domains are (2.4).
//
// With one script every client gets it, whatever it says; its name is
// still what the client called itself. With several, the first is the
// default: its greeting opens every connection, and a connection whose
// first command is not EHLO or HELO stays with it. Pure: no I/O.
#ifndef SMTPSPEC_INTERPRETER_SCRIPT_BOOK_H_
#define SMTPSPEC_INTERPRETER_SCRIPT_BOOK_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"

namespace smtpspec::interp {

class ScriptBook {
 public:
  // What a client's first command line makes of the book.
  struct Choice {
    enum class Kind {
      kNotNamed,  // not EHLO or HELO: the default script plays on
      kNamed,     // `script` is the one it named
      kUnknown,   // EHLO or HELO naming no script (several only)
    };
    Kind kind = Kind::kNotNamed;
    std::size_t script = 0;
    // The argument of EHLO or HELO as the client sent it ("" for none):
    // the script's ${client_domain}.
    std::string name;
  };

  // `ids`: the scripts' scenario ids, in the order they were given. Ids
  // that are the same but for case are an error: no name could tell them
  // apart.
  static Result<ScriptBook> Make(std::vector<std::string> ids);

  std::size_t size() const { return ids_.size(); }
  const std::string& id(std::size_t i) const { return ids_[i]; }
  // The shortest name that selects script i: its short form when that is
  // unique among the scripts, else its id.
  const std::string& name(std::size_t i) const { return names_[i]; }

  // `line`: the client's first command, without its line end.
  Choice Choose(std::string_view line) const;

  // The names, comma-separated, cut at about `max` characters with ", ..."
  // (for a reply line, which RFC 5321 4.5.3.1.5 limits to 512 octets).
  std::string ListNames(std::size_t max) const;

 private:
  std::vector<std::string> ids_;
  std::vector<std::string> names_;
};

// `text` as it may stand in a reply line or a one-line message: printable
// ASCII kept, any other byte as '?', at most `max` characters (then "...").
std::string Printable(std::string_view text, std::size_t max);

}  // namespace smtpspec::interp

#endif  // SMTPSPEC_INTERPRETER_SCRIPT_BOOK_H_
