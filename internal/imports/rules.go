package imports

import (
	"fmt"
	"time"
	"unicode/utf8"

	"sleeptracker/internal/sleep"
)

// This file is the ONE rule set every format goes through (SPEC §13.4): a
// parser fills a collection with source records; Evaluate turns it, against
// what the database holds, into a Plan (what a commit stores) and its
// ImportReport. The preview and the commit run the same Evaluate — the commit
// inside its write transaction on data read there — so a preview's counts are
// what a commit would do at that moment.

// maxProblems bounds the problems a report lists (problems_total counts all).
const maxProblems = 100

// sampleSize is the number of new sessions a report shows.
const sampleSize = 5

// NewSession is a session a commit stores: SleepSession's fields without id
// and derived values (SPEC §13.4 sample).
type NewSession struct {
	Date        sleep.Date  `json:"date"`
	Bed         sleep.Clock `json:"bed_time"`
	Wake        sleep.Clock `json:"wake_time"`
	LatencyMin  *int        `json:"latency_min"`
	Awakenings  *int        `json:"awakenings"`
	Quality     *int        `json:"quality"`
	DurationMin int         `json:"duration_min"`
	sleep.DiaryItems
}

// Problem is one record the import skips or a setting it leaves alone.
type Problem struct {
	Where   string `json:"where"`
	Message string `json:"message"`
}

// SessionCounts, NoteCounts and ExerciseCounts are the report's counters.
type SessionCounts struct {
	New       int `json:"new"`
	Duplicate int `json:"duplicate"`
	Overlap   int `json:"overlap"`
	Invalid   int `json:"invalid"`
}

type NoteCounts struct {
	New       int `json:"new"`
	Duplicate int `json:"duplicate"`
}

type ExerciseCounts = NoteCounts

// Report is the ImportReport of SPEC §13.4.
type Report struct {
	Records       int            `json:"records"`
	FirstDate     sleep.Date     `json:"first_date"` // zero → null
	LastDate      sleep.Date     `json:"last_date"`
	Sessions      SessionCounts  `json:"sessions"`
	Notes         NoteCounts     `json:"notes"`
	Exercise      ExerciseCounts `json:"exercise"`
	Sample        []NewSession   `json:"sample"`
	Problems      []Problem      `json:"problems"`
	ProblemsTotal int            `json:"problems_total"`
	Timezone      string         `json:"timezone"`
}

func (r *Report) problem(where, format string, args ...any) {
	r.ProblemsTotal++
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, Problem{Where: where, Message: fmt.Sprintf(format, args...)})
	}
}

// StoredSession is what the rules need of a session already in the database.
type StoredSession struct {
	Date      sleep.Date
	Bed, Wake sleep.Clock
}

// Existing is what the database holds around the import's dates (Span):
// sessions of Span widened by a day on each side (they can overlap), notes
// and exercise records of Span, and whether the settings an own-format file
// may carry are already set.
type Existing struct {
	Sessions       []StoredSession
	Notes          []sleep.Note
	Exercise       []ExerciseRecord
	Timezone       *string // the stored user_timezone setting, nil when unset
	HasSleepWindow bool
}

// Span is the range of dates an import touches; zero when it holds none.
type Span struct{ From, To sleep.Date }

// IsZero reports an import without dated records.
func (s Span) IsZero() bool { return s.From.IsZero() }

// Plan is what a commit writes, in file order, and the report describing it.
type Plan struct {
	Report   Report
	Sessions []NewSession
	Notes    []NoteRecord
	// Exercise holds new daily intensities and timed events in file order.
	Exercise    []ExerciseRecord
	Timezone    *string
	SleepWindow *SleepWindowRecord
	// UTCFallbacks counts durations computed with §6.2 rule 4 (a local time
	// that exists nowhere near in the zone); the caller logs them.
	UTCFallbacks int
}

// collection holds what a parser read, in file order. It implements Sink.
type collection struct {
	records  int
	sessions []SessionRecord
	notes    []NoteRecord
	exercise []ExerciseRecord
	settings SettingsRecord
	invalid  []Problem
	// invalidTotal counts every Invalid call; invalid keeps maxProblems.
	invalidTotal int
	// duplicates the parser resolved itself (Sink.Duplicate).
	duplicates int
	// other are unreadable note and exercise records (Problem).
	other      []Problem
	otherTotal int
	span       Span
}

func (c *collection) widen(d sleep.Date) {
	if d.IsZero() {
		return
	}
	if c.span.From.IsZero() || d.Before(c.span.From) {
		c.span.From = d
	}
	if c.span.To.IsZero() || d.After(c.span.To) {
		c.span.To = d
	}
}

func (c *collection) Session(r SessionRecord) {
	c.records++
	c.widen(r.Date)
	c.sessions = append(c.sessions, r)
}

