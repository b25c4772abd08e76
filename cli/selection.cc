#include "cli/selection.h"

#include <fnmatch.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>

#include "parser/delivers.h"
#include "util/json_writer.h"

namespace smtpspec::cli {
namespace {

// One cited section; `section` is "" when only the RFC is cited.
struct Ref {
  std::string rfc;  // the number without leading zeros
  std::string section;
};

bool Digit(char c) { return c >= '0' && c <= '9'; }

std::size_t Digits(std::string_view s, std::size_t at) {
  while (at < s.size() && Digit(s[at])) ++at;
  return at;
}

// "RFC" (any case), optional blanks, then the number: where the number
// starts and ends, or nullopt when there is no such citation from `from`.
std::optional<std::pair<std::size_t, std::size_t>> FindRfc(std::string_view s,
                                                           std::size_t from,
                                                           std::size_t* at) {
  for (std::size_t i = from; i + 3 <= s.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != 'r' ||
        std::tolower(static_cast<unsigned char>(s[i + 1])) != 'f' ||
        std::tolower(static_cast<unsigned char>(s[i + 2])) != 'c') {
      continue;
    }
    std::size_t j = i + 3;
    while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j]))) {
      ++j;
    }
    const std::size_t end = Digits(s, j);
    if (end == j) continue;
    *at = i;
    return std::make_pair(j, end);
  }
  return std::nullopt;
}

// Every section a citation names, in order: "RFC 5321 4.1.4 / 4.3.2" names
// two of one RFC, "RFC 3207" the whole RFC, text without "RFC n" none.
std::vector<Ref> ParseCitation(std::string_view s) {
  std::vector<Ref> refs;
  std::size_t start = 0;
  std::optional<std::pair<std::size_t, std::size_t>> number =
      FindRfc(s, 0, &start);
  while (number) {
    std::string rfc(s.substr(number->first, number->second - number->first));
    rfc.erase(0, std::min(rfc.find_first_not_of('0'), rfc.size() - 1));
    std::size_t next_start = s.size();
    std::optional<std::pair<std::size_t, std::size_t>> next =
        FindRfc(s, number->second, &next_start);
    const std::size_t end = next ? next_start : s.size();
    bool any = false;
    for (std::size_t j = number->second; j < end;) {
      if (!Digit(s[j])) {
        ++j;
        continue;
      }
      const std::size_t from = j;
      j = Digits(s, j);
      while (j + 1 < end && s[j] == '.' && Digit(s[j + 1])) {
        j = Digits(s, j + 1);
      }
      refs.push_back({rfc, std::string(s.substr(from, j - from))});
      any = true;
    }
    if (!any) refs.push_back({rfc, ""});
    number = next;
  }
  return refs;
}

std::string Strip(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string_view::npos) return "";
  const std::size_t e = s.find_last_not_of(" \t\r\n\f\v");
  return std::string(s.substr(b, e - b + 1));
}

// The comma-separated values of one flag, stripped, without blanks.
std::vector<std::string> Values(std::string_view flag) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t comma = flag.find(',');
    std::string value = Strip(flag.substr(0, comma));
    if (!value.empty()) out.push_back(std::move(value));
    if (comma == std::string_view::npos) return out;
    flag.remove_prefix(comma + 1);
  }
}

// A section number alone ("4.1.4", as h2spec's -s takes) is one of RFC
// 5321, the RFC the corpus is about.
constexpr char kBareSectionRfc[] = "RFC 5321 ";

bool IsBareSection(std::string_view s) {
  std::size_t at = Digits(s, 0);
  if (at == 0) return false;
  while (at + 1 < s.size() && s[at] == '.' && Digit(s[at + 1])) {
    at = Digits(s, at + 1);
  }
  return at == s.size();
}

Status Bad(std::string reason) { return Error{0, std::move(reason)}; }

bool ParseCount(std::string_view s, std::size_t* out) {
  if (s.empty() || Digits(s, 0) != s.size() || s.size() > 9) return false;
  *out = static_cast<std::size_t>(
      std::strtoul(std::string(s).c_str(), nullptr, 10));
  return true;
}

