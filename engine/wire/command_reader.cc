#include "engine/wire/command_reader.h"

#include <cstdio>
#include <optional>
#include <utility>

#include "engine/wire/verb.h"

namespace smtpspec::wire {
namespace {

// Fills `command` from `line`, or returns why the line is no command. One
// pass finds the verb's end and checks its bytes.
std::optional<Problem> Parse(std::string_view line, std::size_t offset,
                             CommandView& command) {
  if (line.empty()) {
    return Problem{Fault::kEmptyCommand, offset,
                   "the line is empty, but a command begins with a verb "
                   "(RFC 5321 4.1.1)",
                   ""};
  }
  std::size_t end = 0;
  for (; end < line.size() && line[end] != ' '; ++end) {
    const unsigned char c = static_cast<unsigned char>(line[end]);
    if (c > 0x20 && c < 0x7f) continue;
    char hex[5];
    std::snprintf(hex, sizeof hex, "0x%02X", c);
    return Problem{Fault::kBadVerb, offset + end,
                   std::string("byte ") + hex +
                       " in the verb: verbs are printable US-ASCII "
                       "(RFC 5321 2.4)",
                   std::string(line)};
  }
  if (end == 0) {
    return Problem{Fault::kBadVerb, offset,
                   "the line begins with a space, so it has no verb "
                   "(RFC 5321 4.1.1)",
                   std::string(line)};
  }
  command.name = line.substr(0, end);
  command.verb = VerbFromName(command.name);
  command.argument = end < line.size() ? line.substr(end + 1) : "";
  return std::nullopt;
}

Command Copy(const CommandView& view) {
  return Command{view.verb, std::string(view.name), std::string(view.argument)};
}

}  // namespace

std::variant<Command, Problem> ParseCommand(std::string_view line,
                                            std::size_t offset) {
  CommandView command;
  if (std::optional<Problem> problem = Parse(line, offset, command)) {
    return *std::move(problem);
  }
  return Copy(command);
}

CommandReader::CommandReader(Policy policy, std::size_t start_offset)
    : lines_(policy, start_offset) {}

Event<Received<CommandView>> CommandReader::NextView() {
  std::string_view text;
  std::size_t offset = 0;
  if (lines_.NextClean(&text, &offset)) {
    Received<CommandView> received{{}, offset, {}};
    if (std::optional<Problem> problem = Parse(text, offset, received.value)) {
      return *std::move(problem);
    }
    return received;
  }
  Event<LineView> event = lines_.NextView();
  if (LineView* line = std::get_if<LineView>(&event)) {
    Received<CommandView> received{{}, line->offset, std::move(line->notices)};
    if (std::optional<Problem> problem =
            Parse(line->text, line->offset, received.value)) {
      return *std::move(problem);
    }
    return received;
  }
  if (Problem* problem = std::get_if<Problem>(&event)) {
    return std::move(*problem);
  }
  return NeedData{};
}

Event<Received<Command>> CommandReader::Next() {
  Event<Received<CommandView>> event = NextView();
  if (auto* view = std::get_if<Received<CommandView>>(&event)) {
    return Received<Command>{Copy(view->value), view->offset,
                             std::move(view->notices)};
  }
  if (Problem* problem = std::get_if<Problem>(&event)) {
    return std::move(*problem);
  }
  return NeedData{};
}

}  // namespace smtpspec::wire