func (c *collection) Note(r NoteRecord) {
	c.widen(r.Date)
	c.notes = append(c.notes, r)
}

func (c *collection) Exercise(r ExerciseRecord) {
	c.widen(r.Date)
	c.exercise = append(c.exercise, r)
}

func (c *collection) Settings(r SettingsRecord) {
	if r.Timezone != nil {
		c.settings.Timezone = r.Timezone
	}
	if r.SleepWindow != nil {
		c.settings.SleepWindow = r.SleepWindow
	}
}

func (c *collection) Duplicate(string) {
	c.records++
	c.duplicates++
}

// Problem reports a note or exercise record that cannot be mapped: a
// problem, but not a session record (see invalidRecord).
func (c *collection) Problem(where, message string) {
	c.otherTotal++
	if len(c.other) < maxProblems {
		c.other = append(c.other, Problem{Where: where, Message: message})
	}
}

// invalidRecord reports a note or exercise record a parser cannot map: as a
// problem only when the sink can tell it apart from an invalid session
// (the rules' collection can), else through Sink.Invalid.
func invalidRecord(sink Sink, where, message string) {
	if p, ok := sink.(interface{ Problem(where, message string) }); ok {
		p.Problem(where, message)
		return
	}
	sink.Invalid(where, message)
}

func (c *collection) Invalid(where, message string) {
	c.records++
	c.invalidTotal++
	if len(c.invalid) < maxProblems {
		c.invalid = append(c.invalid, Problem{Where: where, Message: message})
	}
}

// ruleOptions are the job-level inputs of the rules.
type ruleOptions struct {
	// zone is the job's time zone (rule 4) and zoneName its name for the report.
	zone     *time.Location
	zoneName string
	// notesAgainstStoredOnly: notes are duplicates only of stored notes, not
	// of earlier ones in the file (SleepTracker's own formats, §13.5).
	notesAgainstStoredOnly bool
}

// sessionKey identifies a duplicate: date, bed and wake to the minute.
type sessionKey struct {
	date      sleep.Date
	bed, wake int
}

func keyOf(d sleep.Date, bed, wake sleep.Clock) sessionKey {
	return sessionKey{d, bed.MinuteOfDay(), wake.MinuteOfDay()}
}

// placed is a session on the naive timeline with the name a problem uses.
type placed struct {
	start, end sleep.NaiveDateTime
	name       string
}

type noteKey struct {
	date sleep.Date
	body string
}

type timedKey struct {
	date      sleep.Date
	intensity sleep.Intensity
	start     sleep.Clock
	hasStart  bool
	duration  int // 0 = none
}

func timedKeyOf(r ExerciseRecord) timedKey {
	k := timedKey{date: r.Date, intensity: r.Intensity}
	if r.StartTime != nil {
		k.start, k.hasStart = *r.StartTime, true
	}
	if r.DurationMin != nil {
		k.duration = *r.DurationMin
	}
	return k
}