Status ReadValue(const std::string& flag, const std::string& value,
                 Selection* s) {
  if (flag == "--tags") {
    for (std::string& v : Values(value)) s->tags.push_back(std::move(v));
  } else if (flag == "--id") {
    for (std::string& v : Values(value)) s->ids.push_back(std::move(v));
  } else if (flag == "--level") {
    for (std::string v : Values(value)) {
      for (char& c : v) c = static_cast<char>(std::toupper(c));
      if (v == "MUST") {
        s->levels.push_back(parser::Level::kMust);
      } else if (v == "SHOULD") {
        s->levels.push_back(parser::Level::kShould);
      } else if (v == "MAY") {
        s->levels.push_back(parser::Level::kMay);
      } else {
        return Bad("--level " + v + ": use MUST, SHOULD or MAY");
      }
    }
  } else if (flag == "--rfc") {
    // One citation a flag: a citation may hold commas of its own.
    std::string citation = Strip(value);
    if (citation.empty()) return OkStatus();
    if (IsBareSection(citation)) citation = kBareSectionRfc + citation;
    if (ParseCitation(citation).empty()) {
      return Bad("--rfc " + citation +
                 ": write a citation such as \"RFC 5321 4.1\", or a "
                 "section of RFC 5321 such as 4.1");
    }
    s->rfcs.push_back(std::move(citation));
  } else if (flag == "--delivers") {
    if (value == "yes") {
      s->delivers = true;
    } else if (value == "no") {
      s->delivers = false;
    } else {
      return Bad("--delivers " + value + ": use yes or no");
    }
  } else if (flag == "--side") {
    if (value == "server") {
      s->side = parser::UnderTest::kServer;
    } else if (value == "client") {
      s->side = parser::UnderTest::kClient;
    } else {
      return Bad("--side " + value + ": use server or client");
    }
  } else {  // --shard
    const std::size_t slash = value.find('/');
    std::size_t index = 0, total = 0;
    if (slash == std::string::npos ||
        !ParseCount(std::string_view(value).substr(0, slash), &index) ||
        !ParseCount(std::string_view(value).substr(slash + 1), &total) ||
        total < 1 || index >= total) {
      return Bad("--shard " + value +
                 ": write INDEX/TOTAL, numbers with 0 <= INDEX < TOTAL");
    }
    s->shard_index = index;
    s->shard_total = total;
  }
  return OkStatus();
}

}  // namespace

std::optional<Status> ReadSelectionFlag(const std::vector<std::string>& args,
                                        std::size_t* i, Selection* selection) {
  const std::string& flag = args[*i];
  if (flag != "--tags" && flag != "--rfc" && flag != "--id" &&
      flag != "--level" && flag != "--delivers" && flag != "--side" &&
      flag != "--shard") {
    return std::nullopt;
  }
  if (*i + 1 >= args.size()) return Bad(flag + " needs a value");
  selection->given = true;
  return ReadValue(flag, args[++*i], selection);
}

bool CitationCovers(std::string_view selected, std::string_view citation) {
  const std::vector<Ref> cited = ParseCitation(citation);
  for (const Ref& want : ParseCitation(selected)) {
    for (const Ref& ref : cited) {
      if (ref.rfc != want.rfc) continue;
      if (want.section.empty() || ref.section == want.section ||
          ref.section.starts_with(want.section + ".")) {
        return true;
      }
    }
  }
  return false;
}

bool Matches(const parser::Scenario& scenario, const Selection& s) {
  const parser::Metadata& meta = scenario.meta;
  if (s.delivers && parser::Delivers(scenario) != *s.delivers) return false;
  auto any = [](const auto& values, auto pass) {
    for (const auto& v : values) {
      if (pass(v)) return true;
    }
    return values.empty();
  };
  return any(s.tags,
             [&](const std::string& tag) {
               for (const std::string& t : meta.tags) {
                 if (t == tag) return true;
               }
               return false;
             }) &&
         any(s.levels,
             [&](parser::Level level) {
               return meta.level.value_or(parser::Level::kMust) == level;
             }) &&
         any(s.ids,
             [&](const std::string& glob) {
               return fnmatch(glob.c_str(), meta.id.c_str(), 0) == 0;
             }) &&
         any(s.rfcs, [&](const std::string& want) {
           for (const std::string& cited : meta.rfc) {
             if (CitationCovers(want, cited)) return true;
           }
           return false;
         });
}

Chosen Choose(const std::vector<const parser::Scenario*>& files,
              const Selection& s) {
  Chosen out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const parser::Metadata& meta = files[i]->meta;
    if (meta.id.empty()) continue;  // an include fragment
    ++out.found;
    if (!Matches(*files[i], s)) continue;
    // The shard counts the selection of every side, so that each side's
    // targets of one shard get the same scenarios a run of both would.
    if (out.selected++ % s.shard_total != s.shard_index) continue;
    if (s.side) {
      const parser::UnderTest tests =
          meta.tests.value_or(parser::UnderTest::kServer);
      if (tests != *s.side && tests != parser::UnderTest::kBoth) continue;
    }
    out.picked.push_back(i);
  }
  return out;
}

std::string SelectionRecord(const Chosen& chosen) {
  util::JsonWriter w;
  w.BeginObject().Key("schema").String("smtpspec.selection/1");
  w.Key("found").Int(static_cast<std::int64_t>(chosen.found));
  w.Key("selected").Int(static_cast<std::int64_t>(chosen.selected));
  return w.EndObject().str();
}

}  // namespace smtpspec::cli
