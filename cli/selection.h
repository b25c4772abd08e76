// Which scenarios a run or a listing takes: the selection flags, then the
// side under test, then one Bazel test shard's share. `smtpspec_cli run`
// and `smtpspec_cli list` both select here, so the runner passes the
// user's flags through and keeps no copy of their meaning:
//
//   --tags a,b        scenarios with any of these tags
//   --rfc CITATION    scenarios citing that section or one inside it
//                     ("RFC 5321 4.1" selects 4.1.4, not 4.10); a bare
//                     section ("4.1.4") is one of RFC 5321
//   --id GLOB         scenario ids matching a shell glob (rfc5321.*)
//   --level L,...     MUST, SHOULD or MAY
//   --delivers yes|no scenarios that may complete a mail transaction, or
//                     those that deliver nothing (parser/delivers.h)
//   --side S          server or client: the scenarios that test that side
//                     (`tests: both` is on both)
//   --shard I/T       every Tth scenario of the selection, from the Ith
//                     (0-based), in file order
//
// Each flag may be repeated; a scenario must pass every flag given, and any
// one value of a flag. The shards of one run never overlap and together
// take everything. A file without an id is an include fragment, not a
// scenario: it is never selected.
#ifndef SMTPSPEC_CLI_SELECTION_H_
#define SMTPSPEC_CLI_SELECTION_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "parser/scenario.h"

namespace smtpspec::cli {

struct Selection {
  std::vector<std::string> tags;
  std::vector<std::string> rfcs;
  std::vector<std::string> ids;  // shell globs
  std::vector<parser::Level> levels;
  std::optional<bool> delivers;
  std::optional<parser::UnderTest> side;  // kServer or kClient
  std::size_t shard_index = 0;
  std::size_t shard_total = 1;

  // Whether any flag above was given (`list` prints every file without).
  bool given = false;
};

// If args[*i] is one of the flags above, reads it and its value (advancing
// *i past the value) into `selection` and returns OkStatus(), or the
// one-line reason the value is bad ("--level X: use MUST, SHOULD or MAY");
// nullopt when args[*i] is some other argument.
std::optional<Status> ReadSelectionFlag(const std::vector<std::string>& args,
                                        std::size_t* i, Selection* selection);

// Whether `citation` cites the section `selected` names, or one inside it:
// "RFC 5321 4.1" covers "RFC 5321 4.1.4" and "RFC 5321 4.1", not
// "RFC 5321 4.10" nor "RFC 3207 4.1"; "RFC 5321" covers all of RFC 5321.
// A citation may name several sections ("RFC 5321 4.1.4 / 4.3.2").
bool CitationCovers(std::string_view selected, std::string_view citation);

// Whether a scenario passes the selection flags (not the side or shard).
bool Matches(const parser::Scenario& scenario, const Selection& selection);

// What Choose() made of the files it was given.
struct Chosen {
  std::size_t found = 0;            // scenarios (files with an id)
  std::size_t selected = 0;         // of those, passing the flags (every side)
  std::vector<std::size_t> picked;  // indexes of this side and shard
};

Chosen Choose(const std::vector<const parser::Scenario*>& files,
              const Selection& selection);

// The line that follows the scenario records of `run --metadata` and
// `list --summary`: {"schema": "smtpspec.selection/1", "found": N,
// "selected": N} (docs/results-schema.md).
std::string SelectionRecord(const Chosen& chosen);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_SELECTION_H_
