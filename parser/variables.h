// Values for ${name} while a scenario runs: the front matter's defaults,
// overrides from the command line, and captures from earlier replies.
#ifndef SMTPSPEC_PARSER_VARIABLES_H_
#define SMTPSPEC_PARSER_VARIABLES_H_

#include <string>
#include <string_view>
#include <vector>

#include "parser/scenario.h"
#include "parser/target_variables.h"

namespace smtpspec::parser {

// One named value.
struct Binding {
  std::string name;
  std::string value;

  bool operator==(const Binding&) const = default;
};

// Named values in the order first set; setting a name again replaces its
// value in place. Few names per scenario, so a vector is the right map.
class Variables {
 public:
  Variables() = default;
  // The front matter's `vars:` defaults.
  explicit Variables(const std::vector<Var>& defaults);

  void Set(std::string_view name, std::string value);
  // nullptr when `name` has no value.
  const std::string* Find(std::string_view name) const;
  const std::vector<Binding>& bindings() const { return bindings_; }

 private:
  std::vector<Binding> bindings_;
};

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_VARIABLES_H_
