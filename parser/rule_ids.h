// Rule ids in a transcript (the front matter's `rules:` and `!rule`): the
// one check that an id names a rule of the catalogue (rules/*.tsv), with
// its hint for a misspelt one.
#ifndef SMTPSPEC_PARSER_RULE_IDS_H_
#define SMTPSPEC_PARSER_RULE_IDS_H_

#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::parser {

// nullopt when `id` is a rule of the catalogue; otherwise why not: "no such
// rule in rules/", and "; did you mean '...'?" for a close id.
std::optional<std::string> UnknownRule(std::string_view id);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_RULE_IDS_H_
