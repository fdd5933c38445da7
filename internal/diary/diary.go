package diary

import (
	"cmp"
	"slices"

	"sleeptracker/internal/sleep"
)

// MaxRangeDays is the longest diary range (SPEC §12.3), inclusive.
const MaxRangeDays = 92

// DefaultRangeDays is the span of the default range: to − 13 … to.
const DefaultRangeDays = 14

// Naps counts the sessions of a date other than the main one.
type Naps struct {
	Count   int `json:"count"`
	Minutes int `json:"minutes"`
}

// Night is one calendar date of the diary (SPEC §12.3). Main is nil on a
// date without sessions.
type Night struct {
	Date              sleep.Date       `json:"date"`
	Main              *sleep.Session   `json:"main"`
	Naps              Naps             `json:"naps"`
	ExerciseIntensity *sleep.Intensity `json:"exercise_intensity"`
	Notes             int              `json:"notes"`
	// NoteBodies are the date's notes in id order, for the CSV.
	NoteBodies []string `json:"-"`
}

// Summary is the summary of a block of nights (SPEC §12.3). Means, SEPct and
// NapsPerWeek are rounded half away from zero to one decimal; every numeric
// field but Nights and NapsPerWeek is nil when no night contributes.
type Summary struct {
	Nights          int      `json:"nights"`
	TSTMin          *float64 `json:"tst_min"`
	TIBMin          *float64 `json:"tib_min"`
	TerminalWakeMin *float64 `json:"terminal_wake_min"`
	SOLMin          *float64 `json:"sol_min"`
	Awakenings      *float64 `json:"awakenings"`
	WasoMin         *float64 `json:"waso_min"`
	Quality         *float64 `json:"quality"`
	Rested          *float64 `json:"rested"`
	SEPct           *float64 `json:"se_pct"`
	NapsPerWeek     float64  `json:"naps_per_week"`
	Flags           []string `json:"flags"`
}

// Week is a summary of one 7-day block (the oldest may be shorter).
type Week struct {
	From sleep.Date `json:"from"`
	To   sleep.Date `json:"to"`
	Summary
}

// Diary is the body of GET /api/diary.
type Diary struct {
	From    sleep.Date `json:"from"`
	To      sleep.Date `json:"to"`
	Nights  []Night    `json:"nights"`
	Summary Summary    `json:"summary"`
	Weeks   []Week     `json:"weeks"`
}

// The flag names, in the order they are listed (SPEC §12.3).
const (
	FlagSEBelow85  = "se_below_85"
	FlagSOLOver30  = "sol_over_30"
	FlagWASOOver30 = "waso_over_30"
)

// Build assembles the diary of [from, to] from the sessions, intensities and
// notes whose dates lie in it (any order; others are ignored).
func Build(from, to sleep.Date, sessions []sleep.Session, intensities []sleep.IntensityDay, notes []sleep.Note) Diary {
	nights := Nights(from, to, sessions, intensities, notes)
	d := Diary{From: from, To: to, Nights: nights, Summary: Summarize(nights), Weeks: []Week{}}
	for end := to; !end.Before(from); end = end.AddDays(-7) {
		start := end.AddDays(-6)
		if start.Before(from) {
			start = from
		}
		block := nights[start.DaysSince(from) : end.DaysSince(from)+1]
		d.Weeks = append(d.Weeks, Week{From: start, To: end, Summary: Summarize(block)})
	}
	return d
}

// Nights returns one Night per date of [from, to], ascending.
func Nights(from, to sleep.Date, sessions []sleep.Session, intensities []sleep.IntensityDay, notes []sleep.Note) []Night {
	n := to.DaysSince(from) + 1
	nights := make([]Night, n)
	for i := range nights {
		nights[i].Date = from.AddDays(i)
	}
	at := func(d sleep.Date) *Night {
		i := d.DaysSince(from)
		if i < 0 || i >= n {
			return nil
		}
		return &nights[i]
	}
	byDate := make(map[sleep.Date][]sleep.Session)
	for _, s := range sessions {
		if at(s.Date) != nil {
			byDate[s.Date] = append(byDate[s.Date], s)
		}
	}
	for date, list := range byDate {
		night := at(date)
		main := MainSession(list)
		night.Main = &main
		for _, s := range list {
			if s.ID != main.ID {
				night.Naps.Count++
				night.Naps.Minutes += s.DurationMin
			}
		}
	}
	for _, day := range intensities {
		if night := at(day.Date); night != nil {
			intensity := day.Intensity
			night.ExerciseIntensity = &intensity
		}
	}
	sortedNotes := slices.Clone(notes)
	slices.SortFunc(sortedNotes, func(a, b sleep.Note) int { return cmp.Compare(a.ID, b.ID) })
	for _, note := range sortedNotes {
		if night := at(note.Date); night != nil {
			night.Notes++
			night.NoteBodies = append(night.NoteBodies, note.Body)
		}
	}
	return nights
}

// MainSession is the session of a date with the longest duration; ties go to
// the later wake time, then the higher id (SPEC §12.3). list is not empty.
func MainSession(list []sleep.Session) sleep.Session {
	return slices.MaxFunc(list, func(a, b sleep.Session) int {
		return cmp.Or(cmp.Compare(a.DurationMin, b.DurationMin), cmp.Compare(a.Wake, b.Wake), cmp.Compare(a.ID, b.ID))
	})
}

// Summarize summarises a block of consecutive nights (SPEC §12.3).
func Summarize(nights []Night) Summary {
	var tst, tib, terminal, naps int64
	var sol, awakenings, waso, quality, rested nullableMean
	n := 0
	for _, night := range nights {
		naps += int64(night.Naps.Count)
		s := night.Main
		if s == nil {
			continue
		}
		n++
		tst += int64(s.TSTMin)
		tib += int64(s.TIBMin)
		terminal += int64(s.TerminalWakeMin)
		sol.add(s.LatencyMin)
		awakenings.add(s.Awakenings)
		waso.add(s.WasoMin)
		quality.add(s.Quality)
		rested.add(s.Rested)
	}
	days := int64(len(nights))
	sum := Summary{Nights: n, Flags: []string{}, NapsPerWeek: sleep.RatioTenths(7*naps, days)}
	if n == 0 {
		return sum
	}
	sum.TSTMin = tenths(tst, int64(n))
	sum.TIBMin = tenths(tib, int64(n))
	sum.TerminalWakeMin = tenths(terminal, int64(n))
	sum.SOLMin, sum.Awakenings, sum.WasoMin = sol.mean(), awakenings.mean(), waso.mean()
	sum.Quality, sum.Rested = quality.mean(), rested.mean()
	se := sleep.RatioTenths(100*tst, tib)
	sum.SEPct = &se
	if se < 85 {
		sum.Flags = append(sum.Flags, FlagSEBelow85)
	}
	if sum.SOLMin != nil && *sum.SOLMin > 30 {
		sum.Flags = append(sum.Flags, FlagSOLOver30)
	}
	if sum.WasoMin != nil && *sum.WasoMin > 30 {
		sum.Flags = append(sum.Flags, FlagWASOOver30)
	}
	return sum
}

// nullableMean is the mean of the non-null values of one field.
type nullableMean struct{ sum, count int64 }

func (m *nullableMean) add(p *int) {
	if p != nil {
		m.sum += int64(*p)
		m.count++
	}
}

func (m nullableMean) mean() *float64 { return tenths(m.sum, m.count) }

// tenths is sum / count rounded to one decimal, nil when count is 0.
func tenths(sum, count int64) *float64 {
	if count == 0 {
		return nil
	}
	v := sleep.RatioTenths(sum, count)
	return &v
}
