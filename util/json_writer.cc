#include "util/json_writer.h"

#include <cmath>
#include <cstdio>
#include <utility>

namespace smtpspec::util {
namespace {

// Appends byte `c` (< 0x80) escaped as JSON wants it; false if it is not
// one to escape.
bool AppendAsciiEscape(unsigned char c, std::string& out) {
  switch (c) {
    case '"':
      out += "\\\"";
      return true;
    case '\\':
      out += "\\\\";
      return true;
    case '\n':
      out += "\\n";
      return true;
    case '\r':
      out += "\\r";
      return true;
    case '\t':
      out += "\\t";
      return true;
    default:
      break;
  }
  if (c < 0x20 || c == 0x7f) {
    static const char kHex[] = "0123456789abcdef";
    out += "\\u00";
    out += kHex[c >> 4];
    out += kHex[c & 15];
    return true;
  }
  return false;
}

// The length of the valid UTF-8 sequence at text[i] (whose first byte is
// >= 0x80), or 0. Like the writer before it, this checks lead bytes (no
// C0, C1 or F5 and up) and continuation bytes, not overlong three- and
// four-byte forms or surrogates.
std::size_t Utf8Length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (len == 0 || c >= 0xf5 || i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return len;
}

}  // namespace

void AppendJsonString(std::string_view text, bool lossless, std::string& out) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (!AppendAsciiEscape(c, out)) out += static_cast<char>(c);
    } else if (lossless) {
      // U+0080-U+00FF in UTF-8.
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (std::size_t len = Utf8Length(text, i); len > 0) {
      out.append(text.substr(i, len));
      i += len - 1;
    } else {
      out += "\xef\xbf\xbd";  // U+FFFD
    }
  }
  out += '"';
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_member_.empty()) return;
  if (has_member_.back()) out_ += ',';
  has_member_.back() = true;
}

JsonWriter& JsonWriter::Open(char bracket) {
  Separate();
  out_ += bracket;
  has_member_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
  out_ += bracket;
  if (!has_member_.empty()) has_member_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginObject() { return Open('{'); }
JsonWriter& JsonWriter::EndObject() { return Close('}'); }
JsonWriter& JsonWriter::BeginArray() { return Open('['); }
JsonWriter& JsonWriter::EndArray() { return Close(']'); }

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(key, /*lossless=*/false, out_);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::Quoted(std::string_view text, bool lossless) {
  Separate();
  AppendJsonString(text, lossless, out_);
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  return Quoted(text, /*lossless=*/false);
}

JsonWriter& JsonWriter::Bytes(std::string_view bytes) {
  return Quoted(bytes, /*lossless=*/true);
}

JsonWriter& JsonWriter::Strings(const std::vector<std::string>& texts) {
  BeginArray();
  for (const std::string& text : texts) String(text);
  return EndArray();
}

JsonWriter& JsonWriter::Int(std::int64_t value) {
  Separate();
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::Number(double value) {
  if (!std::isfinite(value)) return Null();
  Separate();
  // Wide enough for any double in fixed notation (DBL_MAX has 309 digits).
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  out_ += buf;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  return *this;
}

}  // namespace smtpspec::util
