package sleep

// NaiveDateTime is a local date and wall-clock time with no zone and no DST,
// to the second. Sessions are placed on this naive timeline for the overlap
// rule and the daily aggregation (SPEC §6.1, §6.3, §6.4); only ComputeDuration
// turns it into instants. Values are comparable with == and ordered by
// Compare, Before and After.
type NaiveDateTime struct {
	// unix counts seconds since 1970-01-01T00:00:00 on the naive timeline, as if
	// the wall clock were UTC; DST never enters, so arithmetic stays exact.
	unix int64
}

// NewNaiveDateTime returns the naive datetime of clock time c on date d.
func NewNaiveDateTime(d Date, c Clock) NaiveDateTime {
	days := int64(d.ord) - ordUnixEpoch
	return NaiveDateTime{unix: days*secondsPerDay + int64(c)}
}

// Date returns the calendar date part.
func (n NaiveDateTime) Date() Date {
	return Date{ord: int32(floorDiv64(n.unix, secondsPerDay) + ordUnixEpoch)}
}

// Clock returns the time-of-day part.
func (n NaiveDateTime) Clock() Clock {
	return Clock(n.unix - floorDiv64(n.unix, secondsPerDay)*secondsPerDay)
}

// String formats n as "YYYY-MM-DDTHH:MM:SS" (for logs and test failures).
func (n NaiveDateTime) String() string {
	b := n.Date().appendTo(make([]byte, 0, 19))
	b = append(b, 'T')
	return string(n.Clock().appendTo(b))
}

// Before reports whether n is strictly earlier than o.
func (n NaiveDateTime) Before(o NaiveDateTime) bool { return n.unix < o.unix }

// After reports whether n is strictly later than o.
func (n NaiveDateTime) After(o NaiveDateTime) bool { return n.unix > o.unix }

// Compare returns -1, 0 or +1 as n is before, equal to or after o.
func (n NaiveDateTime) Compare(o NaiveDateTime) int {
	switch {
	case n.unix < o.unix:
		return -1
	case n.unix > o.unix:
		return 1
	}
	return 0
}

// addSeconds returns n moved by s seconds on the naive timeline.
func (n NaiveDateTime) addSeconds(s int64) NaiveDateTime { return NaiveDateTime{unix: n.unix + s} }

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Overlaps reports whether the closed intervals [aStart, aEnd] and
// [bStart, bEnd] share at least one instant: aStart ≤ bEnd and aEnd ≥ bStart.
// Touching ends count as overlap (SPEC §6.3), so a session starting exactly
// when another ends is refused.
func Overlaps(aStart, aEnd, bStart, bEnd NaiveDateTime) bool {
	return aStart.unix <= bEnd.unix && aEnd.unix >= bStart.unix
}

// OverlapCandidateDates returns the inclusive range of wake dates whose
// sessions can overlap a session with wake date d: d−1 … d+1. A session lies
// within [its wake date − 1 day 00:00:01, its wake date 23:59:59], so sessions
// two or more wake dates apart never meet; the store reads only these rows
// and then applies Overlaps.
func OverlapCandidateDates(d Date) (from, to Date) {
	return d.AddDays(-1), d.AddDays(1)
}

// MinutesSinceEpoch is n in whole minutes since 1970-01-01T00:00 on the naive
// timeline, seconds dropped (the minute grid of SPEC §12.5).
func (n NaiveDateTime) MinutesSinceEpoch() int64 { return floorDiv64(n.unix, 60) }
