#include "parser/variables.h"

#include <utility>

namespace smtpspec::parser {

Variables::Variables(const std::vector<Var>& defaults) {
  for (const Var& v : defaults) Set(v.name, v.value);
}

void Variables::Set(std::string_view name, std::string value) {
  for (Binding& b : bindings_) {
    if (b.name == name) {
      b.value = std::move(value);
      return;
    }
  }
  bindings_.push_back(Binding{std::string(name), std::move(value)});
}

const std::string* Variables::Find(std::string_view name) const {
  for (const Binding& b : bindings_) {
    if (b.name == name) return &b.value;
  }
  return nullptr;
}

}  // namespace smtpspec::parser
