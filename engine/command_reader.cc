#include "engine/command_reader.h"

#include <cstdio>
#include <utility>

#include "engine/verb.h"

namespace smtpspec::wire {

std::variant<Command, Problem> ParseCommand(std::string_view line,
                                            std::size_t offset) {
  if (line.empty()) {
    return Problem{Fault::kEmptyCommand, offset,
                   "the line is empty, but a command begins with a verb "
                   "(RFC 5321 4.1.1)",
                   ""};
  }
  const std::size_t space = line.find(' ');
  const std::string_view name = line.substr(0, space);
  if (name.empty()) {
    return Problem{Fault::kBadVerb, offset,
                   "the line begins with a space, so it has no verb "
                   "(RFC 5321 4.1.1)",
                   std::string(line)};
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c > 0x20 && c < 0x7f) continue;
    char hex[5];
    std::snprintf(hex, sizeof hex, "0x%02X", c);
    return Problem{Fault::kBadVerb, offset + i,
                   std::string("byte ") + hex +
                       " in the verb: verbs are printable US-ASCII "
                       "(RFC 5321 2.4)",
                   std::string(line)};
  }
  Command command;
  command.verb = VerbFromName(name);
  command.name = name;
  if (space != std::string_view::npos)
    command.argument = line.substr(space + 1);
  return command;
}

CommandReader::CommandReader(Policy policy, std::size_t start_offset)
    : lines_(policy, start_offset) {}

Event<Received<Command>> CommandReader::Next() {
  Event<LineView> event = lines_.NextView();
  if (LineView* line = std::get_if<LineView>(&event)) {
    std::variant<Command, Problem> parsed =
        ParseCommand(line->text, line->offset);
    if (Problem* problem = std::get_if<Problem>(&parsed)) {
      return std::move(*problem);
    }
    return Received<Command>{std::get<Command>(std::move(parsed)), line->offset,
                             std::move(line->notices)};
  }
  if (Problem* problem = std::get_if<Problem>(&event)) {
    return std::move(*problem);
  }
  return NeedData{};
}

}  // namespace smtpspec::wire
