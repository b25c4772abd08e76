#include "engine/ext/extension.h"

#include <algorithm>

#include "engine/syntax.h"

namespace smtpspec::ext {
namespace {

bool Defines(std::span<const std::string_view> keywords,
             std::string_view keyword) {
  return std::any_of(keywords.begin(), keywords.end(),
                     [keyword](std::string_view defined) {
                       return syntax::EqualsIgnoreCase(defined, keyword);
                     });
}

}  // namespace

const Extension* Find(const List& list, std::string_view name) {
  for (const Extension* module : list) {
    if (module->name() == name) return module;
  }
  return nullptr;
}

const Extension* ForVerb(const List& list, Verb verb) {
  for (const Extension* module : list) {
    std::span<const Verb> verbs = module->verbs();
    if (std::find(verbs.begin(), verbs.end(), verb) != verbs.end()) {
      return module;
    }
  }
  return nullptr;
}

const Extension* ForMailParameter(const List& list, std::string_view keyword) {
  for (const Extension* module : list) {
    if (Defines(module->mail_parameters(), keyword)) return module;
  }
  return nullptr;
}

const Extension* ForRcptParameter(const List& list, std::string_view keyword) {
  for (const Extension* module : list) {
    if (Defines(module->rcpt_parameters(), keyword)) return module;
  }
  return nullptr;
}

Switches SwitchesOf(const List& list) {
  Switches all;
  for (const Extension* module : list) {
    Switches one = module->switches();
    all.utf8 = all.utf8 || one.utf8;
    all.enhanced_codes = all.enhanced_codes || one.enhanced_codes;
  }
  return all;
}

Learned LearnFromEhlo(const EhloResponse& response, const List& list) {
  Learned learned;
  for (const EhloKeyword& line : response.keywords) {
    // When a keyword comes twice, the first line counts.
    if (FindKeyword(response, line.keyword) != &line) continue;
    for (const Extension* module : list) {
      if (!module->keyword().empty() &&
          syntax::EqualsIgnoreCase(module->keyword(), line.keyword)) {
        module->Learn(line, learned);
        break;
      }
    }
  }
  return learned;
}

State* StateFor(States& states, const Extension& module) {
  if (State* found = FindState(states, module)) return found;
  std::unique_ptr<State> state = module.NewState();
  if (state == nullptr) return nullptr;
  states.push_back(ModuleState{&module, std::move(state)});
  return states.back().state.get();
}

State* FindState(const States& states, const Extension& module) {
  for (const ModuleState& one : states) {
    if (one.module == &module) return one.state.get();
  }
  return nullptr;
}

}  // namespace smtpspec::ext
