package diary

import (
	"encoding/json"
	"reflect"
	"testing"

	"sleeptracker/internal/sleep"
)

func date(t testing.TB, s string) sleep.Date {
	t.Helper()
	d, ok := sleep.ParseDate(s)
	if !ok {
		t.Fatalf("bad date %q", s)
	}
	return d
}

func clock(t testing.TB, s string) sleep.Clock {
	t.Helper()
	c, ok := sleep.ParseClock(s)
	if !ok {
		t.Fatalf("bad clock %q", s)
	}
	return c
}

// night builds a session with derived values; latency, waso may be nil.
func session(t testing.TB, id int64, wakeDate, bed, wake string, duration int, latency, waso *int) sleep.Session {
	t.Helper()
	return sleep.Session{ID: id, Date: date(t, wakeDate), Bed: clock(t, bed), Wake: clock(t, wake),
		LatencyMin: latency, Awakenings: new(1), Quality: new(3), DurationMin: duration,
		DiaryItems: sleep.DiaryItems{WasoMin: waso}}.WithDerived()
}

func TestMainSessionTies(t *testing.T) {
	a := session(t, 1, "2025-06-17", "23:00", "07:00", 480, nil, nil)
	b := session(t, 2, "2025-06-17", "13:00", "14:00", 60, nil, nil)
	if got := MainSession([]sleep.Session{b, a}); got.ID != 1 {
		t.Errorf("longest: main %d, want 1", got.ID)
	}
	later := session(t, 3, "2025-06-17", "08:00", "16:00", 480, nil, nil)
	if got := MainSession([]sleep.Session{a, later}); got.ID != 3 {
		t.Errorf("tie on duration: main %d, want the later wake 3", got.ID)
	}
	twin := session(t, 4, "2025-06-17", "22:00", "07:00", 480, nil, nil)
	if got := MainSession([]sleep.Session{twin, a}); got.ID != 4 {
		t.Errorf("tie on duration and wake: main %d, want the higher id 4", got.ID)
	}
}

func TestBuildNightsWeeksAndNaps(t *testing.T) {
	from, to := date(t, "2025-06-04"), date(t, "2025-06-17")
	light := sleep.IntensityLight
	sessions := []sleep.Session{
		session(t, 1, "2025-06-17", "23:05", "06:30", 445, new(15), new(20)),
		session(t, 2, "2025-06-17", "14:00", "14:35", 35, new(5), nil),
		session(t, 3, "2025-06-03", "23:00", "07:00", 480, nil, nil), // outside: ignored
	}
	d := Build(from, to, sessions, []sleep.IntensityDay{{Date: to, Intensity: light}},
		[]sleep.Note{{ID: 8, Date: to, Body: "b"}, {ID: 5, Date: to, Body: "a"}})
	if len(d.Nights) != 14 || d.Nights[0].Date != from || d.Nights[13].Date != to {
		t.Fatalf("nights %d from %v to %v", len(d.Nights), d.Nights[0].Date, d.Nights[len(d.Nights)-1].Date)
	}
	last := d.Nights[13]
	if last.Main == nil || last.Main.ID != 1 || last.Naps != (Naps{Count: 1, Minutes: 35}) ||
		last.ExerciseIntensity == nil || *last.ExerciseIntensity != light || last.Notes != 2 ||
		!reflect.DeepEqual(last.NoteBodies, []string{"a", "b"}) {
		t.Fatalf("last night %+v", last)
	}
	if d.Nights[0].Main != nil || d.Nights[0].Naps != (Naps{}) {
		t.Fatalf("empty night %+v", d.Nights[0])
	}
	if len(d.Weeks) != 2 || d.Weeks[0].From != date(t, "2025-06-11") || d.Weeks[0].To != to ||
		d.Weeks[1].From != from || d.Weeks[1].To != date(t, "2025-06-10") {
		t.Fatalf("weeks %+v", d.Weeks)
	}
	// A range of 10 days: blocks of 7 and a clipped oldest block of 3.
	short := Build(date(t, "2025-06-08"), to, nil, nil, nil)
	if len(short.Weeks) != 2 || short.Weeks[1].From != date(t, "2025-06-08") || short.Weeks[1].To != date(t, "2025-06-10") {
		t.Fatalf("short weeks %+v", short.Weeks)
	}
	body, err := json.Marshal(d.Nights[0])
	want := `{"date":"2025-06-04","main":null,"naps":{"count":0,"minutes":0},"exercise_intensity":null,"notes":0}`
	if err != nil || string(body) != want {
		t.Fatalf("empty night JSON %s, want %s", body, want)
	}
}

