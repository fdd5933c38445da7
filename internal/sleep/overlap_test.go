package sleep

import "testing"

// TestOverlapsSpecExamples is the table of SPEC §6.3 plus boundary rows,
// against a stored session of wake date 2025-06-21, 22:00 → 06:00
// (2025-06-20 22:00 … 2025-06-21 06:00).
func TestOverlapsSpecExamples(t *testing.T) {
	storedStart, storedEnd := LocalBounds(mustDate(t, "2025-06-21"), mustClock(t, "22:00"), mustClock(t, "06:00"))
	cases := []struct {
		date, bed, wake string
		want            bool
	}{
		{"2025-06-21", "05:00", "07:00", true},     // overlaps
		{"2025-06-21", "06:00", "07:00", true},     // touches at 06-21 06:00
		{"2025-06-20", "21:00", "22:00", true},     // touches at 06-20 22:00
		{"2025-06-20", "13:00", "14:00", false},    // a nap the day before
		{"2025-06-21", "06:00:01", "07:00", false}, // one second after
		{"2025-06-20", "21:00", "21:59:59", false}, // one second before
		{"2025-06-21", "23:00", "05:00", true},     // inside it
		{"2025-06-21", "21:00", "07:00", true},     // contains it
		{"2025-06-22", "21:00", "05:00", false},    // the next night
	}
	for _, tc := range cases {
		start, end := LocalBounds(mustDate(t, tc.date), mustClock(t, tc.bed), mustClock(t, tc.wake))
		if got := Overlaps(start, end, storedStart, storedEnd); got != tc.want {
			t.Errorf("%s %s→%s: Overlaps = %v, want %v", tc.date, tc.bed, tc.wake, got, tc.want)
		}
		if got := Overlaps(storedStart, storedEnd, start, end); got != tc.want {
			t.Errorf("%s %s→%s: Overlaps is not symmetric", tc.date, tc.bed, tc.wake)
		}
	}
}

// TestOverlapCandidateDates checks that sessions outside the candidate wake
// dates can never overlap, using the extreme clock times, and that the
// neighbours inside can.
func TestOverlapCandidateDates(t *testing.T) {
	d := mustDate(t, "2025-03-01")
	from, to := OverlapCandidateDates(d)
	if from != mustDate(t, "2025-02-28") || to != mustDate(t, "2025-03-02") {
		t.Fatalf("OverlapCandidateDates = %v..%v", from, to)
	}
	extremes := []Clock{0, 1, secondsPerDay - 2, secondsPerDay - 1}
	neighbourCanOverlap := map[int]bool{}
	for _, offset := range []int{-3, -2, -1, 1, 2, 3} {
		other := d.AddDays(offset)
		inCandidates := !other.Before(from) && !other.After(to)
		for _, b1 := range extremes {
			for _, w1 := range extremes {
				for _, b2 := range extremes {
					for _, w2 := range extremes {
						s1, e1 := LocalBounds(d, b1, w1)
						s2, e2 := LocalBounds(other, b2, w2)
						if Overlaps(s1, e1, s2, e2) {
							if !inCandidates {
								t.Fatalf("wake dates %v and %v overlap but are not candidates", d, other)
							}
							neighbourCanOverlap[offset] = true
						}
					}
				}
			}
		}
	}
	if !neighbourCanOverlap[-1] || !neighbourCanOverlap[1] {
		t.Errorf("neighbouring wake dates never overlapped: %v", neighbourCanOverlap)
	}
}

func TestNaiveDateTimeParts(t *testing.T) {
	n := NewNaiveDateTime(mustDate(t, "1969-12-31"), mustClock(t, "23:59:58"))
	if n.Date() != mustDate(t, "1969-12-31") || n.Clock() != mustClock(t, "23:59:58") {
		t.Errorf("parts before the internal epoch: %v %v", n.Date(), n.Clock())
	}
	later := NewNaiveDateTime(mustDate(t, "1970-01-01"), 0)
	if !n.Before(later) || !later.After(n) || n.Compare(later) != -1 || later.Compare(n) != 1 || n.Compare(n) != 0 {
		t.Error("NaiveDateTime order is wrong across the epoch")
	}
}
