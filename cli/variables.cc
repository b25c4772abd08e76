#include "cli/variables.h"

#include "interpreter/driver.h"
#include "interpreter/player.h"
#include "parser/target_variables.h"

namespace smtpspec::cli {
namespace {

// The values are names and addresses made here, never user input, but
// they are quoted as JSON all the same.
std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<VariableDefault> TargetDefaults() {
  std::vector<VariableDefault> out;
  for (std::string_view name : transcript::kTargetVariables) {
    if (name == "unknown_mailbox") continue;  // random per run
    std::string value;
    if (name == "domain") {
      // `smtpspec_cli run` plays against the reference server's defaults.
      value = interp::DriverOptions{}.reference.hostname;
    } else if (name == "client_domain") {
      value = interp::kDefaultClientDomain;
    } else {
      for (const transcript::AddressDefault& a : transcript::kAddressDefaults) {
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
  out << "[";
  for (std::size_t i = 0; i < defaults.size(); ++i) {
    out << (i > 0 ? "," : "") << "{\"name\":" << JsonString(defaults[i].name)
        << ",\"default\":" << JsonString(defaults[i].value) << "}";
  }
  out << "]\n";
  return 0;
}

}  // namespace smtpspec::cli
