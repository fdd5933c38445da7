package sleep

import (
	"testing"
	"time"
)

// durationCase is one session and the stored minutes it must get (0 = the
// "Duration must be positive" error).
type durationCase struct {
	wakeDate, bed, wake, zone string
	want                      int
	wantFallback              bool
}

func runDurationCases(t *testing.T, cases []durationCase) {
	t.Helper()
	for _, tc := range cases {
		name := tc.zone + " " + tc.wakeDate + " " + tc.bed + "→" + tc.wake
		t.Run(name, func(t *testing.T) {
			loc, err := LoadZone(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			got, fallback, err := ComputeDuration(mustDate(t, tc.wakeDate), mustClock(t, tc.bed), mustClock(t, tc.wake), loc)
			if fallback != tc.wantFallback {
				t.Errorf("usedUTCFallback = %v, want %v", fallback, tc.wantFallback)
			}
			if tc.want == 0 {
				assertInvalid(t, name, err, "Duration must be positive")
				if got != 0 {
					t.Errorf("minutes = %d alongside the error, want 0", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ComputeDuration = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}

// TestComputeDurationSpecExamples is the table of SPEC §6.2.
func TestComputeDurationSpecExamples(t *testing.T) {
	runDurationCases(t, []durationCase{
		{"2025-06-01", "23:00", "07:00", "Asia/Tokyo", 480, false},
		{"2025-06-18", "00:30", "07:00", "Asia/Tokyo", 390, false},
		{"2025-06-17", "22:00:30", "23:00:00", "Asia/Tokyo", 59, false},
		{"2025-06-17", "07:00", "07:00", "Asia/Tokyo", 0, false},
		{"2025-11-02", "01:30", "01:30", "America/New_York", 60, false},
		{"2025-11-02", "23:00", "07:00", "America/New_York", 540, false},
		{"2025-03-09", "23:00", "07:00", "America/New_York", 420, false},
		{"2025-03-09", "02:30", "03:30", "America/New_York", 30, false},
		{"2025-03-09", "02:10", "02:50", "America/New_York", 0, false},
	})
}

// TestComputeDurationOtherZones covers DST rules unlike New York's.
func TestComputeDurationOtherZones(t *testing.T) {
	runDurationCases(t, []durationCase{
		// Lord Howe shifts by 30 minutes: +11 → +10:30 at 02:00 on 2025-04-06
		// (01:30–02:00 repeats) and +10:30 → +11 at 02:00 on 2025-10-05
		// (02:00–02:30 does not exist).
		{"2025-04-06", "23:00", "07:00", "Australia/Lord_Howe", 510, false},
		{"2025-04-06", "01:45", "01:45", "Australia/Lord_Howe", 30, false},
		{"2025-04-06", "01:40", "01:50", "Australia/Lord_Howe", 40, false},
		{"2025-10-05", "23:00", "07:00", "Australia/Lord_Howe", 450, false},
		{"2025-10-05", "02:10", "03:00", "Australia/Lord_Howe", 30, false},
		{"2025-10-05", "02:15:45", "02:40", "Australia/Lord_Howe", 9, false}, // 02:30:45 → 02:40:00
		{"2025-10-05", "02:05", "02:25", "Australia/Lord_Howe", 0, false},    // both → 02:30

		// Europe/London switches at 01:00 UTC: 01:00–02:00 is skipped on
		// 2025-03-30 and 01:00–02:00 repeats on 2025-10-26.
		{"2025-03-30", "00:30", "01:30", "Europe/London", 30, false},
		{"2025-03-30", "22:00", "06:00", "Europe/London", 420, false},
		{"2025-10-26", "01:15", "01:15", "Europe/London", 60, false},
		{"2025-10-26", "00:30", "01:30", "Europe/London", 120, false},

		// Antarctica/Troll shifts by two hours: 01:00–03:00 is skipped on
		// 2025-03-30 and 01:00–03:00 repeats on 2025-10-26.
		{"2025-03-30", "01:30", "04:00", "Antarctica/Troll", 60, false},
		{"2025-10-26", "02:00", "02:00", "Antarctica/Troll", 120, false},

		// Fixed offsets, nothing special.
		{"2025-03-09", "23:00", "07:00", "Etc/GMT+5", 480, false},
		{"2025-03-09", "23:00", "07:00", "UTC", 480, false},
	})
}

// TestComputeDurationApiaSkippedDay: Samoa jumped from -10 to +14 at the end
// of 2011-12-29, so 2011-12-30 never happened there. Local times more than
// 179 minutes before 2011-12-31 00:00 find no existing minute and are read as
// UTC (§6.2 rule 4); later ones step forward to midnight (rule 3).
func TestComputeDurationApiaSkippedDay(t *testing.T) {
	runDurationCases(t, []durationCase{
		// Both ends on the skipped day: both read as UTC.
		{"2011-12-30", "10:00", "12:00", "Pacific/Apia", 120, true},
		// Bed 21:01 steps 179 minutes to 2011-12-31 00:00 +14 (10:00 UTC);
		// wake 07:00 +14 is 17:00 UTC.
		{"2011-12-31", "21:01", "07:00", "Pacific/Apia", 420, false},
		{"2011-12-31", "22:00", "07:00", "Pacific/Apia", 420, false},
		// Bed 21:00 would need 180 minutes: read as 21:00 UTC, after the
		// wake instant, so the session is refused.
		{"2011-12-31", "21:00", "07:00", "Pacific/Apia", 0, true},
		// Bed 2011-12-29 23:00 -10 (09:00 UTC on the 30th) exists; wake on
		// the skipped day falls back to 07:00 UTC, before the bed instant.
		{"2011-12-30", "23:00", "07:00", "Pacific/Apia", 0, true},
		// The nights around the jump are ordinary.
		{"2011-12-29", "23:00", "07:00", "Pacific/Apia", 480, false},
		{"2012-01-01", "23:00", "07:00", "Pacific/Apia", 480, false},
	})
}

// TestResolveLocalKeepsSeconds checks the instants themselves, not only their
// difference: a gap time moves to the transition with its seconds kept, and a
// repeated time resolves to the earliest or latest instant as asked.
func TestResolveLocalKeepsSeconds(t *testing.T) {
	ny, _ := LoadZone("America/New_York")
	edt := time.FixedZone("EDT", -4*3600)
	est := time.FixedZone("EST", -5*3600)
	cases := []struct {
		date, clock string
		earliest    bool
		want        time.Time
	}{
		{"2025-03-09", "02:30:45", true, time.Date(2025, 3, 9, 3, 0, 45, 0, edt)},
		{"2025-03-09", "02:30:45", false, time.Date(2025, 3, 9, 3, 0, 45, 0, edt)},
		{"2025-03-09", "02:00:00", true, time.Date(2025, 3, 9, 3, 0, 0, 0, edt)},
		{"2025-03-09", "03:00:00", true, time.Date(2025, 3, 9, 3, 0, 0, 0, edt)},
		{"2025-03-09", "01:59:59", true, time.Date(2025, 3, 9, 1, 59, 59, 0, est)},
		{"2025-11-02", "01:30:10", true, time.Date(2025, 11, 2, 1, 30, 10, 0, edt)},
		{"2025-11-02", "01:30:10", false, time.Date(2025, 11, 2, 1, 30, 10, 0, est)},
	}
	for _, tc := range cases {
		l := NewNaiveDateTime(mustDate(t, tc.date), mustClock(t, tc.clock))
		got, fallback := resolveLocal(ny, l, tc.earliest)
		if fallback || got != tc.want.Unix() {
			t.Errorf("%s earliest=%v: got %v (fallback %v), want %v",
				l, tc.earliest, time.Unix(got, 0).In(ny), fallback, tc.want.In(ny))
		}
	}
}

func TestComputeDurationNilZoneIsUTC(t *testing.T) {
	got, _, err := ComputeDuration(mustDate(t, "2025-03-09"), mustClock(t, "23:00"), mustClock(t, "07:00"), nil)
	if err != nil || got != 480 {
		t.Errorf("nil zone: %d, %v; want 480", got, err)
	}
}

func TestLocalBounds(t *testing.T) {
	cases := []struct {
		date, bed, wake, wantStart, wantEnd string
	}{
		{"2025-06-01", "23:00", "07:00", "2025-05-31T23:00:00", "2025-06-01T07:00:00"},
		{"2025-03-01", "23:00", "07:00", "2025-02-28T23:00:00", "2025-03-01T07:00:00"},
		{"2025-06-18", "00:30", "07:00", "2025-06-18T00:30:00", "2025-06-18T07:00:00"},
		{"2025-06-17", "07:00", "07:00", "2025-06-17T07:00:00", "2025-06-17T07:00:00"},       // equality: same day
		{"2025-06-17", "07:00:01", "07:00:00", "2025-06-16T07:00:01", "2025-06-17T07:00:00"}, // seconds count
		{"2025-06-17", "13:00:00", "14:00:00", "2025-06-17T13:00:00", "2025-06-17T14:00:00"}, // nap
		{"1900-01-01", "23:59:59", "00:00:00", "1899-12-31T23:59:59", "1900-01-01T00:00:00"}, // lowest date
		{"2999-12-31", "00:00:00", "23:59:59", "2999-12-31T00:00:00", "2999-12-31T23:59:59"}, // highest date
	}
	for _, tc := range cases {
		start, end := LocalBounds(mustDate(t, tc.date), mustClock(t, tc.bed), mustClock(t, tc.wake))
		if start.String() != tc.wantStart || end.String() != tc.wantEnd {
			t.Errorf("%s %s→%s: %s..%s, want %s..%s", tc.date, tc.bed, tc.wake, start, end, tc.wantStart, tc.wantEnd)
		}
		if start.After(end) {
			t.Errorf("%s %s→%s: start after end", tc.date, tc.bed, tc.wake)
		}
	}
}

func BenchmarkComputeDuration(b *testing.B) {
	ny, _ := LoadZone("America/New_York")
	date := mustDate(b, "2025-06-17")
	bed, wake := mustClock(b, "23:05"), mustClock(b, "06:30")
	for b.Loop() {
		if _, _, err := ComputeDuration(date, bed, wake, ny); err != nil {
			b.Fatal(err)
		}
	}
}
