package trends

import (
	"math"
	"testing"
	"time"
)

// tolerance absorbs the last-bit rounding of sin/cos/atan2 in circular
// medians; every other expected number below is hand-computed exactly.
const tolerance = 1e-9

// day parses a "YYYY-MM-DD" test date as midnight UTC.
func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

// clockSec parses "HH:MM" or "HH:MM:SS" into seconds since midnight.
func clockSec(t testing.TB, s string) int {
	t.Helper()
	layout := "15:04"
	if len(s) == 8 {
		layout = "15:04:05"
	}
	c, err := time.Parse(layout, s)
	if err != nil {
		t.Fatalf("bad test clock %q: %v", s, err)
	}
	return c.Hour()*3600 + c.Minute()*60 + c.Second()
}

// nightShape is a night without its date: what a pattern repeats.
type nightShape struct {
	bed, wake   string
	durationMin int
	quality     int
}

// on places the shape on a date.
func (s nightShape) on(t testing.TB, date time.Time) Night {
	t.Helper()
	return Night{
		Date:        date,
		BedSec:      clockSec(t, s.bed),
		WakeSec:     clockSec(t, s.wake),
		DurationMin: s.durationMin,
		Quality:     new(s.quality),
	}
}

// nightsBetween lays out one night per date in [from, to] using pattern; a
// pattern returning false leaves the date unlogged.
func nightsBetween(t testing.TB, from, to string, pattern func(date time.Time) (nightShape, bool)) []Night {
	t.Helper()
	var nights []Night
	for d := day(t, from); !d.After(day(t, to)); d = d.AddDate(0, 0, 1) {
		if shape, ok := pattern(d); ok {
			nights = append(nights, shape.on(t, d))
		}
	}
	return nights
}

// isWeekend mirrors the SPEC's day type, for building patterns.
func isWeekend(d time.Time) bool {
	return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
}

// assertNear fails unless got is within tolerance of want.
func assertNear(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > tolerance {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}

// assertClockNear compares clock minutes on the circle, so 1439.9999999 and
// 0 count as equal.
func assertClockNear(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = null, want %g", name, want)
		return
	}
	if d := circDiff(*got, want); d > tolerance {
		t.Errorf("%s = %.15g, want %g on the clock (off by %g)", name, *got, want, d)
	}
}

// assertNumber checks a nullable JSON number against want; a nil want means
// the number must be null.
func assertNumber(t *testing.T, name string, got, want *float64) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s = %.15g, want null", name, *got)
	case want != nil && got == nil:
		t.Errorf("%s = null, want %.15g", name, *want)
	case want != nil:
		assertNear(t, name, *got, *want)
	}
}

// num makes a non-null expected number.
func num(v float64) *float64 { return &v }

// assertOptional checks an internal optional against a nullable expectation.
func assertOptional(t *testing.T, name string, got optional, want *float64) {
	t.Helper()
	assertNumber(t, name, got.pointer(), want)
}
