#include "cli/ehlo.h"

#include <cstdint>
#include <iterator>

#include "engine/ehlo.h"
#include "engine/reply.h"
#include "util/json_writer.h"

namespace smtpspec::cli {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

int RunEhlo(const std::vector<std::string>& args, std::istream& in,
            std::ostream& out, std::ostream& err) {
  if (!args.empty()) {
    err << "smtpspec ehlo: no arguments; the reply comes on stdin\n";
    return 2;
  }
  const std::string text((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  Reply reply;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line.size() < 3 || !IsDigit(line[0]) || !IsDigit(line[1]) ||
        !IsDigit(line[2])) {
      err << "smtpspec ehlo: not a reply line: " << line.substr(0, 80) << "\n";
      return 2;
    }
    reply.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
  }
  if (reply.lines.empty()) {
    err << "smtpspec ehlo: no reply on stdin\n";
    return 2;
  }
  const EhloResponse lenient = ParseEhlo(reply, EhloMode::kLenient);
  const EhloResponse strict = ParseEhlo(reply, EhloMode::kStrict);
  util::JsonWriter w;
  w.BeginObject();
  w.Key("code").Int(reply.code);
  w.Key("domain").String(lenient.domain);
  w.Key("greeting").String(lenient.greeting);
  w.Key("keywords").BeginArray();
  for (const EhloKeyword& k : lenient.keywords) {
    w.BeginObject();
    w.Key("keyword").String(k.keyword);
    w.Key("params").Strings(k.params);
    w.EndObject();
  }
  w.EndArray();
  w.Key("problems").BeginArray();
  for (const Error& e : strict.problems) {
    w.BeginObject();
    w.Key("offset").Int(static_cast<std::int64_t>(e.offset));
    w.Key("reason").String(e.reason);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out << w.str() << "\n";
  return 0;
}

}  // namespace smtpspec::cli
