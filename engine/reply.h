// SMTP replies (RFC 5321 section 4.2) and enhanced status codes (RFC 3463,
// advertised with ENHANCEDSTATUSCODES, RFC 2034).
#ifndef SMTPSPEC_ENGINE_REPLY_H_
#define SMTPSPEC_ENGINE_REPLY_H_

#include <optional>
#include <string>
#include <vector>

namespace smtpspec {

// class.subject.detail, e.g. 5.1.1 (RFC 3463 section 2). `klass` is 2, 4 or
// 5; subject and detail are 0..999.
struct EnhancedCode {
  int klass = 0;
  int subject = 0;
  int detail = 0;

  bool operator==(const EnhancedCode&) const = default;
};

// One reply, single- or multi-line. On the wire every line starts with the
// same three-digit code, "-" on all but the last line and " " on the last
// (RFC 5321 4.2.1).
//
// `lines` holds the text of each line after "ddd-"/"ddd " and, when
// `enhanced` is set, after the enhanced code and its following space:
// rendering puts the enhanced code back in front of every line, as RFC 2034
// section 3 asks. A reply always has at least one line (possibly empty).
struct Reply {
  int code = 0;
  std::optional<EnhancedCode> enhanced;
  std::vector<std::string> lines;

  bool operator==(const Reply&) const = default;
};

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_REPLY_H_
