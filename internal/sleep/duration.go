package sleep

import (
	"slices"
	"time"
)

// LocalBounds returns the naive local bed and wake datetimes of a session with
// wake date date (SPEC §6.1): when bed > wake (full times, seconds included)
// the sleep began the evening before, so bed falls on date − 1; otherwise,
// equality included, both fall on date. Wake is always on date.
func LocalBounds(date Date, bed, wake Clock) (start, end NaiveDateTime) {
	bedDate := date
	if bed > wake {
		bedDate = date.AddDays(-1)
	}
	return NewNaiveDateTime(bedDate, bed), NewNaiveDateTime(date, wake)
}

// maxGapStepMinutes bounds the forward search out of a spring-forward gap
// (SPEC §6.2 rule 3): candidates L+1 … L+179 minutes.
const maxGapStepMinutes = 179

// ComputeDuration returns the stored duration in whole minutes of a session
// with wake date date, bed and wake clock times, in zone loc (nil means UTC),
// following SPEC §6.1 and §6.2:
//
//   - a local time that occurs twice (fall-back) resolves to its earliest
//     instant for bed and its latest for wake;
//   - a local time in a spring-forward gap moves forward minute by minute, the
//     seconds kept, to the first existing local time (02:30:45 → 03:00:45);
//   - if none exists within 179 minutes the local time is read as UTC and
//     usedUTCFallback is true: the caller must log a warning (§6.2 rule 4).
//
// The difference is truncated toward zero to minutes; a result ≤ 0 returns
// Invalid("Duration must be positive"). usedUTCFallback is reported even then.
func ComputeDuration(date Date, bed, wake Clock, loc *time.Location) (minutes int, usedUTCFallback bool, err error) {
	if loc == nil {
		loc = time.UTC
	}
	start, end := LocalBounds(date, bed, wake)
	bedInstant, bedFallback := resolveLocal(loc, start, true)
	wakeInstant, wakeFallback := resolveLocal(loc, end, false)
	usedUTCFallback = bedFallback || wakeFallback
	minutes = int((wakeInstant - bedInstant) / 60) // Go truncates toward zero
	if minutes <= 0 {
		return 0, usedUTCFallback, Invalid("Duration must be positive")
	}
	return minutes, usedUTCFallback, nil
}

// resolveLocal turns the naive local time l into a Unix instant in loc by the
// rules of SPEC §6.2. earliest selects the instant of a repeated local time:
// true for bed, false for wake. fallback reports that rule 4 (read l as UTC)
// was needed.
func resolveLocal(loc *time.Location, l NaiveDateTime, earliest bool) (instant int64, fallback bool) {
	// Every UTC offset that can map a candidate (l … l+179 min) to an instant
	// is in force somewhere within a day of it: real offsets stay within ±15 h.
	const margin = 26 * 3600
	offsets := offsetsBetween(loc, l.unix-margin, l.unix+maxGapStepMinutes*60+margin)
	for k := int64(0); k <= maxGapStepMinutes; k++ {
		if instant, ok := instantOf(loc, l.addSeconds(k*60), offsets, earliest); ok {
			return instant, false
		}
	}
	return l.unix, true
}

// instantOf returns the instant whose wall clock in loc reads l, choosing the
// earliest or latest when l repeats; ok is false when l falls in a gap. Go's
// time.Date cannot be used: it silently moves gap times and picks an
// arbitrary instant of a repeated time. Instead each candidate offset o gives
// the instant l − o, which is real exactly when loc's offset there is o.
func instantOf(loc *time.Location, l NaiveDateTime, offsets []int, earliest bool) (instant int64, ok bool) {
	for _, o := range offsets {
		candidate := l.unix - int64(o)
		if _, actual := time.Unix(candidate, 0).In(loc).Zone(); actual != o {
			continue
		}
		if !ok || (earliest && candidate < instant) || (!earliest && candidate > instant) {
			instant, ok = candidate, true
		}
	}
	return instant, ok
}

// offsetsBetween lists the distinct UTC offsets (seconds east) that loc uses
// at some instant in [from, to] (Unix seconds), walking its transitions.
func offsetsBetween(loc *time.Location, from, to int64) []int {
	var offsets []int
	t := time.Unix(from, 0).In(loc)
	for {
		_, offset := t.Zone()
		if !slices.Contains(offsets, offset) {
			offsets = append(offsets, offset)
		}
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Unix() > to || !end.After(t) {
			return offsets
		}
		t = end.In(loc)
	}
}
