#include "parser/delivers.h"

#include <string>
#include <string_view>
#include <variant>

namespace smtpspec::parser {
namespace {

// "DATA", alone or before a space (an argument), in any case (RFC 5321
// 2.4: verbs are case-insensitive).
bool IsDataLine(std::string_view text) {
  if (text.size() < 4) return false;
  for (std::size_t i = 0; i < 4; ++i) {
    if ((text[i] & ~0x20) != "DATA"[i]) return false;
  }
  return text.size() == 4 || text[4] == ' ' || text[4] == '\r' ||
         text[4] == '\n';
}

// The literal text a command pattern starts with ("" for a regex or one
// that starts with a variable or a wildcard).
std::string_view LiteralStart(const CommandPattern& pattern) {
  const Glob* glob = std::get_if<Glob>(&pattern.text);
  if (glob == nullptr || glob->segments.empty()) return {};
  const Segment& first = glob->segments.front();
  if (first.kind != Segment::Kind::kLiteral) return {};
  return first.text;
}

bool RawIsData(const RawBytes& bytes) {
  if (bytes.pieces.empty()) return false;
  const RawPiece& first = bytes.pieces.front();
  return first.kind == RawPiece::Kind::kBytes && IsDataLine(first.text);
}

}  // namespace

const Step* DeliveringStep(const Scenario& scenario) {
  if (scenario.meta.tests == UnderTest::kClient) return nullptr;
  bool data_sent = false;
  for (const Step& step : scenario.steps) {
    const Action& a = step.action;
    if (const Bdat* bdat = std::get_if<Bdat>(&a)) {
      if (bdat->last) return &step;
    } else if (const ClientCommand* c = std::get_if<ClientCommand>(&a)) {
      data_sent = data_sent || IsDataLine(LiteralStart(c->pattern));
    } else if (const Pipeline* p = std::get_if<Pipeline>(&a)) {
      for (const PipelinedCommand& command : p->commands) {
        data_sent = data_sent || IsDataLine(LiteralStart(command.pattern));
      }
    } else if (std::holds_alternative<Body>(a)) {
      if (data_sent) return &step;
    } else if (const RawSend* raw = std::get_if<RawSend>(&a)) {
      if (raw->from != Party::kClient) continue;
      if (data_sent) return &step;
      data_sent = RawIsData(raw->bytes);
    }
  }
  return nullptr;
}

}  // namespace smtpspec::parser
