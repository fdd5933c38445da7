package imports

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/sleep"
)

func mustDate(t testing.TB, s string) sleep.Date {
	t.Helper()
	d, ok := sleep.ParseDate(s)
	if !ok {
		t.Fatalf("bad date %q", s)
	}
	return d
}

func mustClock(t testing.TB, s string) sleep.Clock {
	t.Helper()
	c, ok := sleep.ParseClock(s)
	if !ok {
		t.Fatalf("bad clock %q", s)
	}
	return c
}

func ip(v int) *int { return &v }

func rec(t testing.TB, where, date, bed, wake string) SessionRecord {
	return SessionRecord{Where: where, Date: mustDate(t, date), Bed: mustClock(t, bed), Wake: mustClock(t, wake)}
}

func utcOptions() ruleOptions { return ruleOptions{zone: time.UTC, zoneName: "UTC"} }

func TestRulesSessions(t *testing.T) {
	stored := Existing{Sessions: []StoredSession{
		{Date: mustDate(t, "2025-06-10"), Bed: mustClock(t, "23:00"), Wake: mustClock(t, "07:00")},
	}}
	c := &collection{}
	c.Session(rec(t, "line 2", "2025-06-10", "23:00:30", "07:00:59")) // duplicate of stored (to the minute)
	c.Session(rec(t, "line 3", "2025-06-10", "06:00", "08:00"))       // overlaps stored
	c.Session(rec(t, "line 4", "2025-06-11", "23:00", "07:00"))       // new
	c.Session(rec(t, "line 5", "2025-06-11", "23:00", "07:00"))       // duplicate of line 4
	c.Session(rec(t, "line 6", "2025-06-11", "07:00", "08:00"))       // touches line 4: overlap
	c.Session(rec(t, "line 7", "2025-06-12", "22:00", "22:00"))       // zero duration: invalid
	bad := rec(t, "line 8", "2025-06-13", "23:00", "07:00")
	bad.Quality = ip(7)
	c.Session(bad)
	clamped := rec(t, "line 9", "2025-06-13", "23:00", "07:00")
	clamped.LatencyMin, clamped.Awakenings, clamped.WasoMin = ip(500), ip(40), ip(900)
	c.Session(clamped)
	c.Invalid("line 10", "To is before From")

	p := evaluate(c, stored, utcOptions())
	got := p.Report.Sessions
	want := SessionCounts{New: 2, Duplicate: 2, Overlap: 2, Invalid: 3}
	if got != want {
		t.Fatalf("counts %+v, want %+v", got, want)
	}
	if p.Report.Records != 9 {
		t.Errorf("records %d, want 9", p.Report.Records)
	}
	if p.Report.FirstDate.String() != "2025-06-10" || p.Report.LastDate.String() != "2025-06-13" {
		t.Errorf("range %s…%s", p.Report.FirstDate, p.Report.LastDate)
	}
	wantProblems := []Problem{
		{"line 10", "To is before From"},
		{"line 3", "the session of 2025-06-10 (06:00–08:00) overlaps the stored session of 2025-06-10 (23:00–07:00)"},
		{"line 6", "the session of 2025-06-11 (07:00–08:00) overlaps the session of 2025-06-11 (23:00–07:00) at line 4"},
		{"line 7", "Duration must be positive"},
		{"line 8", "quality must be between 1 and 5"},
	}
	if fmt.Sprint(p.Report.Problems) != fmt.Sprint(wantProblems) || p.Report.ProblemsTotal != 5 {
		t.Fatalf("problems\n got %v (%d)\nwant %v", p.Report.Problems, p.Report.ProblemsTotal, wantProblems)
	}
	if len(p.Sessions) != 2 || p.Sessions[0].DurationMin != 480 {
		t.Fatalf("sessions %+v", p.Sessions)
	}
	s := p.Sessions[1]
	if *s.LatencyMin != 180 || *s.Awakenings != 10 || *s.WasoMin != 720 {
		t.Errorf("not clamped: %d %d %d", *s.LatencyMin, *s.Awakenings, *s.WasoMin)
	}
	if len(p.Report.Sample) != 2 {
		t.Errorf("sample %v", p.Report.Sample)
	}
}

