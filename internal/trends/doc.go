// Package trends computes everything SleepTracker derives from history:
// sleep bars (SPEC §7.1), summary buckets (§7.2), personalization metrics and
// recommendations (§7.3–§7.5) and the friction backlog (§7.6).
//
// Every function here is pure: it takes slices of plain values (Night,
// FrictionEvent) and returns structs whose JSON encoding with encoding/json is
// exactly the documented response body — dates as "YYYY-MM-DD", clock times
// as "HH:MM:SS", undefined numbers as null (never omitted, never NaN), lists
// as [] (never null). There is no I/O, no SQL and no HTTP; the HTTP layer
// reads the daily rows and friction events, converts them into these input
// types and encodes the result.
//
// Other clients compute the same numbers and compare them exactly, so the
// arithmetic follows SPEC §7.4.4 to the letter: IEEE-754 doubles, operations in
// the written order, sums left to right over samples in ascending date order,
// products wrapped in float64(...) so the compiler never fuses a multiply-add,
// and stable sorts wherever an order is said to be stable.
//
// The package imports only the standard library; the domain (package sleep)
// and the store depend on nothing here and this package depends on neither.
package trends
