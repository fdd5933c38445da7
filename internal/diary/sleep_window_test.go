package diary

import (
	"encoding/json"
	"testing"

	"sleeptracker/internal/sleep"
)

// week lays out one night per date of to−6…to that is listed in durations
// (index 0 = to−6; 0 = no night): bed 00:00 + latency, wake wakes[i], TIB
// stretched by out-of-bed minutes so SE is controlled.
type nightSpec struct {
	wake     string
	duration int // bed → wake minutes; 0 = not logged
	latency  int
	post     int // minutes in bed after waking
}

func weekNights(t *testing.T, to sleep.Date, specs []nightSpec) []Night {
	t.Helper()
	var sessions []sleep.Session
	for i, spec := range specs {
		if spec.duration == 0 {
			continue
		}
		d := to.AddDays(-6 + i)
		wake := clock(t, spec.wake)
		bed := sleep.Clock(((int(wake)-spec.duration*60)%86400 + 86400) % 86400)
		s := sleep.Session{ID: int64(i + 1), Date: d, Bed: bed, Wake: wake, LatencyMin: new(spec.latency),
			Awakenings: new(0), Quality: new(3), DurationMin: spec.duration}
		if spec.post > 0 {
			out := wake + sleep.Clock(spec.post*60)
			s.OutOfBed = &out
		}
		sessions = append(sessions, s.WithDerived())
	}
	return Nights(BasedOnFrom(to), to, sessions, nil, nil)
}

func repeat(spec nightSpec, n int) []nightSpec {
	out := make([]nightSpec, n)
	for i := range out {
		out[i] = spec
	}
	return out
}

func TestAdviseSleepWindowRules(t *testing.T) {
	to := date(t, "2025-06-17")
	window := func(wake string, minutes int, since string) *sleep.SleepWindow {
		return &sleep.SleepWindow{Wake: clock(t, wake), WindowMin: minutes, Since: date(t, since)}
	}
	efficient := repeat(nightSpec{wake: "06:30", duration: 360, latency: 10}, 7) // SE 97.2
	middling := repeat(nightSpec{wake: "06:30", duration: 360, latency: 40}, 7)  // SE 88.9
	poor := repeat(nightSpec{wake: "06:30", duration: 360, latency: 60}, 7)      // SE 83.3
	cases := []struct {
		name       string
		current    *sleep.SleepWindow
		nights     []nightSpec
		wantWindow int // 0 = no recommendation
		wantWake   string
		wantChange *int
		wantReason string
	}{
		{"four nights: no recommendation", nil, append(repeat(nightSpec{}, 3), repeat(efficient[0], 4)...), 0, "", nil, ReasonTooFewNights},
		{"initial: 15 × floor(mean TST / 15)", nil, efficient, 345, "06:30:00", nil, ReasonInitial},
		{"initial: 5-hour floor", nil, repeat(nightSpec{wake: "06:30", duration: 240, latency: 0}, 5), 300, "06:30:00", nil, ReasonInitial},
		{"initial: 12-hour cap", nil, repeat(nightSpec{wake: "10:00", duration: 800, latency: 0}, 5), 720, "10:00:00", nil, ReasonInitial},
		{"keep for a full week", window("06:30", 360, "2025-06-12"), efficient, 360, "06:30:00", new(0), ReasonKeepWeek},
		{"extend at SE ≥ 90", window("06:30", 360, "2025-06-11"), efficient, 375, "06:30:00", new(15), ReasonExtend},
		{"extend a smaller step to 720", window("06:30", 710, "2025-06-01"), efficient, 720, "06:30:00", new(10), ReasonExtend},
		{"at the 12-hour maximum", window("06:30", 720, "2025-06-01"), efficient, 720, "06:30:00", new(0), ReasonAtMaximum},
		{"keep at 85–90", window("06:30", 360, "2025-06-01"), middling, 360, "06:30:00", new(0), ReasonKeep},
		{"shorten below 85", window("07:00", 360, "2025-06-01"), poor, 345, "07:00:00", new(-15), ReasonShorten},
		{"shorten never below 300", window("07:00", 310, "2025-06-01"), poor, 300, "07:00:00", new(-10), ReasonShorten},
		{"at the 5-hour minimum", window("07:00", 300, "2025-06-01"), poor, 300, "07:00:00", new(0), ReasonAtMinimum},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			advice := AdviseSleepWindow(tc.current, to, weekNights(t, to, tc.nights))
			if tc.wantWindow == 0 {
				if advice.Recommendation != nil || advice.Reason == nil || *advice.Reason != tc.wantReason {
					t.Fatalf("advice %+v, want no recommendation and reason %q", advice, tc.wantReason)
				}
				return
			}
			r := advice.Recommendation
			if advice.Reason != nil || r == nil {
				t.Fatalf("advice %+v, want a recommendation", advice)
			}
			if r.WindowMin != tc.wantWindow || r.Wake.String() != tc.wantWake || r.Reason != tc.wantReason ||
				(r.ChangeMin == nil) != (tc.wantChange == nil) || (r.ChangeMin != nil && *r.ChangeMin != *tc.wantChange) {
				t.Fatalf("recommendation %+v (change %v), want %d min at %s, change %v, %q",
					r, r.ChangeMin, tc.wantWindow, tc.wantWake, tc.wantChange, tc.wantReason)
			}
			if want := (sleep.SleepWindow{Wake: r.Wake, WindowMin: r.WindowMin}).Bed(); r.Bed != want {
				t.Fatalf("bed %v, want wake − window %v", r.Bed, want)
			}
		})
	}
}