// A record's own zone decides its duration (rule 4): a night recorded in
// London is 8 hours whatever the job's zone; without a zone the job's zone
// applies, here across the spring-forward night of Europe/Berlin.
func TestRulesDurationZones(t *testing.T) {
	tokyo, _ := sleep.LoadZone("Asia/Tokyo")
	london, _ := sleep.LoadZone("Europe/London")
	berlin, _ := sleep.LoadZone("Europe/Berlin")
	c := &collection{}
	r := rec(t, "a", "2025-06-10", "23:00", "07:00")
	r.Zone = london
	c.Session(r)
	c.Session(rec(t, "b", "2025-03-30", "23:00", "07:00"))
	kept := rec(t, "c", "2025-06-12", "23:00", "07:00")
	kept.DurationMin = ip(123) // own formats keep theirs
	c.Session(kept)
	p := evaluate(c, Existing{}, ruleOptions{zone: berlin, zoneName: "Europe/Berlin"})
	if got := []int{p.Sessions[0].DurationMin, p.Sessions[1].DurationMin, p.Sessions[2].DurationMin}; fmt.Sprint(got) != "[480 420 123]" {
		t.Fatalf("durations %v", got)
	}
	p = evaluate(c, Existing{}, ruleOptions{zone: tokyo, zoneName: "Asia/Tokyo"})
	if p.Sessions[0].DurationMin != 480 || p.Sessions[1].DurationMin != 480 || p.Report.Timezone != "Asia/Tokyo" {
		t.Fatalf("tokyo durations %d %d", p.Sessions[0].DurationMin, p.Sessions[1].DurationMin)
	}
}

func TestRulesDiaryItems(t *testing.T) {
	cases := []struct {
		name string
		set  func(*SessionRecord)
		want string
	}{
		{"in bed 20 min before, across midnight", func(r *SessionRecord) { c := mustClock(t, "23:50"); r.Bed = mustClock(t, "00:10"); r.InBed = &c }, ""},
		{"in bed too early", func(r *SessionRecord) { c := mustClock(t, "10:00"); r.InBed = &c }, "in_bed_time must be at most 12 hours before bed_time"},
		{"out of bed too late", func(r *SessionRecord) { c := mustClock(t, "19:01"); r.OutOfBed = &c }, "out_of_bed_time must be at most 12 hours after wake_time"},
		{"waso negative", func(r *SessionRecord) { r.WasoMin = ip(-1) }, "waso_min must be between 0 and 720"},
		{"rested", func(r *SessionRecord) { r.Rested = ip(0) }, "rested must be between 1 and 5"},
		{"alcohol", func(r *SessionRecord) { r.AlcoholDrinks = ip(31) }, "alcohol_drinks must be between 0 and 30"},
		{"caffeine", func(r *SessionRecord) { r.CaffeineDrinks = ip(-2) }, "caffeine_drinks must be between 0 and 30"},
		{"medication too long", func(r *SessionRecord) { m := strings.Repeat("é", 201); r.Medication = &m }, "medication must be at most 200 characters"},
		{"latency negative", func(r *SessionRecord) { r.LatencyMin = ip(-1) }, "latency_min must be between 0 and 180"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rec(t, "x", "2025-06-10", "23:00", "07:00")
			tc.set(&r)
			c := &collection{}
			c.Session(r)
			p := evaluate(c, Existing{}, utcOptions())
			got := ""
			if len(p.Report.Problems) > 0 {
				got = p.Report.Problems[0].Message
			}
			if got != tc.want {
				t.Fatalf("problem %q, want %q", got, tc.want)
			}
		})
	}
	// Medication is stored trimmed; blank is null.
	r := rec(t, "x", "2025-06-10", "23:00", "07:00")
	m := "  melatonin 2 mg  "
	r.Medication = &m
	blank := rec(t, "y", "2025-06-11", "23:00", "07:00")
	sp := "   "
	blank.Medication = &sp
	c := &collection{}
	c.Session(r)
	c.Session(blank)
	p := evaluate(c, Existing{}, utcOptions())
	if *p.Sessions[0].Medication != "melatonin 2 mg" || p.Sessions[1].Medication != nil {
		t.Fatalf("medication %q %v", *p.Sessions[0].Medication, p.Sessions[1].Medication)
	}
}

