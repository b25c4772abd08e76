// The compiled catalogue, written by embed.py. Only catalogue.cc reads it.
#ifndef SMTPSPEC_ENGINE_RULES_CATALOGUE_DATA_H_
#define SMTPSPEC_ENGINE_RULES_CATALOGUE_DATA_H_

#include <cstddef>

#include "engine/rules/rule.h"

namespace smtpspec::rules::data {

extern const Rule kRules[];
extern const std::size_t kRuleCount;

}  // namespace smtpspec::rules::data

#endif  // SMTPSPEC_ENGINE_RULES_CATALOGUE_DATA_H_
