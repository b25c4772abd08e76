#include "engine/ext/registry.h"

#include <algorithm>
#include <cstddef>

#include "engine/ext/chunking.h"
#include "engine/ext/eightbitmime.h"
#include "engine/ext/enhanced_status_codes.h"
#include "engine/ext/help.h"
#include "engine/ext/pipelining.h"
#include "engine/ext/size.h"
#include "engine/ext/smtputf8.h"
#include "engine/ext/starttls.h"

namespace smtpspec::ext {
namespace {

constexpr bool kOn = true;
constexpr bool kOff = false;

// Where `module` stands in Registry(); modules of no registry (a test's)
// go after the built-in ones.
std::size_t Rank(const Extension* module) {
  const std::vector<Registered>& all = Registry();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].module == module) return i;
  }
  return all.size();
}

}  // namespace

const std::vector<Registered>& Registry() {
  // One line per module. Built once, never changed, never destroyed (the
  // modules are stateless; Config lists point at them).
  static const std::vector<Registered>* const kRegistry =
      new std::vector<Registered>{
          // HELP first: it has no EHLO line, and its reply lists HELP
          // before the verbs of the modules below.
          {new Help, kOn},                 // RFC 5321 4.1.1.8
          {new EightBitMime, kOn},         // RFC 6152
          {new Pipelining, kOn},           // RFC 2920
          {new Size, kOn},                 // RFC 1870
          {new EnhancedStatusCodes, kOn},  // RFC 2034
          // The agent offers it per connection, where it can run TLS.
          {new StartTls, kOff},  // RFC 3207
          {new SmtpUtf8, kOff},  // RFC 6531
          {new Chunking, kOn},   // RFC 3030
      };
  return *kRegistry;
}

List Defaults() {
  List list;
  for (const Registered& registered : Registry()) {
    if (registered.by_default) list.push_back(registered.module);
  }
  return list;
}

List All() {
  List list;
  for (const Registered& registered : Registry()) {
    list.push_back(registered.module);
  }
  return list;
}

bool Enable(List& list, std::string_view name) {
  const Extension* module = nullptr;
  for (const Registered& registered : Registry()) {
    if (registered.module->name() == name) module = registered.module;
  }
  if (module == nullptr) return false;
  if (std::find(list.begin(), list.end(), module) != list.end()) return true;
  const std::size_t rank = Rank(module);
  auto after =
      std::find_if(list.begin(), list.end(),
                   [rank](const Extension* m) { return Rank(m) > rank; });
  list.insert(after, module);
  return true;
}

void Disable(List& list, std::string_view name) {
  list.erase(std::remove_if(list.begin(), list.end(),
                            [name](const Extension* module) {
                              return module->name() == name;
                            }),
             list.end());
}

}  // namespace smtpspec::ext