func TestRulesNotesAndExercise(t *testing.T) {
	d10, d11 := mustDate(t, "2025-06-10"), mustDate(t, "2025-06-11")
	start := mustClock(t, "18:00")
	ex := Existing{
		Notes:    []sleep.Note{{Date: d10, Body: "stored"}},
		Exercise: []ExerciseRecord{{Date: d10, Intensity: sleep.IntensityLight}, {Date: d10, Intensity: sleep.IntensityHard, StartTime: &start, DurationMin: ip(30)}},
		Sessions: []StoredSession{{Date: d10, Bed: mustClock(t, "23:00"), Wake: mustClock(t, "07:00")}},
	}
	build := func() *collection {
		c := &collection{}
		tiedNew := rec(t, "s1", "2025-06-11", "23:00", "07:00")
		tiedNew.Notes = []string{"tied to a new session"}
		tiedDup := rec(t, "s2", "2025-06-10", "23:00", "07:00")
		tiedDup.Notes = []string{"tied to a duplicate"}
		c.Session(tiedNew)
		c.Session(tiedDup)
		c.Note(NoteRecord{Where: "n1", Date: d10, Body: "stored"})
		c.Note(NoteRecord{Where: "n2", Date: d11, Body: "twice"})
		c.Note(NoteRecord{Where: "n3", Date: d11, Body: "twice"})
		c.Exercise(ExerciseRecord{Where: "e1", Date: d10, Intensity: sleep.IntensityHard})
		c.Exercise(ExerciseRecord{Where: "e2", Date: d11, Intensity: sleep.IntensityHard})
		c.Exercise(ExerciseRecord{Where: "e3", Date: d11, Intensity: sleep.IntensityNone})
		c.Exercise(ExerciseRecord{Where: "e4", Date: d10, Intensity: sleep.IntensityHard, StartTime: &start, DurationMin: ip(30)})
		c.Exercise(ExerciseRecord{Where: "e5", Date: d10, Intensity: sleep.IntensityHard, StartTime: &start, DurationMin: ip(31)})
		return c
	}
	p := evaluate(build(), ex, utcOptions())
	if p.Report.Notes != (NoteCounts{New: 2, Duplicate: 2}) {
		t.Errorf("notes %+v", p.Report.Notes)
	}
	if len(p.Notes) != 2 || p.Notes[0].Body != "tied to a new session" || p.Notes[0].Date != d11 || p.Notes[1].Body != "twice" {
		t.Errorf("new notes %+v", p.Notes)
	}
	if p.Report.Exercise != (ExerciseCounts{New: 2, Duplicate: 3}) {
		t.Errorf("exercise %+v", p.Report.Exercise)
	}
	if len(p.Exercise) != 2 || p.Exercise[0].Where != "e2" || p.Exercise[1].Where != "e5" {
		t.Errorf("new exercise %+v", p.Exercise)
	}
	// Own formats: two equal notes in the file both come back.
	p = evaluate(build(), ex, ruleOptions{zone: time.UTC, notesAgainstStoredOnly: true})
	if p.Report.Notes != (NoteCounts{New: 3, Duplicate: 1}) {
		t.Errorf("own-format notes %+v", p.Report.Notes)
	}
}

func TestRulesSettings(t *testing.T) {
	paris := "Europe/Paris"
	w := &SleepWindowRecord{Wake: mustClock(t, "06:30"), WindowMin: 345, Since: mustDate(t, "2025-06-10")}
	c := &collection{}
	c.Settings(SettingsRecord{Timezone: &paris, SleepWindow: w})
	p := evaluate(c, Existing{}, utcOptions())
	if p.Timezone == nil || *p.Timezone != paris || p.SleepWindow == nil || p.Report.ProblemsTotal != 0 {
		t.Fatalf("empty database: %+v %+v %v", p.Timezone, p.SleepWindow, p.Report.Problems)
	}
	berlin := "Europe/Berlin"
	p = evaluate(c, Existing{Timezone: &berlin, HasSleepWindow: true}, utcOptions())
	if p.Timezone != nil || p.SleepWindow != nil || p.Report.ProblemsTotal != 2 {
		t.Fatalf("set database: %+v %+v", p.Timezone, p.SleepWindow)
	}
	if p.Report.Problems[0] != (Problem{"timezone", "the file's time zone Europe/Paris is not applied: the database already has Europe/Berlin"}) ||
		p.Report.Problems[1].Where != "sleep_window" {
		t.Fatalf("problems %v", p.Report.Problems)
	}
}

func TestRulesProblemCapAndSample(t *testing.T) {
	c := &collection{}
	start := mustDate(t, "2020-01-01")
	for i := range 130 {
		r := SessionRecord{Where: fmt.Sprintf("line %d", i+2), Date: start.AddDays(i), Bed: mustClock(t, "23:00"), Wake: mustClock(t, "07:00")}
		if i%2 == 1 {
			r.Wake = r.Bed // invalid
		}
		c.Session(r)
	}
	for range 50 {
		c.Invalid("line x", "bad")
	}
	p := evaluate(c, Existing{}, utcOptions())
	if len(p.Report.Problems) != maxProblems || p.Report.ProblemsTotal != 115 {
		t.Fatalf("problems %d total %d", len(p.Report.Problems), p.Report.ProblemsTotal)
	}
	if p.Report.Sessions.Invalid != 115 || p.Report.Sessions.New != 65 || p.Report.Records != 180 {
		t.Fatalf("counts %+v records %d", p.Report.Sessions, p.Report.Records)
	}
	if len(p.Report.Sample) != 5 || p.Report.Sample[4].Date != start.AddDays(8) {
		t.Fatalf("sample %+v", p.Report.Sample)
	}
}
