package trends

import "time"

// Windows is the pair of adjacent windows that personalization and the
// friction backlog compare (SPEC §7.3): the current window
// [CurrentFrom, AsOf] and the prior window [PriorFrom, PriorTo], each Days
// calendar days long. All dates are midnight UTC. Build it with NewWindows.
type Windows struct {
	AsOf, CurrentFrom, PriorFrom, PriorTo time.Time
	Days                                  int
}

// NewWindows lays out the windows ending on asOf's calendar date for a
// window of windowDays days. The HTTP layer validates windowDays to 1..365;
// anything below 1 is treated as 1 so no computation ever divides by zero.
// Example: NewWindows(2025-06-28, 28) gives current 2025-06-01…2025-06-28 and
// prior 2025-05-04…2025-05-31.
func NewWindows(asOf time.Time, windowDays int) Windows {
	days := max(windowDays, 1)
	end := civilDate(asOf)
	currentFrom := end.AddDate(0, 0, -(days - 1))
	priorTo := currentFrom.AddDate(0, 0, -1)
	return Windows{
		AsOf:        end,
		CurrentFrom: currentFrom,
		PriorFrom:   priorTo.AddDate(0, 0, -(days - 1)),
		PriorTo:     priorTo,
		Days:        days,
	}
}

// inDateRange reports whether date lies in [from, to], inclusive.
func inDateRange(date, from, to time.Time) bool {
	return !date.Before(from) && !date.After(to)
}

// inCurrent reports whether a calendar date belongs to the current window.
func (w Windows) inCurrent(date time.Time) bool { return inDateRange(date, w.CurrentFrom, w.AsOf) }

// inPrior reports whether a calendar date belongs to the prior window.
func (w Windows) inPrior(date time.Time) bool { return inDateRange(date, w.PriorFrom, w.PriorTo) }

// currentRange and priorRange are the windows as wire date ranges.
func (w Windows) currentRange() DateRange { return newDateRange(w.CurrentFrom, w.AsOf) }
func (w Windows) priorRange() DateRange   { return newDateRange(w.PriorFrom, w.PriorTo) }

// DateRange is an inclusive span of calendar dates as it appears on the wire,
// embedded in every window object of the personalization and friction bodies.
type DateRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// newDateRange formats two calendar dates.
func newDateRange(from, to time.Time) DateRange {
	return DateRange{From: formatDate(from), To: formatDate(to)}
}

// WindowCoverage is a personalization window with how many of its days were
// logged (SPEC §7.3 "window statistics").
type WindowCoverage struct {
	DateRange
	LoggedDays     int     `json:"logged_days"`
	MissingDays    int     `json:"missing_days"`
	MissingDaysPct float64 `json:"missing_days_pct"`
}

// newWindowCoverage counts the logged days of one window's samples.
func newWindowCoverage(span DateRange, samples []daySample, days int) WindowCoverage {
	logged := distinctDates(samples)
	missing := max(days-logged, 0)
	return WindowCoverage{
		DateRange:      span,
		LoggedDays:     logged,
		MissingDays:    missing,
		MissingDaysPct: float64(missing) * 100 / float64(days),
	}
}
