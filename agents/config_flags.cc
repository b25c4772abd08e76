// The `smtpspec serve` flags, on top of the YAML configuration.
#include <string>
#include <vector>

#include "agents/config.h"
#include "util/did_you_mean.h"

namespace smtpspec::agents::config {
namespace {

struct Flag {
  std::string_view name;
  bool takes_value;
  std::string_view help;
};

const std::vector<Flag>& Flags() {
  static const std::vector<Flag> kFlags = {
      {"--config", true,
       "FILE: read the YAML configuration (docs/reference-server.md); "
       "the other flags override it"},
      {"--listen", true,
       "HOST:PORT: listen here instead of 127.0.0.1:2525 (repeatable; "
       "port 0 picks a free port)"},
      {"--hostname", true, "NAME: the name in the greeting and EHLO reply"},
      {"--maildir", true, "DIR: store accepted messages in this maildir"},
      {"--jsonl", true,
       "FILE: append accepted messages to this JSON-lines file"},
      {"--discard", false, "throw accepted messages away (benchmarks)"},
      {"--set", true,
       "KEY=VALUE: set any configuration key, e.g. --set "
       "limits.recipients=200 or --set extensions.pipelining=off"},
  };
  return kFlags;
}

// One flag occurrence: its name and value ("" for switches).
struct Occurrence {
  std::string name;
  std::string value;
};

Result<std::vector<Occurrence>> Split(const std::vector<std::string>& args) {
  std::vector<std::string_view> names;
  for (const Flag& flag : Flags()) names.push_back(flag.name);
  std::vector<Occurrence> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::size_t equals = arg.find('=');
    std::string name = arg.substr(0, equals);
    const Flag* flag = nullptr;
    for (const Flag& f : Flags()) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) {
      return Error{i, "unknown flag '" + name + "'" +
                          util::DidYouMeanOrList(name, names)};
    }
    Occurrence occurrence{name, ""};
    if (flag->takes_value) {
      if (equals != std::string::npos) {
        occurrence.value = arg.substr(equals + 1);
      } else if (i + 1 < args.size()) {
        occurrence.value = args[++i];
      } else {
        return Error{i, "flag '" + name + "' needs a value"};
      }
    } else if (equals != std::string::npos) {
      return Error{i, "flag '" + name + "' takes no value"};
    }
    out.push_back(std::move(occurrence));
  }
  return out;
}

}  // namespace

Result<Server> FromFlags(const std::vector<std::string>& args) {
  Result<std::vector<Occurrence>> flags = Split(args);
  if (!flags.ok()) return flags.error();
  Server server;
  bool have_config = false;
  for (const Occurrence& flag : *flags) {
    if (flag.name != "--config") continue;
    if (have_config) return Error{0, "--config may be given only once"};
    have_config = true;
    Result<Server> loaded = Load(flag.value);
    if (!loaded.ok()) return loaded.error();
    server = std::move(*loaded);
  }
  bool listen_given = false;
  for (const Occurrence& flag : *flags) {
    const std::string& name = flag.name;
    if (name == "--listen") {
      Result<Address> address = ParseAddress(flag.value);
      if (!address.ok()) {
        return Error{0, "--listen: " + address.error().reason};
      }
      if (!listen_given) server.listen.clear();
      listen_given = true;
      server.listen.push_back(*address);
    } else if (name == "--hostname") {
      server.hostname = flag.value;
    } else if (name == "--maildir") {
      server.sink = {sink::Kind::kMaildir, flag.value};
    } else if (name == "--jsonl") {
      server.sink = {sink::Kind::kJsonLines, flag.value};
    } else if (name == "--discard") {
      server.sink = {sink::Kind::kDiscard, ""};
    } else if (name == "--set") {
      Status set = Set(flag.value, server);
      if (!set.ok()) return set.error();
    }
  }
  Status valid = Validate(server, "the command line");
  if (!valid.ok()) return valid.error();
  return server;
}

std::string FlagsHelp() {
  std::string out;
  for (const Flag& flag : Flags()) {
    out += "  ";
    out += flag.name;
    out += flag.takes_value ? " " : ": ";
    out += flag.help;
    out += '\n';
  }
  return out;
}

}  // namespace smtpspec::agents::config
