// Durations in transcripts: a whole number and a unit, "500ms", "30s",
// "2m", "1h". No fractions, no compounds: one way to write each value.
#ifndef SMTPSPEC_PARSER_DURATION_H_
#define SMTPSPEC_PARSER_DURATION_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::parser {

// Longest duration accepted anywhere, so arithmetic on it cannot overflow.
inline constexpr std::chrono::milliseconds kMaxDuration =
    std::chrono::hours(24);

// nullopt unless `text` is a duration of at most kMaxDuration.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The shortest canonical spelling: the largest unit that divides exactly.
std::string FormatDuration(std::chrono::milliseconds d);

// The sentence every bad duration gets.
inline constexpr char kDurationHelp[] =
    "write a whole number and a unit, like 500ms, 30s, 2m or 1h (at most 24h)";

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_DURATION_H_
