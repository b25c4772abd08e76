// The JSON form of a stored message's envelope, shared by the maildir sink
// (one header line) and the jsonl sink (one line per message). Written by
// hand to keep the writer allocation-light and exact; read back with
// yaml-cpp, whose flow syntax is a superset of JSON.
#ifndef SMTPSPEC_AGENTS_SINK_RECORD_H_
#define SMTPSPEC_AGENTS_SINK_RECORD_H_

#include <string>
#include <string_view>

#include "agents/sink.h"
#include "engine/result.h"

namespace smtpspec::agents::sink {

// {"received":"2026-11-23T16:02:00.123Z","peer":"...","helo":"...",
//  "tls":false,"mail_from":"...","rcpt_to":["..."],"size":N} and, when
// `with_data`, "data":"..." for UTF-8 text without NUL, else
// "data_base64":"...". No newline inside.
std::string EncodeRecord(const Envelope& envelope, std::string_view data,
                         bool with_data);

// The inverse. Without data in the record, `data` stays empty and the
// caller supplies it; "size" is then checked by the caller.
struct Decoded {
  Message message;
  std::size_t size = 0;
};
Result<Decoded> DecodeRecord(std::string_view json);

// RFC 3339 UTC with milliseconds, and back.
std::string FormatTime(std::chrono::system_clock::time_point time);

}  // namespace smtpspec::agents::sink

#endif  // SMTPSPEC_AGENTS_SINK_RECORD_H_
