#include "agents/sink_record.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdio>
#include <ctime>

#include "util/json_writer.h"

namespace smtpspec::agents::sink {
namespace {

constexpr char kBase64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Whether `text` is well-formed UTF-8 (RFC 3629) without NUL, so it can be
// a JSON string that every reader takes back byte for byte.
bool IsText(std::string_view text) {
  // The smallest code point each sequence length may encode.
  static constexpr unsigned kMinimum[] = {0, 0x80, 0x800, 0x10000};
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra;
    unsigned code;
    if ((c & 0xe0) == 0xc0) {
      extra = 1;
      code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (text.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF.
    if (code < kMinimum[extra] || (code >= 0xd800 && code <= 0xdfff) ||
        code > 0x10ffff) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::string Base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                 (static_cast<unsigned char>(data[i + 1]) << 8) |
                 static_cast<unsigned char>(data[i + 2]);
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += i + 1 < data.size() ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> Unbase64(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') break;
    const char* at = std::char_traits<char>::find(kBase64, 64, c);
    if (at == nullptr) return Error{i, "invalid base64 character"};
    buffer = (buffer << 6) | static_cast<unsigned>(at - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

Result<std::chrono::system_clock::time_point> ParseTime(
    const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year,
                  &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
                  &millis) != 7) {
    return Error{0,
                 "'" + text + "' is not a time like 2026-01-31T12:00:00.000Z"};
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) +
         std::chrono::milliseconds(millis);
}

}  // namespace

std::string FormatTime(std::chrono::system_clock::time_point time) {
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                    time.time_since_epoch())
                    .count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[96];  // room for any int the compiler can imagine
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(millis % 1000));
  return text;
}

std::string EncodeRecord(const Envelope& envelope, std::string_view data,
                         bool with_data) {
  // Text fields go through the project's one JSON writer (util/): a byte
  // that is not UTF-8 (a HELO argument is the client's to choose) becomes
  // U+FFFD rather than invalid JSON. A message that is not UTF-8 text is
  // kept whole, as base64.
  util::JsonWriter json;
  json.BeginObject();
  json.Key("received").String(FormatTime(envelope.received));
  json.Key("peer").String(envelope.peer);
  json.Key("helo").String(envelope.helo);
  json.Key("tls").Bool(envelope.tls);
  json.Key("mail_from").String(envelope.reverse_path);
  json.Key("rcpt_to").Strings(envelope.recipients);
  json.Key("size").Int(static_cast<std::int64_t>(data.size()));
  if (with_data) {
    if (IsText(data)) {
      json.Key("data").String(data);
    } else {
      json.Key("data_base64").String(Base64(data));
    }
  }
  json.EndObject();
  return json.Take();
}

Result<Decoded> DecodeRecord(std::string_view json) {
  try {
    YAML::Node node = YAML::Load(std::string(json));
    if (!node.IsMap()) return Error{0, "a record is a JSON object"};
    Decoded out;
    Envelope& envelope = out.message.envelope;
    Result<std::chrono::system_clock::time_point> received =
        ParseTime(node["received"].as<std::string>());
    if (!received.ok()) return received.error();
    envelope.received = *received;
    envelope.peer = node["peer"].as<std::string>();
    envelope.helo = node["helo"].as<std::string>();
    envelope.tls = node["tls"].as<bool>();
    envelope.reverse_path = node["mail_from"].as<std::string>();
    for (const YAML::Node& recipient : node["rcpt_to"]) {
      envelope.recipients.push_back(recipient.as<std::string>());
    }
    out.size = node["size"].as<std::size_t>();
    if (node["data"]) {
      out.message.data = node["data"].as<std::string>();
    } else if (node["data_base64"]) {
      Result<std::string> data =
          Unbase64(node["data_base64"].as<std::string>());
      if (!data.ok()) return data.error();
      out.message.data = std::move(*data);
    }
    return out;
  } catch (const YAML::Exception& e) {
    return Error{e.mark.pos < 0 ? 0 : static_cast<std::size_t>(e.mark.pos),
                 "not a stored message record: " + e.msg};
  }
}

}  // namespace smtpspec::agents::sink
