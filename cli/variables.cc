#include "cli/variables.h"

#include "interpreter/driver.h"
#include "interpreter/player.h"
#include "parser/target_variables.h"
#include "util/json_writer.h"

namespace smtpspec::cli {

std::vector<VariableDefault> TargetDefaults() {
  std::vector<VariableDefault> out;
  for (std::string_view name : parser::kTargetVariables) {
    if (name == "unknown_mailbox") continue;  // random per run
    std::string value;
    if (name == "domain") {
      // `smtpspec_cli run` plays against the reference server's defaults.
      value = interp::DriverOptions{}.reference.hostname;
    } else if (name == "client_domain") {
      value = interp::kDefaultClientDomain;
    } else {
      for (const parser::AddressDefault& a : parser::kAddressDefaults) {
        if (a.name == name) {
          value = std::string(a.local_part) + "@${" + std::string(a.domain_of) +
                  "}";
        }
      }
    }
    out.push_back({std::string(name), value});
  }
  return out;
}

int RunVariables(const std::vector<std::string>& args, std::ostream& out,
                 std::ostream& err) {
  bool json = false;
  for (const std::string& arg : args) {
    if (arg == "--json") {
      json = true;
    } else {
      err << "smtpspec_cli variables: unknown argument " << arg
          << " (the only flag is --json)\n";
      return 2;
    }
  }
  const std::vector<VariableDefault> defaults = TargetDefaults();
  if (!json) {
    for (const VariableDefault& d : defaults) {
      out << d.name << " " << d.value << "\n";
    }
    return 0;
  }
  util::JsonWriter writer;
  writer.BeginArray();
  for (const VariableDefault& d : defaults) {
    writer.BeginObject().Key("name").String(d.name);
    writer.Key("default").String(d.value).EndObject();
  }
  out << writer.EndArray().str() << "\n";
  return 0;
}

}  // namespace smtpspec::cli
