// Random scenarios for property tests: every one is something the parser
// could have produced (canonical lead lines, merged literals, declared
// variables), so Parse(Render(s)) == s must hold for all of them.
#ifndef SMTPSPEC_PARSER_SCENARIO_GENERATOR_H_
#define SMTPSPEC_PARSER_SCENARIO_GENERATOR_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "parser/scenario.h"

namespace smtpspec::parser {

class ScenarioGenerator {
 public:
  explicit ScenarioGenerator(std::uint64_t seed) : rng_(seed) {}

  Scenario Next();

 private:
  int Pick(int n);  // uniform in [0, n)
  bool Chance(int percent);
  std::string Text(int max_len, const std::string& alphabet);
  std::string RuleId();  // one of the catalogue's ids
  std::string CommentText();
  std::vector<std::string> Lead(bool at_block_start);
  Metadata Meta();
  Glob RandomGlob(bool allow_empty_literal);
  Regex RandomRegex();
  TextPattern RandomText();
  CommandPattern RandomCommand();
  ReplyPattern RandomReply();
  RawBytes RandomRaw();
  Action RandomAction(bool* is_include, bool* is_reply, bool* is_block);
  void NoteCaptures(const TextPattern& text);

  std::mt19937_64 rng_;
  std::vector<std::string> names_;  // variables usable so far
};

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_SCENARIO_GENERATOR_H_
