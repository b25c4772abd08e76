#include "interpreter/script_book.h"

#include <map>
#include <utility>
#include <variant>

#include "engine/syntax.h"
#include "engine/wire/command_reader.h"

namespace smtpspec::interp {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = syntax::ToLower(c);
  return out;
}

std::string ShortForm(std::string_view id) {
  const std::size_t dot = id.rfind('.');
  return std::string(dot == std::string_view::npos ? id : id.substr(dot + 1));
}

}  // namespace

Result<ScriptBook> ScriptBook::Make(std::vector<std::string> ids) {
  ScriptBook book;
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto [at, fresh] = seen.emplace(Lower(ids[i]), i);
    if (!fresh) {
      return Error{0, "two scripts have the id '" + ids[at->second] + "'" +
                          (ids[at->second] == ids[i]
                               ? ""
                               : " ('" + ids[i] + "' differs only in case)") +
                          ": a client's EHLO name could not tell them apart"};
    }
  }
  std::map<std::string, std::size_t> shorts;
  for (const std::string& id : ids) ++shorts[Lower(ShortForm(id))];
  for (const std::string& id : ids) {
    const std::string short_form = ShortForm(id);
    // A short form that is another script's id would take its name away.
    const bool unique = shorts[Lower(short_form)] == 1 &&
                        (short_form == id || !seen.count(Lower(short_form)));
    book.names_.push_back(unique ? short_form : id);
  }
  book.ids_ = std::move(ids);
  return book;
}

ScriptBook::Choice ScriptBook::Choose(std::string_view line) const {
  Choice choice;
  std::variant<Command, wire::Problem> parsed = wire::ParseCommand(line);
  const Command* command = std::get_if<Command>(&parsed);
  if (command == nullptr ||
      (command->verb != Verb::kEhlo && command->verb != Verb::kHelo)) {
    return choice;
  }
  // EHLO SP ( Domain / address-literal ) (RFC 5321 4.1.1.1): the first
  // word; a client that adds more is judged by the script, not here.
  std::string_view argument = command->argument;
  const std::size_t start = argument.find_first_not_of(" \t");
  argument = start == std::string_view::npos ? "" : argument.substr(start);
  choice.name = std::string(argument.substr(0, argument.find_first_of(" \t")));
  if (ids_.size() == 1) {
    if (choice.name.empty()) return choice;  // nothing to call it by
    choice.kind = Choice::Kind::kNamed;
    return choice;
  }
  choice.kind = Choice::Kind::kUnknown;
  if (choice.name.empty()) return choice;
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (syntax::EqualsIgnoreCase(choice.name, ids_[i]) ||
        syntax::EqualsIgnoreCase(choice.name, names_[i])) {
      choice.kind = Choice::Kind::kNamed;
      choice.script = i;
      return choice;
    }
  }
  return choice;
}

std::string ScriptBook::ListNames(std::size_t max) const {
  std::string out;
  for (const std::string& name : names_) {
    const std::string next = out.empty() ? name : ", " + name;
    if (out.size() + next.size() > max) return out + ", ...";
    out += next;
  }
  return out;
}

std::string Printable(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) return out + "...";
    out += c > 0x20 && c < 0x7f ? c : '?';
  }
  return out;
}

}  // namespace smtpspec::interp
