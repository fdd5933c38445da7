// Package sleep is the domain of SleepTracker: civil dates and clock times,
// validated inputs (sleep sessions, exercise, notes, friction events),
// wake-date semantics, the DST-aware duration algorithm, the overlap rule and
// the daily aggregation of sessions.
//
// It performs no I/O and knows nothing of SQL or HTTP. Errors it returns are
// *Error values with a Code that the HTTP layer maps to a status in one place.
package sleep