func TestAdviseSleepWindowInitialWakeIsCircularMedianRoundedToFive(t *testing.T) {
	to := date(t, "2025-06-17")
	specs := []nightSpec{
		{wake: "23:58", duration: 420}, {wake: "00:01", duration: 420}, {wake: "00:03", duration: 420},
		{wake: "23:55", duration: 420}, {wake: "00:02", duration: 420},
	}
	advice := AdviseSleepWindow(nil, to, weekNights(t, to, specs))
	// Circular median 00:01 → nearest 5 minutes 00:00 (never 12:00).
	if advice.Recommendation == nil || advice.Recommendation.Wake.String() != "00:00:00" {
		t.Fatalf("recommendation %+v, want wake 00:00", advice.Recommendation)
	}
	halves := []nightSpec{{wake: "06:32", duration: 420}, {wake: "06:33", duration: 420}, {wake: "06:32", duration: 420},
		{wake: "06:33", duration: 420}, {wake: "06:33", duration: 420}, {wake: "06:32", duration: 420}}
	// Median 06:32:30 → 06:32.5 is half-way: rounds up to 06:35.
	advice = AdviseSleepWindow(nil, to, weekNights(t, to, halves))
	if advice.Recommendation.Wake.String() != "06:35:00" {
		t.Fatalf("wake %v, want 06:35 (halves up)", advice.Recommendation.Wake)
	}
}

func TestAdviseSleepWindowBody(t *testing.T) {
	to := date(t, "2025-06-17")
	specs := repeat(nightSpec{wake: "06:30", duration: 345, latency: 15, post: 10}, 6)
	specs = append([]nightSpec{{}}, specs...)
	current := &sleep.SleepWindow{Wake: clock(t, "06:30"), WindowMin: 345, Since: date(t, "2025-06-10")}
	body, err := json.Marshal(AdviseSleepWindow(current, to, weekNights(t, to, specs)))
	// TST 330, TIB 355: SE 93.0 → extend to 360.
	want := `{"current":{"wake_time":"06:30:00","bed_time":"00:45:00","window_min":345,"since":"2025-06-10"},` +
		`"recommendation":{"wake_time":"06:30:00","bed_time":"00:30:00","window_min":360,"change_min":15,` +
		`"reason":"sleep efficiency at least 90%: extend the window by 15 minutes"},` +
		`"based_on":{"from":"2025-06-11","to":"2025-06-17","nights":6,"tst_min":330,"tib_min":355,"se_pct":93},"reason":null}`
	if err != nil || string(body) != want {
		t.Fatalf("body\n %s\nwant\n %s", body, want)
	}
	empty, _ := json.Marshal(AdviseSleepWindow(nil, to, weekNights(t, to, nil)))
	wantEmpty := `{"current":null,"recommendation":null,"based_on":{"from":"2025-06-11","to":"2025-06-17","nights":0,` +
		`"tst_min":null,"tib_min":null,"se_pct":null},"reason":"at least 5 nights of the last 7 days are needed"}`
	if string(empty) != wantEmpty {
		t.Fatalf("empty body\n %s\nwant\n %s", empty, wantEmpty)
	}
}
