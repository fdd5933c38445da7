package trends

import (
	"fmt"
	"slices"
	"time"
)

// Night is one daily row: all sleep sessions of one wake date aggregated as
// SPEC §6.4 describes. The HTTP layer builds it from the store's daily rows.
type Night struct {
	// Date is the wake date. Only its calendar date (in its own location)
	// matters; midnight UTC is the convention.
	Date time.Time
	// BedSec is the clock time of the earliest bed, in seconds since
	// midnight (0..86399). It may lie on the calendar day before Date.
	BedSec int
	// WakeSec is the clock time of the latest wake, in seconds since midnight.
	WakeSec int
	// DurationMin is the sum of the sessions' stored durations.
	DurationMin int
	// Quality is the truncated mean quality, 1..5; nil when no session of
	// the date was rated (imported nights, SPEC §12.1).
	Quality *int
	// LatencyMin is the truncated mean time to fall asleep; nil when no
	// session of the date recorded one.
	LatencyMin *int
}

// dateLayout is the wire format of dates (SPEC §1.3).
const dateLayout = "2006-01-02"

// formatDate renders the calendar date of t as "YYYY-MM-DD".
func formatDate(t time.Time) string { return t.Format(dateLayout) }

// formatClock renders seconds since midnight as "HH:MM:SS".
func formatClock(sec int) string {
	return fmt.Sprintf("%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// civilDate is the calendar date of t as midnight UTC, so dates from any
// location compare and step by whole days.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// compareNightDates orders nights by calendar date.
func compareNightDates(a, b Night) int {
	return civilDate(a.Date).Compare(civilDate(b.Date))
}

// ascendingByDate returns nights in ascending date order. Callers pass them
// sorted already, so the input is returned as is when it is; otherwise a
// stably sorted copy is returned and the caller's slice is left untouched.
// Sums must run in ascending date order (SPEC §7.4.4), hence the guard.
func ascendingByDate(nights []Night) []Night {
	if slices.IsSortedFunc(nights, compareNightDates) {
		return nights
	}
	sorted := slices.Clone(nights)
	slices.SortStableFunc(sorted, compareNightDates)
	return sorted
}

// daySample is a daily row seen by the personalization metrics (SPEC §7.3):
// clock minutes with seconds dropped, the sleep midpoint and the day type.
type daySample struct {
	date         time.Time
	bedClock     float64
	wakeClock    float64
	bedRelative  float64 // bed minutes relative to the wake day's midnight
	wakeRelative float64
	midpoint     float64
	duration     float64
	quality      float64 // meaningful only when hasQuality
	hasQuality   bool
	weekend      bool
}

// newDaySample derives the day-sample fields of SPEC §7.3 from a daily row.
func newDaySample(n Night) daySample {
	date := civilDate(n.Date)
	bed := float64(n.BedSec / 60)
	wake := float64(n.WakeSec / 60)
	bedRelative := bed
	if n.BedSec > n.WakeSec { // bed on the previous calendar day
		bedRelative = bed - minutesPerDay
	}
	weekday := date.Weekday()
	return daySample{
		date:         date,
		bedClock:     bed,
		wakeClock:    wake,
		bedRelative:  bedRelative,
		wakeRelative: wake,
		// The summed duration, not the bed-to-wake span, places the midpoint.
		midpoint:   normalizeClock(wake - float64(n.DurationMin)/2),
		duration:   float64(n.DurationMin),
		quality:    qualityValue(n.Quality),
		hasQuality: n.Quality != nil,
		weekend:    weekday == time.Saturday || weekday == time.Sunday,
	}
}

// sampleValues collects one field of every sample, in sample order.
func sampleValues(samples []daySample, field func(daySample) float64) []float64 {
	values := make([]float64, len(samples))
	for i, s := range samples {
		values[i] = field(s)
	}
	return values
}

// samplesOfDayType keeps the weekend (or the weekday) samples, in order.
func samplesOfDayType(samples []daySample, weekend bool) []daySample {
	kept := make([]daySample, 0, len(samples))
	for _, s := range samples {
		if s.weekend == weekend {
			kept = append(kept, s)
		}
	}
	return kept
}

// Field accessors, named so that call sites read like the SPEC.
func bedClockOf(s daySample) float64     { return s.bedClock }
func wakeClockOf(s daySample) float64    { return s.wakeClock }
func bedRelativeOf(s daySample) float64  { return s.bedRelative }
func wakeRelativeOf(s daySample) float64 { return s.wakeRelative }
func midpointOf(s daySample) float64     { return s.midpoint }
func durationOf(s daySample) float64     { return s.duration }

// distinctDates counts the different wake dates of samples in date order.
func distinctDates(samples []daySample) int {
	count := 0
	for i, s := range samples {
		if i == 0 || !s.date.Equal(samples[i-1].date) {
			count++
		}
	}
	return count
}

func qualityValue(q *int) float64 {
	if q == nil {
		return 0
	}
	return float64(*q)
}
