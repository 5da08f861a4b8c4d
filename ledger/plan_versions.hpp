// Effective-dated plan versions (docs/adjustments.md). A plan header may say
// from which day a version pays: `plan "AE" version 2 effective 2026-03-01`.
// The ledger keeps the text of every version a run used; a run of a period,
// and the recomputation of a closed period for adjustments, use the version
// in force for that period: the one with the latest effective date on or
// before the period's first day (a version without a date pays from the
// beginning).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/result.hpp"
#include "ledger/ledger.hpp"

namespace tally::ledger {

/// One version of a plan: its text and what its header says.
struct PlanVersion {
  std::string path;       ///< the plan file it was read from (imports resolve against it)
  std::string text;       ///< the whole plan text
  std::string name;       ///< `plan "NAME"`
  std::string version;    ///< as written; empty when the header has none
  std::string effective;  ///< YYYY-MM-DD; empty: pays from the beginning
  Calendar calendar;      ///< from the header, to find where a period starts
};

/// Reads the header of plan text (only its syntax is checked here; compiling
/// it checks the rest). Errors name `path`: a syntax error, a missing
/// header, an effective date that is no date.
Result<PlanVersion> read_plan_version(const std::string& text, const std::string& path);

/// The first day (YYYY-MM-DD) of `period`, a label of the version's
/// calendar; an error naming the label when it is none.
Result<std::string> period_start(const PlanVersion& version, const std::string& period);

/// The versions known, oldest first, reduced to one per effective date: a
/// later text with the same effective date (or, like the first, none)
/// replaces the earlier one, so a correction of a version is what reruns
/// use. Ordered by effective date, undated first.
std::vector<PlanVersion> distinct_versions(const std::vector<PlanVersion>& oldest_first);

/// Index into `versions` (as distinct_versions returns them) of the version
/// in force for `period`: the latest effective date on or before the
/// period's first day. An error when every version starts after it (the
/// message names the period and the earliest effective date).
Result<std::size_t> version_in_force(const std::vector<PlanVersion>& versions,
                                     const std::string& period);

/// Every plan text the runs of `ledger` used, oldest run first, then
/// `current` (the plan file as it is today), reduced by distinct_versions.
/// A stored text that no longer parses is skipped (today's text is what
/// matters; the stored one stays in the ledger for explain).
Result<std::vector<PlanVersion>> known_versions(const Ledger& ledger, const PlanVersion& current);

/// For a ledger run of `period`: the version that pays it, among
/// known_versions(ledger, current). Usually `current`; an earlier version
/// when the plan file is a version effective after the period starts.
Result<PlanVersion> version_for_period(const Ledger& ledger, const PlanVersion& current,
                                       const std::string& period);

}  // namespace tally::ledger
