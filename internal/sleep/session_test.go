package sleep

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func session(t testing.TB, id int64, date, bed, wake string, latency, awakenings, quality, duration int) Session {
	t.Helper()
	return Session{ID: id, Date: mustDate(t, date), Bed: mustClock(t, bed), Wake: mustClock(t, wake),
		LatencyMin: new(latency), Awakenings: new(awakenings), Quality: new(quality), DurationMin: duration}
}

func dailyRow(t testing.TB, id int64, date, bed, wake string, latency, awakenings, quality, duration int) DailyRow {
	t.Helper()
	return DailyRow{ID: id, Date: mustDate(t, date), Bed: mustClock(t, bed), Wake: mustClock(t, wake),
		LatencyMin: new(latency), Awakenings: new(awakenings), Quality: new(quality), DurationMin: duration}
}

func TestSessionJSONShape(t *testing.T) {
	out, err := json.Marshal(session(t, 7, "2025-06-17", "23:05", "06:30", 15, 0, 4, 445))
	want := `{"id":7,"date":"2025-06-17","bed_time":"23:05:00","wake_time":"06:30:00","latency_min":15,"awakenings":0,"quality":4,"duration_min":445,` +
		`"in_bed_time":null,"waso_min":null,"out_of_bed_time":null,"rested":null,"alcohol_drinks":null,"caffeine_drinks":null,"medication":null,` +
		`"tib_min":0,"tst_min":0,"se_pct":0,"terminal_wake_min":0}`
	if err != nil || string(out) != want {
		t.Errorf("Marshal = %s, %v\nwant      %s", out, err, want)
	}
	row, _ := json.Marshal(dailyRow(t, 7, "2025-06-17", "23:05", "06:30", 15, 0, 4, 445))
	wantRow := `{"id":7,"date":"2025-06-17","bed_time":"23:05:00","wake_time":"06:30:00","latency_min":15,"awakenings":0,"quality":4,"duration_min":445}`
	if string(row) != wantRow {
		t.Errorf("DailyRow JSON = %s, want the eight fields %s", row, wantRow)
	}
	var back Session
	if err := json.Unmarshal(out, &back); err != nil || !reflect.DeepEqual(back, session(t, 7, "2025-06-17", "23:05", "06:30", 15, 0, 4, 445)) {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

func TestNoteAndIntensityDayJSON(t *testing.T) {
	note, _ := json.Marshal(Note{ID: 3, Date: mustDate(t, "2025-06-17"), Body: "tired"})
	if string(note) != `{"id":3,"date":"2025-06-17","body":"tired"}` {
		t.Errorf("Note JSON = %s", note)
	}
	day, _ := json.Marshal(IntensityDay{Date: mustDate(t, "2025-06-17"), Intensity: IntensityHard})
	if string(day) != `{"date":"2025-06-17","intensity":"hard"}` {
		t.Errorf("IntensityDay JSON = %s", day)
	}
}

func TestIntensity(t *testing.T) {
	for _, name := range []string{"none", "light", "hard"} {
		i, ok := ParseIntensity(name)
		if !ok || i.String() != name {
			t.Errorf("ParseIntensity(%q) = %v, %v", name, i, ok)
		}
	}
	for _, bad := range []string{"", "None", " hard", "medium"} {
		if _, ok := ParseIntensity(bad); ok {
			t.Errorf("ParseIntensity(%q) accepted", bad)
		}
	}
	if !(IntensityNone < IntensityLight && IntensityLight < IntensityHard) {
		t.Error("intensities are not ordered none < light < hard")
	}
	if MaxIntensity(IntensityLight, IntensityNone) != IntensityLight || MaxIntensity(0, IntensityNone) != IntensityNone {
		t.Error("MaxIntensity picks the wrong value")
	}
	var i Intensity
	if err := json.Unmarshal([]byte(`"light"`), &i); err != nil || i != IntensityLight {
		t.Errorf("Unmarshal = %v, %v", i, err)
	}
	if err := json.Unmarshal([]byte(`"Light"`), &i); err == nil {
		t.Error("Unmarshal accepted a capitalised intensity")
	}
	if out, _ := json.Marshal(Intensity(0)); string(out) != "null" {
		t.Errorf("unset intensity marshals as %s, want null", out)
	}
}

func TestAggregateDaily(t *testing.T) {
	cases := []struct {
		name     string
		sessions []Session
		want     []DailyRow
	}{
		{
			name: "SPEC §6.4 example: a night and a nap",
			sessions: []Session{
				session(t, 12, "2025-06-15", "13:00", "14:00", 10, 1, 5, 60),
				session(t, 11, "2025-06-15", "22:00", "06:00", 10, 1, 3, 480),
			},
			want: []DailyRow{dailyRow(t, 11, "2025-06-15", "22:00", "14:00", 10, 2, 4, 540)},
		},
		{
			name: "quality 3 and 4 truncates to 3, latency 5 and 10 to 7",
			sessions: []Session{
				session(t, 1, "2025-06-16", "01:00", "03:00", 5, 0, 3, 120),
				session(t, 2, "2025-06-16", "04:00", "08:00", 10, 0, 4, 240),
			},
			want: []DailyRow{dailyRow(t, 1, "2025-06-16", "01:00", "08:00", 7, 0, 3, 360)},
		},
		{
			name: "earliest bed by datetime, not by clock: 23:30 the evening before beats 02:00",
			sessions: []Session{
				session(t, 5, "2025-06-17", "02:00", "04:00", 0, 1, 2, 120),
				session(t, 9, "2025-06-17", "23:30", "01:00", 30, 1, 2, 90),
				session(t, 3, "2025-06-17", "15:00", "15:30", 20, 1, 1, 30),
			},
			want: []DailyRow{dailyRow(t, 3, "2025-06-17", "23:30", "15:30", 16, 3, 1, 240)},
		},
		{
			name: "one row per date, ascending, whatever the input order",
			sessions: []Session{
				session(t, 3, "2025-06-20", "23:00", "07:00", 1, 1, 1, 480),
				session(t, 1, "2025-06-18", "23:00", "07:00", 2, 2, 2, 480),
				session(t, 2, "2025-06-19", "23:00", "07:00", 3, 3, 3, 480),
			},
			want: []DailyRow{
				dailyRow(t, 1, "2025-06-18", "23:00", "07:00", 2, 2, 2, 480),
				dailyRow(t, 2, "2025-06-19", "23:00", "07:00", 3, 3, 3, 480),
				dailyRow(t, 3, "2025-06-20", "23:00", "07:00", 1, 1, 1, 480),
			},
		},
		{name: "empty", sessions: nil, want: []DailyRow{}},
		{
			name: "null values are skipped, and all-null stays null (§12.1)",
			sessions: []Session{
				{ID: 4, Date: mustDate(t, "2025-06-21"), Bed: mustClock(t, "23:00"), Wake: mustClock(t, "07:00"),
					LatencyMin: new(10), Quality: nil, Awakenings: nil, DurationMin: 480},
				{ID: 5, Date: mustDate(t, "2025-06-21"), Bed: mustClock(t, "13:00"), Wake: mustClock(t, "14:00"),
					LatencyMin: nil, Quality: nil, Awakenings: new(1), DurationMin: 60},
			},
			want: []DailyRow{{ID: 4, Date: mustDate(t, "2025-06-21"), Bed: mustClock(t, "23:00"), Wake: mustClock(t, "14:00"),
				LatencyMin: new(10), Awakenings: new(1), Quality: nil, DurationMin: 540}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := AggregateDaily(tc.sessions)
			if got == nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("AggregateDaily =\n %+v\nwant\n %+v", got, tc.want)
			}
			// The order of the input must not matter.
			reversed := slices.Clone(tc.sessions)
			slices.Reverse(reversed)
			if again := AggregateDaily(reversed); !reflect.DeepEqual(again, tc.want) {
				t.Errorf("reversed input gives %+v", again)
			}
		})
	}
}

func TestSortByBed(t *testing.T) {
	sessions := []Session{
		session(t, 4, "2025-06-17", "13:00", "14:00", 0, 0, 3, 60),
		session(t, 2, "2025-06-17", "23:00", "06:00", 0, 0, 3, 420), // bed on 06-16
		session(t, 1, "2025-06-16", "12:00", "12:30", 0, 0, 3, 30),
	}
	SortByBed(sessions)
	var ids []int64
	for _, s := range sessions {
		ids = append(ids, s.ID)
	}
	if !slices.Equal(ids, []int64{1, 2, 4}) {
		t.Errorf("SortByBed order = %v, want [1 2 4]", ids)
	}
}

// yearOfNights returns a year of nightly sessions plus a nap every third day,
// shuffled.
func yearOfNights(b testing.TB) []Session {
	start := mustDate(b, "2025-01-01")
	var sessions []Session
	for i := range 365 {
		d := start.AddDays(i)
		sessions = append(sessions, Session{ID: int64(len(sessions) + 1), Date: d, Bed: Clock(23 * 3600),
			Wake: Clock(7 * 3600), LatencyMin: new(i % 60), Awakenings: new(i % 4), Quality: new(1 + i%5), DurationMin: 480})
		if i%3 == 0 {
			sessions = append(sessions, Session{ID: int64(len(sessions) + 1), Date: d, Bed: Clock(13 * 3600),
				Wake: Clock(14 * 3600), LatencyMin: new(5), Awakenings: new(0), Quality: new(4), DurationMin: 60})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(sessions), func(i, j int) { sessions[i], sessions[j] = sessions[j], sessions[i] })
	return sessions
}

func BenchmarkAggregateDaily(b *testing.B) {
	sessions := yearOfNights(b)
	b.ReportAllocs()
	for b.Loop() {
		if rows := AggregateDaily(sessions); len(rows) != 365 {
			b.Fatalf("%d rows", len(rows))
		}
	}
}
