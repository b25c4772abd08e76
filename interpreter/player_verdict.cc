// The Player's findings and verdict: which findings are the scenario's own
// and which incidental, what a step that did not go as written means, and
// the verdict they add up to (docs/verdicts.md).
#include <algorithm>
#include <utility>

#include "engine/rules/catalogue.h"
#include "interpreter/player.h"

namespace smtpspec::interp {
namespace {

using rules::Id;

model::Level ModelLevel(std::optional<parser::Level> level) {
  switch (level.value_or(parser::Level::kMust)) {
    case parser::Level::kShould:
      return model::Level::kShould;
    case parser::Level::kMay:
      return model::Level::kMay;
    case parser::Level::kMust:
      break;
  }
  return model::Level::kMust;
}

// Rules about the server keeping the connection open: for them a 421 is
// the violation itself, not a legal way out of the scenario.
bool AboutClosing(std::string_view rule) {
  return rule == Id("rfc5321/3.8-no-close") ||
         rule == Id("rfc5321/3.8-unknown-no-close") ||
         rule == Id("rfc5321/4.1.1.10-server-no-close") ||
         rule == Id("rfc5321/4.1.1.5-no-close");
}

}  // namespace

void Player::AddFinding(FindingKind kind, std::string rfc, model::Level level,
                        std::string message, std::string expected,
                        std::string observed) {
  // A flood of malformed lines must not grow the result without bound.
  if (result_.findings.size() >= 200) return;
  const int step = pc_ < scenario_.steps.size() ? static_cast<int>(pc_) : -1;
  result_.findings.push_back(Finding{kind, "", std::move(rfc), level, "",
                                     std::move(message), step,
                                     std::move(expected), std::move(observed)});
}

void Player::AddRuleFinding(FindingKind kind, std::string_view rule,
                            std::string message, std::string expected,
                            std::string observed) {
  const rules::Rule& r = rules::Get(rule);
  const std::size_t before = result_.findings.size();
  AddFinding(kind, rules::Citation(r), r.level, std::move(message),
             std::move(expected), std::move(observed));
  if (result_.findings.size() == before) return;  // over the cap
  result_.findings.back().rule = std::string(r.id);
  result_.findings.back().sentence = std::string(r.sentence);
}

void Player::AddModelFindings(const std::vector<model::Finding>& findings) {
  for (const model::Finding& f : findings) {
    AddRuleFinding(FindingKind::kModel, f.rule, f.message);
  }
}

bool Player::IsOwn(const Finding& finding) const {
  if (finding.kind == FindingKind::kPattern) return true;
  const parser::Metadata& meta = scenario_.meta;
  if (!meta.rules.empty()) {
    return std::find(meta.rules.begin(), meta.rules.end(), finding.rule) !=
           meta.rules.end();
  }
  return std::find(meta.rfc.begin(), meta.rfc.end(), finding.rfc) !=
         meta.rfc.end();
}

bool Player::IsCheck(const parser::Step& step) const {
  if (!step.premise.empty()) return false;
  return step.check || !marked_;
}

void Player::Inconclusive(std::string reason) {
  if (!inconclusive_) result_.reason = std::move(reason);
  inconclusive_ = true;
}

void Player::Mismatch(const parser::Step& step, std::string expected,
                      std::string observed, std::string why,
                      const Arrived* arrived) {
  result_.steps[pc_].status = StepStatus::kMismatch;
  stopped_ = true;
  const parser::Metadata& meta = scenario_.meta;
  const std::string at = "line " + std::to_string(step.position.line) + ": ";
  const std::string_view rule = !step.rule.empty() ? std::string_view(step.rule)
                                : !meta.rules.empty()
                                    ? std::string_view(meta.rules.front())
                                    : std::string_view();
  const std::string got = observed.empty() ? "" : " (got " + observed + ")";
  const int code = arrived && arrived->reply ? arrived->reply->code : 0;
  // What the RFC lets any server do, whatever the scenario hoped for: refuse
  // service in the greeting (RFC 5321 3.1, 4.2: 554; 3.8: 421; RFC 7504:
  // 521), and end the session with 421 at any point (3.8).
  if (arrived && arrived->greeting &&
      (code == 554 || code == 421 || code == 521)) {
    Inconclusive(at + "the server refused service in its greeting" + got +
                 ", which RFC 5321 3.1 allows; the scenario needs a 220");
    return;
  }
  if (code == 421 && !AboutClosing(rule)) {
    Inconclusive(at + "the server ended the session with 421" + got +
                 ", which RFC 5321 3.8 allows at any time; the scenario could "
                 "not reach what it tests");
    return;
  }
  const std::string explained =
      arrived && !arrived->incidental.empty()
          ? " The server broke " + arrived->incidental +
                " here, which this scenario does not test; it is reported "
                "on its own."
          : "";
  if (!IsCheck(step)) {
    Inconclusive(at +
                 (step.premise.empty()
                      ? why + got +
                            "; this step is setup, not what the "
                            "scenario tests"
                      : "the premise '" + step.premise +
                            "' does not hold: " + why + got) +
                 "." + explained);
    return;
  }
  if (!rule.empty()) {
    AddRuleFinding(FindingKind::kPattern, rule, at + why, std::move(expected),
                   std::move(observed));
  } else {
    AddFinding(FindingKind::kPattern, meta.rfc.empty() ? "" : meta.rfc.front(),
               ModelLevel(meta.level), at + why, std::move(expected),
               std::move(observed));
  }
}

void Player::Fail(std::string reason, Time now) {
  if (done_) return;
  error_ = true;
  result_.reason = std::move(reason);
  Finish(now);
}

void Player::FailAt(const parser::Step& step, std::string reason,
                    Time now) {
  Fail("line " + std::to_string(step.position.line) + ": " + std::move(reason),
       now);
}

void Player::Skip(std::string reason, Time now) {
  if (done_) return;
  skipped_ = true;
  result_.reason = std::move(reason);
  // Leave politely: the target did nothing wrong.
  if (connected_ && options_.mode == Mode::kServer && !peer_closed_) {
    output_ += "QUIT\r\n";
  }
  Finish(now);
}

void Player::Finish(Time now) {
  if (done_) return;
  done_ = true;
  wait_until_.reset();
  sleep_until_.reset();
  if (connected_ && !peer_closed_) wants_close_ = true;
  if (dropped_bytes_ > 0) {
    result_.transcript.push_back(WireEvent{
        std::chrono::duration<double, std::milli>(now - start_).count(), 'S',
        "[smtpspec: " + std::to_string(dropped_bytes_) +
            " more bytes not recorded]",
        -1});
  }
  result_.duration_ms =
      std::chrono::duration<double, std::milli>(now - start_).count();
  if (error_) {
    result_.verdict = Verdict::kError;
    return;
  }
  if (skipped_) {
    result_.verdict = Verdict::kSkipped;
    return;
  }
  // Attribution: findings about rules the scenario does not test are
  // incidental. They stand, once per target in the reports, but do not
  // decide this verdict.
  std::vector<Finding> own;
  for (Finding& f : result_.findings) {
    (IsOwn(f) ? own : result_.incidental).push_back(std::move(f));
  }
  result_.findings = std::move(own);
  int musts = 0;
  int pattern_musts = 0;
  int shoulds = 0;
  for (const Finding& f : result_.findings) {
    if (f.level == model::Level::kShould) ++shoulds;
    if (f.level != model::Level::kMust) continue;
    ++musts;
    if (f.kind == FindingKind::kPattern) ++pattern_musts;
  }
  if (unimplemented_ && musts == pattern_musts) {
    result_.verdict = Verdict::kUnimplemented;
  } else if (musts > 0) {
    result_.verdict = Verdict::kFailed;
  } else if (inconclusive_) {
    result_.verdict = Verdict::kInconclusive;
  } else if (shoulds > 0) {
    result_.verdict = Verdict::kNonStrict;
  } else {
    // MAY findings stay listed; they never fail, --strict or not.
    result_.verdict = Verdict::kOk;
  }
  if (result_.verdict != Verdict::kInconclusive) result_.reason.clear();
}
}  // namespace smtpspec::interp
