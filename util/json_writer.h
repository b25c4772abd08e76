// A small streaming JSON writer: compact output (no spaces, no newline),
// commas placed by the writer, strings escaped the one way the results
// schema expects (docs/results-schema.md).
//
// Two kinds of string, because the schema carries two kinds of data:
//   - String(): text (names, messages, file paths). Valid UTF-8 is copied;
//     a byte that is not part of a valid UTF-8 sequence becomes U+FFFD.
//   - Bytes(): wire bytes, carried losslessly: each byte 0x00-0xFF is the
//     code point U+0000-U+00FF (Python: data.encode("latin-1") gives the
//     bytes back).
// In both, '"' and '\\' are escaped, \n \r \t by name, the other bytes
// below 0x20 and 0x7f as \u00xx, so that no control byte reaches a log or a
// terminal unescaped.
//
// The writer does not check that the calls nest correctly (a Key() outside
// an object, an EndArray() for an object): the callers are a handful of
// serialisers whose tests parse what they write.
#ifndef SMTPSPEC_UTIL_JSON_WRITER_H_
#define SMTPSPEC_UTIL_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smtpspec::util {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The next value is this member's.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view text);
  JsonWriter& Bytes(std::string_view bytes);
  // An array of String()s.
  JsonWriter& Strings(const std::vector<std::string>& texts);
  JsonWriter& Int(std::int64_t value);
  // Fixed-point with three decimals ("12.500"): times in milliseconds, to
  // the microsecond. Not finite: null (JSON has no NaN or infinity).
  JsonWriter& Number(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  // Before a value or a key: the comma that separates it from the one
  // before it in the same object or array.
  void Separate();
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  JsonWriter& Quoted(std::string_view text, bool lossless);

  std::string out_;
  // One entry per open object or array: whether it has a member yet.
  std::vector<bool> has_member_;
  bool after_key_ = false;
};

// Appends `text` as a JSON string literal, quotes included (String() and
// Bytes() of the writer; `lossless` chooses Bytes()).
void AppendJsonString(std::string_view text, bool lossless, std::string& out);

}  // namespace smtpspec::util

#endif  // SMTPSPEC_UTIL_JSON_WRITER_H_