// evaluate applies the rules of SPEC §13.4 to c against ex.
func evaluate(c *collection, ex Existing, opt ruleOptions) *Plan {
	p := &Plan{}
	rep := &p.Report
	rep.Records = c.records
	rep.FirstDate, rep.LastDate = c.span.From, c.span.To
	rep.Timezone = opt.zoneName
	rep.Sample = []NewSession{}
	rep.Problems = []Problem{}
	// The parser's unreadable records come first: they precede every other
	// problem in the file only by accident, but they are the ones to fix.
	for _, pr := range c.invalid {
		rep.problem(pr.Where, "%s", pr.Message)
	}
	rep.ProblemsTotal += c.invalidTotal - len(c.invalid)
	for _, pr := range c.other {
		rep.problem(pr.Where, "%s", pr.Message)
	}
	rep.ProblemsTotal += c.otherTotal - len(c.other)
	rep.Sessions.Invalid = c.invalidTotal
	rep.Sessions.Duplicate = c.duplicates

	keys := map[sessionKey]bool{}
	byDate := map[sleep.Date][]placed{}
	for _, s := range ex.Sessions {
		keys[keyOf(s.Date, s.Bed, s.Wake)] = true
		start, end := sleep.LocalBounds(s.Date, s.Bed, s.Wake)
		byDate[s.Date] = append(byDate[s.Date], placed{start, end,
			fmt.Sprintf("the stored session of %s (%s–%s)", s.Date, hhmm(s.Bed), hhmm(s.Wake))})
	}
	storedNotes := map[noteKey]bool{}
	for _, n := range ex.Notes {
		storedNotes[noteKey{n.Date, n.Body}] = true
	}
	fileNotes := map[noteKey]bool{}
	daily := map[sleep.Date]bool{}
	timed := map[timedKey]bool{}
	for _, e := range ex.Exercise {
		if e.StartTime == nil && e.DurationMin == nil {
			daily[e.Date] = true
		} else {
			timed[timedKeyOf(e)] = true
		}
	}

	addNote := func(n NoteRecord) {
		if msg := checkNote(n); msg != "" {
			rep.problem(n.Where, "%s", msg)
			return
		}
		k := noteKey{n.Date, n.Body}
		if storedNotes[k] || (!opt.notesAgainstStoredOnly && fileNotes[k]) {
			rep.Notes.Duplicate++
			return
		}
		fileNotes[k] = true
		rep.Notes.New++
		p.Notes = append(p.Notes, n)
	}

	for _, r := range c.sessions {
		s, fallback, msg := checkSession(r, opt.zone)
		if fallback {
			p.UTCFallbacks++
		}
		if msg != "" {
			rep.Sessions.Invalid++
			rep.problem(r.Where, "%s", msg)
			continue
		}
		k := keyOf(s.Date, s.Bed, s.Wake)
		if keys[k] {
			rep.Sessions.Duplicate++
			continue
		}
		keys[k] = true
		start, end := sleep.LocalBounds(s.Date, s.Bed, s.Wake)
		if other, ok := overlapping(byDate, s.Date, start, end); ok {
			rep.Sessions.Overlap++
			rep.problem(r.Where, "the session of %s (%s–%s) overlaps %s", s.Date, hhmm(s.Bed), hhmm(s.Wake), other)
			continue
		}
		name := fmt.Sprintf("the session of %s (%s–%s)", s.Date, hhmm(s.Bed), hhmm(s.Wake))
		if r.Where != "" {
			name += " at " + r.Where
		}
		byDate[s.Date] = append(byDate[s.Date], placed{start, end, name})
		rep.Sessions.New++
		p.Sessions = append(p.Sessions, s)
		if len(rep.Sample) < sampleSize {
			rep.Sample = append(rep.Sample, s)
		}
		for _, body := range r.Notes {
			addNote(NoteRecord{Where: r.Where, Date: s.Date, Body: body})
		}
	}

	for _, n := range c.notes {
		addNote(n)
	}

	for _, e := range c.exercise {
		if msg := checkExercise(e); msg != "" {
			rep.problem(e.Where, "%s", msg)
			continue
		}
		if e.StartTime == nil && e.DurationMin == nil {
			if daily[e.Date] {
				rep.Exercise.Duplicate++
				continue
			}
			daily[e.Date] = true
		} else {
			k := timedKeyOf(e)
			if timed[k] {
				rep.Exercise.Duplicate++
				continue
			}
			timed[k] = true
		}
		rep.Exercise.New++
		p.Exercise = append(p.Exercise, e)
	}

	if tz := c.settings.Timezone; tz != nil {
		switch {
		case ex.Timezone != nil && *ex.Timezone == *tz:
			// Already the same: nothing to apply, nothing to report.
		case ex.Timezone != nil:
			rep.problem("timezone", "the file's time zone %s is not applied: the database already has %s", *tz, *ex.Timezone)
		default:
			if _, err := sleep.LoadZone(*tz); err != nil {
				rep.problem("timezone", "unknown time zone %q", *tz)
			} else {
				p.Timezone = tz
			}
		}
	}
	if w := c.settings.SleepWindow; w != nil {
		switch {
		case ex.HasSleepWindow:
			rep.problem("sleep_window", "the file's sleep window is not applied: the database already has one")
		case sleep.WindowMinRange.Outside(&w.WindowMin):
			rep.problem("sleep_window", "%s", rangeMessage("window_min", sleep.WindowMinRange, &w.WindowMin))
		default:
			p.SleepWindow = w
		}
	}
	return p
}

// overlapping finds a placed session that meets [start, end] (SPEC §6.3)
// among the wake dates that can overlap one of date.
func overlapping(byDate map[sleep.Date][]placed, date sleep.Date, start, end sleep.NaiveDateTime) (string, bool) {
	from, to := sleep.OverlapCandidateDates(date)
	for d := from; !d.After(to); d = d.AddDays(1) {
		for _, o := range byDate[d] {
			if sleep.Overlaps(start, end, o.start, o.end) {
				return o.name, true
			}
		}
	}
	return "", false
}

func hhmm(c sleep.Clock) string { return c.String()[:5] }

// clamp bounds a count to its field's range (SPEC §14: latency ≤ 180,
// awakenings ≤ 10, waso ≤ 720); negative counts are not clamped but invalid.
func clamp(v *int, r sleep.IntRange) *int {
	if v == nil || int64(*v) <= r.Max {
		return v
	}
	c := int(r.Max)
	return &c
}