func f(v float64) *float64 { return &v }

func TestSummarize(t *testing.T) {
	mk := func(sessions ...sleep.Session) []Night {
		return Nights(date(t, "2025-06-11"), date(t, "2025-06-17"), sessions, nil, nil)
	}
	cases := []struct {
		name   string
		nights []Night
		want   Summary
	}{
		{"no nights: nulls, naps 0, no flags", mk(), Summary{Nights: 0, NapsPerWeek: 0, Flags: []string{}}},
		{
			name: "good sleeper",
			nights: mk(
				session(t, 1, "2025-06-16", "23:00", "07:00", 480, new(10), new(10)),
				session(t, 2, "2025-06-17", "23:00", "07:00", 480, new(20), nil),
			),
			// TST 460 and 460; TIB 480 each; SE 95.8; SOL 15; WASO only one night: 10.
			want: Summary{Nights: 2, TSTMin: f(460), TIBMin: f(480), TerminalWakeMin: f(0), SOLMin: f(15),
				Awakenings: f(1), WasoMin: f(10), Quality: f(3), Rested: nil, SEPct: f(95.8), NapsPerWeek: 0, Flags: []string{}},
		},
		{
			name: "all three flags; naps per week over the block's days",
			nights: mk(
				session(t, 1, "2025-06-16", "23:00", "07:00", 480, new(45), new(40)),
				session(t, 2, "2025-06-16", "13:00", "13:30", 30, new(0), nil),
				session(t, 3, "2025-06-17", "23:00", "07:00", 480, new(30), new(31)),
			),
			// TST 395 and 419 → mean 407; SE = 814/960 = 84.8; SOL 37.5; WASO 35.5.
			want: Summary{Nights: 2, TSTMin: f(407), TIBMin: f(480), TerminalWakeMin: f(0), SOLMin: f(37.5),
				Awakenings: f(1), WasoMin: f(35.5), Quality: f(3), Rested: nil, SEPct: f(84.8), NapsPerWeek: 1,
				Flags: []string{FlagSEBelow85, FlagSOLOver30, FlagWASOOver30}},
		},
		{
			name: "flags compare rounded values: SOL 30.04 rounds to 30.0, no flag",
			nights: Nights(date(t, "2025-06-01"), date(t, "2025-06-25"), func() []sleep.Session {
				var list []sleep.Session
				for i := range 25 { // 24 nights of 30 and one of 31: mean 30.04
					lat := 30
					if i == 0 {
						lat = 31
					}
					list = append(list, session(t, int64(i+1), date(t, "2025-06-01").AddDays(i).String(), "22:00", "07:00", 540, new(lat), nil))
				}
				return list
			}(), nil, nil),
			want: Summary{Nights: 25, TSTMin: f(510), TIBMin: f(540), TerminalWakeMin: f(0), SOLMin: f(30),
				Awakenings: f(1), WasoMin: nil, Quality: f(3), Rested: nil, SEPct: f(94.4), NapsPerWeek: 0, Flags: []string{}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Summarize(tc.nights)
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(tc.want)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("Summarize =\n %s\nwant\n %s", gotJSON, wantJSON)
			}
		})
	}
}
