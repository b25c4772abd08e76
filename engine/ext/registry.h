// The built-in extension modules, and how a server's list of offered
// modules (server::Config::extensions) is switched by name.
#ifndef SMTPSPEC_ENGINE_EXT_REGISTRY_H_
#define SMTPSPEC_ENGINE_EXT_REGISTRY_H_

#include <string_view>
#include <vector>

#include "engine/ext/extension.h"

namespace smtpspec::ext {

// One built-in module and whether a server offers it unless told not to.
struct Registered {
  const Extension* module = nullptr;
  bool by_default = false;
};

// Every built-in module, in the order of their EHLO lines. Immutable and
// built once; its modules live as long as the program.
const std::vector<Registered>& Registry();

// The modules offered by default (server::Config::extensions): those of
// Registry() with by_default.
List Defaults();

// Every built-in module: what a client knows about (ext::LearnFromEhlo).
List All();

// Offers the built-in module `name` in `list`, in its Registry() place so
// that the EHLO response keeps one order however the list was built.
// Returns false, changing nothing, when no built-in module has that name.
// Offering a module already in the list changes nothing.
bool Enable(List& list, std::string_view name);
// Withdraws the module `name` from `list`, if there.
void Disable(List& list, std::string_view name);

}  // namespace smtpspec::ext

#endif  // SMTPSPEC_ENGINE_EXT_REGISTRY_H_