// rangeMessage is the §5.2/§12.1 message of the integer *v outside r.
func rangeMessage(name string, r sleep.IntRange, v *int) string {
	return r.Message(name, int64(*v) < r.Min)
}

// checkSession applies rule 1 (SPEC §5.2, §12.1 after the clamping of §14)
// and computes the duration of rule 4: the record's own zone, else the job's;
// a duration the source stored (own formats) is kept. It returns the session
// or the message of the first rule it breaks.
func checkSession(r SessionRecord, jobZone *time.Location) (NewSession, bool, string) {
	s := NewSession{Date: r.Date, Bed: r.Bed, Wake: r.Wake, DiaryItems: r.DiaryItems,
		LatencyMin: clamp(r.LatencyMin, sleep.LatencyRange),
		Awakenings: clamp(r.Awakenings, sleep.AwakeningsRange),
		Quality:    r.Quality}
	s.WasoMin = clamp(r.WasoMin, sleep.WasoRange)
	if r.Date.IsZero() {
		return s, false, "date must be a date in YYYY-MM-DD format (years 1900-2999)"
	}
	if y := r.Date.Time().Year(); y < 1900 || y > 2999 {
		return s, false, "date must be a date in YYYY-MM-DD format (years 1900-2999)"
	}
	switch {
	case sleep.LatencyRange.Outside(s.LatencyMin):
		return s, false, rangeMessage("latency_min", sleep.LatencyRange, s.LatencyMin)
	case sleep.AwakeningsRange.Outside(s.Awakenings):
		return s, false, rangeMessage("awakenings", sleep.AwakeningsRange, s.Awakenings)
	case sleep.QualityRange.Outside(s.Quality):
		return s, false, rangeMessage("quality", sleep.QualityRange, s.Quality)
	}
	if msg := checkDiary(&s); msg != "" {
		return s, false, msg
	}
	if r.DurationMin != nil {
		if *r.DurationMin <= 0 {
			return s, false, "Duration must be positive"
		}
		s.DurationMin = *r.DurationMin
		return s, false, ""
	}
	zone := r.Zone
	if zone == nil {
		zone = jobZone
	}
	minutes, fallback, err := sleep.ComputeDuration(r.Date, r.Bed, r.Wake, zone)
	if err != nil {
		msg := "Duration must be positive"
		if de := sleep.AsError(err); de != nil {
			msg = de.Message
		}
		return s, fallback, msg
	}
	s.DurationMin = minutes
	return s, fallback, ""
}

// checkDiary applies the §12.1 table in its order (placement right after
// out_of_bed_time) and normalises medication (trimmed; empty = null).
func checkDiary(s *NewSession) string {
	if sleep.PreMin(s.Bed, s.InBed) > sleep.MaxPlacementMin {
		return "in_bed_time must be at most 12 hours before bed_time"
	}
	if sleep.PostMin(s.Wake, s.OutOfBed) > sleep.MaxPlacementMin {
		return "out_of_bed_time must be at most 12 hours after wake_time"
	}
	switch {
	case sleep.WasoRange.Outside(s.WasoMin):
		return rangeMessage("waso_min", sleep.WasoRange, s.WasoMin)
	case sleep.RestedRange.Outside(s.Rested):
		return rangeMessage("rested", sleep.RestedRange, s.Rested)
	case sleep.DrinksRange.Outside(s.AlcoholDrinks):
		return rangeMessage("alcohol_drinks", sleep.DrinksRange, s.AlcoholDrinks)
	case sleep.DrinksRange.Outside(s.CaffeineDrinks):
		return rangeMessage("caffeine_drinks", sleep.DrinksRange, s.CaffeineDrinks)
	}
	s.Medication = sleep.TrimMedication(s.Medication)
	if s.Medication != nil && utf8.RuneCountInString(*s.Medication) > sleep.MaxMedicationChars {
		return fmt.Sprintf("medication must be at most %d characters", sleep.MaxMedicationChars)
	}
	return ""
}

func checkNote(n NoteRecord) string {
	if n.Date.IsZero() {
		return "date must be a date in YYYY-MM-DD format (years 1900-2999)"
	}
	if utf8.RuneCountInString(n.Body) > sleep.MaxNoteChars {
		return fmt.Sprintf("body must be at most %d characters", sleep.MaxNoteChars)
	}
	return ""
}

func checkExercise(e ExerciseRecord) string {
	if e.Date.IsZero() {
		return "date must be a date in YYYY-MM-DD format (years 1900-2999)"
	}
	if e.Intensity.String() == "" {
		return "intensity must be one of none, light, hard"
	}
	if sleep.ExerciseDurationRange.Outside(e.DurationMin) {
		return rangeMessage("duration_min", sleep.ExerciseDurationRange, e.DurationMin)
	}
	return ""
}
