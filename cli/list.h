// `smtpspec_cli list [SELECTION] [--summary] FILE|DIR...`: the metadata of
// each selected scenario as one JSON line (cli/selection.h; without a
// selection flag, of every file, include fragments too), for the runner's
// `list` and `explain` and for tools. --summary adds the selection record
// (SelectionRecord()) as the last line.
#ifndef SMTPSPEC_CLI_LIST_H_
#define SMTPSPEC_CLI_LIST_H_

#include <string>
#include <vector>

#include "parser/scenario.h"

namespace smtpspec::cli {

// One scenario's metadata as a JSON object: what `list` prints for it
// (interp::ScenarioJson, with its canonical text).
std::string MetadataJson(const parser::Scenario& scenario,
                         const std::string& file);

// The same, as the record `run --metadata` prints before the results:
// {"schema": "smtpspec.scenario/1", "scenario": MetadataJson()}.
std::string ScenarioRecord(const parser::Scenario& scenario,
                           const std::string& file);

// Exit codes: 0 every file parsed, 2 usage error or a file did not parse
// (its diagnostics go to stderr and it gets no line).
int List(const std::vector<std::string>& args);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_LIST_H_
