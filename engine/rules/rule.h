// One checkable requirement of an RFC: the unit every finding names.
//
// Rules are data (rules/*.tsv, compiled in by embed.py; rules/README.md).
// A reference-model check, a scenario step or a delivery check names the
// rule it checks, and a finding takes that rule's level, never the
// scenario's: a server author who sees MUST can read the sentence that
// says so.
#ifndef SMTPSPEC_ENGINE_RULES_RULE_H_
#define SMTPSPEC_ENGINE_RULES_RULE_H_

#include <string>
#include <string_view>

namespace smtpspec::rules {

// Requirement levels of RFC 2119 as the SMTP RFCs use them. MUST NOT is a
// MUST and SHOULD NOT a SHOULD: what differs is the sentence, not the
// weight.
enum class Level {
  kMust,
  kShould,
  kMay,
};

// Which party the rule binds.
enum class Side { kServer, kClient, kBoth };

struct Rule {
  std::string_view id;       // "rfc5321/3.3-rcpt-needs-mail"
  std::string_view rfc;      // "RFC 5321"
  std::string_view section;  // "3.3"
  Level level = Level::kMust;
  std::string_view keyword;  // as the RFC writes it: "MUST NOT", "SHOULD"
  Side side = Side::kServer;
  std::string_view tags;      // comma-separated, for coverage
  std::string_view sentence;  // quoted from the RFC
};

// "MUST", "SHOULD" or "MAY".
std::string_view LevelName(Level level);

// "RFC 5321 3.3": how a report cites the rule.
std::string Citation(const Rule& rule);

}  // namespace smtpspec::rules

#endif  // SMTPSPEC_ENGINE_RULES_RULE_H_
