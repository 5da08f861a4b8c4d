// The standard-library module `stdlib/kpi`: sales KPIs written in Tally
// (`fn` declarations), compiled into the library so that no file is read
// when a plan imports it. docs/language.md ("Standard library: KPIs") shows
// the same text with each formula; a unit test keeps the two identical.
#pragma once

namespace tally {

/// The Tally text of `stdlib/kpi`.
const char* kpi_module_text();

}  // namespace tally
