package diary

import (
	"math"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/trends"
)

// Window bounds and step of the titration (SPEC §12.4).
const (
	windowMaxMin  = 720
	windowMinMin  = 300
	windowStepMin = 15
	// basedOnDays is the titration week: to − 6 … to.
	basedOnDays = 7
	// minNights is the least number of logged nights of that week.
	minNights = 5
	// keepDays: a window younger than this (to − since) is kept as is.
	keepDays = 6
)

// The reasons of §12.4, exactly as clients show them.
const (
	ReasonTooFewNights = "at least 5 nights of the last 7 days are needed"
	ReasonInitial      = "initial window from your average total sleep time"
	ReasonKeepWeek     = "keep the window for a full week before changing it"
	ReasonExtend       = "sleep efficiency at least 90%: extend the window by 15 minutes"
	ReasonAtMaximum    = "the window is at its 12-hour maximum"
	ReasonKeep         = "sleep efficiency 85-90%: keep the window"
	ReasonShorten      = "sleep efficiency below 85%: shorten the window by 15 minutes"
	ReasonAtMinimum    = "the window is at its 5-hour minimum"
)

// Window is a window as the API shows it: rising time, bedtime, length.
type Window struct {
	Wake      sleep.Clock `json:"wake_time"`
	Bed       sleep.Clock `json:"bed_time"`
	WindowMin int         `json:"window_min"`
}

// CurrentWindow is the stored prescription with its bedtime.
type CurrentWindow struct {
	Window
	Since sleep.Date `json:"since"`
}

// Recommendation is the advised window; ChangeMin is nil only for an initial
// window (rule 2).
type Recommendation struct {
	Window
	ChangeMin *int   `json:"change_min"`
	Reason    string `json:"reason"`
}

// BasedOn describes the week the recommendation is computed from.
type BasedOn struct {
	From   sleep.Date `json:"from"`
	To     sleep.Date `json:"to"`
	Nights int        `json:"nights"`
	TSTMin *float64   `json:"tst_min"`
	TIBMin *float64   `json:"tib_min"`
	SEPct  *float64   `json:"se_pct"`
}

// SleepWindowAdvice is the body of GET /api/diary/sleep-window.
type SleepWindowAdvice struct {
	Current        *CurrentWindow  `json:"current"`
	Recommendation *Recommendation `json:"recommendation"`
	BasedOn        BasedOn         `json:"based_on"`
	Reason         *string         `json:"reason"`
}

// BasedOnFrom is the first date of the titration week ending on to.
func BasedOnFrom(to sleep.Date) sleep.Date { return to.AddDays(-(basedOnDays - 1)) }

func windowOf(wake sleep.Clock, windowMin int) Window {
	return Window{Wake: wake, Bed: sleep.SleepWindow{Wake: wake, WindowMin: windowMin}.Bed(), WindowMin: windowMin}
}

// AdviseSleepWindow applies the rules of SPEC §12.4 in order to the current
// prescription (nil when none) and the main sessions of the 7 dates
// to − 6 … to; nights holds exactly those dates (see Nights).
func AdviseSleepWindow(current *sleep.SleepWindow, to sleep.Date, nights []Night) SleepWindowAdvice {
	from := BasedOnFrom(to)
	advice := SleepWindowAdvice{BasedOn: BasedOn{From: from, To: to}}
	if current != nil {
		advice.Current = &CurrentWindow{Window: windowOf(current.Wake, current.WindowMin), Since: current.Since}
	}
	var tstSum, tibSum int64
	var wakes []float64
	for _, night := range nights {
		if night.Main == nil || night.Date.Before(from) || night.Date.After(to) {
			continue
		}
		advice.BasedOn.Nights++
		tstSum += int64(night.Main.TSTMin)
		tibSum += int64(night.Main.TIBMin)
		wakes = append(wakes, float64(night.Main.Wake.MinuteOfDay()))
	}
	n := int64(advice.BasedOn.Nights)
	if n > 0 {
		advice.BasedOn.TSTMin = tenths(tstSum, n)
		advice.BasedOn.TIBMin = tenths(tibSum, n)
		se := sleep.RatioTenths(100*tstSum, tibSum)
		advice.BasedOn.SEPct = &se
	}

	// Rule 1.
	if n < minNights {
		reason := ReasonTooFewNights
		advice.Reason = &reason
		return advice
	}
	// Rule 2: 15 × floor(mean TST / 15), computed exactly in integers.
	if current == nil {
		windowMin := min(windowMaxMin, max(windowMinMin, windowStepMin*int(tstSum/(windowStepMin*n))))
		median, _ := trends.CircularMedian(wakes)
		wake := roundToFiveMinutes(median)
		advice.Recommendation = &Recommendation{Window: windowOf(wake, windowMin), Reason: ReasonInitial}
		return advice
	}
	w := current.WindowMin
	next, reason := w, ""
	switch se := *advice.BasedOn.SEPct; {
	case to.DaysSince(current.Since) < keepDays: // rule 3
		reason = ReasonKeepWeek
	case se >= 90: // rule 4
		next, reason = min(windowMaxMin, w+windowStepMin), ReasonExtend
		if w >= windowMaxMin {
			reason = ReasonAtMaximum
		}
	case se >= 85: // rule 5
		reason = ReasonKeep
	default: // rule 6
		next, reason = max(windowMinMin, w-windowStepMin), ReasonShorten
		if w <= windowMinMin {
			reason = ReasonAtMinimum
		}
	}
	change := next - w
	advice.Recommendation = &Recommendation{Window: windowOf(current.Wake, next), ChangeMin: &change, Reason: reason}
	return advice
}

// roundToFiveMinutes rounds clock minutes to the nearest 5 minutes (halves
// up) and wraps onto the clock.
func roundToFiveMinutes(minutes float64) sleep.Clock {
	m := int(math.Floor(minutes/5+0.5)) * 5
	return sleep.Clock(((m%1440)+1440)%1440) * 60
}
