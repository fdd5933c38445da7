package sleep

import (
	"encoding/json"
	"testing"
	"time"
)

// mustDate parses a date that the test knows to be valid.
func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, ok := ParseDate(s)
	if !ok {
		t.Fatalf("ParseDate(%q) rejected a valid date", s)
	}
	return d
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2025-06-01", true},
		{"2024-02-29", true}, // leap year
		{"2000-02-29", true}, // divisible by 400
		{"1900-01-01", true}, // lowest year
		{"2999-12-31", true}, // highest year
		{"2025-06-1", false},
		{"2025-6-1", false},
		{"2025-02-30", false},
		{"2023-02-29", false},
		{"1900-02-29", false}, // divisible by 100, not a leap year
		{"2025-04-31", false},
		{"2025-13-01", false},
		{"2025-00-10", false},
		{"2025-01-00", false},
		{"1899-12-31", false},
		{"3000-01-01", false},
		{"2025-06-01T00:00", false},
		{" 2025-06-01", false},
		{"2025-06-01 ", false},
		{"2025/06/01", false},
		{"+025-06-01", false},
		{"2025-0a-01", false},
		{"２０２５-06-01", false}, // full-width digits
		{"", false},
	}
	for _, tt := range tests {
		d, ok := ParseDate(tt.in)
		if ok != tt.ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if ok && d.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, d.String())
		}
		if !ok && !d.IsZero() {
			t.Errorf("ParseDate(%q) returned non-zero %v on failure", tt.in, d)
		}
	}
}

// TestDateMatchesTimePackage walks every day from 1899 to 3001 and checks the
// civil-date arithmetic against the standard library.
func TestDateMatchesTimePackage(t *testing.T) {
	ref := time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC)
	start := DateOf(ref)
	for i := 0; ref.Year() < 3002; i, ref = i+1, ref.AddDate(0, 0, 1) {
		d := start.AddDays(i)
		if got, want := d.String(), ref.Format(time.DateOnly); got != want {
			t.Fatalf("day %d: String() = %s, want %s", i, got, want)
		}
		if d.Weekday() != ref.Weekday() {
			t.Fatalf("%s: Weekday() = %v, want %v", d, d.Weekday(), ref.Weekday())
		}
		if !d.Time().Equal(ref) {
			t.Fatalf("%s: Time() = %v, want %v", d, d.Time(), ref)
		}
		if DateOf(ref) != d {
			t.Fatalf("DateOf(%v) = %v, want %v", ref, DateOf(ref), d)
		}
		if d.DaysSince(start) != i {
			t.Fatalf("%s: DaysSince(start) = %d, want %d", d, d.DaysSince(start), i)
		}
	}
}

func TestDateArithmeticAndOrder(t *testing.T) {
	a, b := mustDate(t, "2024-02-28"), mustDate(t, "2024-03-01")
	if got := a.AddDays(2); got != b {
		t.Errorf("AddDays across 29 Feb = %v, want %v", got, b)
	}
	if got := b.AddDays(-2); got != a {
		t.Errorf("AddDays(-2) = %v, want %v", got, a)
	}
	if b.DaysSince(a) != 2 || a.DaysSince(b) != -2 {
		t.Errorf("DaysSince = %d / %d, want 2 / -2", b.DaysSince(a), a.DaysSince(b))
	}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Before(a) || a.After(a) {
		t.Error("Before/After disagree with calendar order")
	}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare disagrees with calendar order")
	}
	if mustDate(t, "2025-06-21").Weekday() != time.Saturday {
		t.Error("2025-06-21 must be a Saturday")
	}
	// Dates are map keys: equal dates reached differently must collide.
	m := map[Date]int{a.AddDays(2): 1}
	if m[b] != 1 {
		t.Error("equal dates are not equal map keys")
	}
	tokyo, _ := LoadZone("Asia/Tokyo")
	instant := time.Date(2025, 6, 1, 20, 0, 0, 0, time.UTC) // 05:00 on 2 June in Tokyo
	if got := DateOf(instant.In(tokyo)); got != mustDate(t, "2025-06-02") {
		t.Errorf("DateOf in Tokyo = %v, want 2025-06-02", got)
	}
}

func TestZeroDate(t *testing.T) {
	var z Date
	if !z.IsZero() || z.String() != "" || !z.AddDays(5).IsZero() {
		t.Errorf("zero Date: IsZero=%v String=%q AddDays=%v", z.IsZero(), z.String(), z.AddDays(5))
	}
	if mustDate(t, "1900-01-01").IsZero() {
		t.Error("a real date reports IsZero")
	}
}

func TestDateJSON(t *testing.T) {
	type wrapper struct {
		D Date `json:"d"`
	}
	out, err := json.Marshal(wrapper{mustDate(t, "2025-06-17")})
	if err != nil || string(out) != `{"d":"2025-06-17"}` {
		t.Errorf("Marshal = %s, %v", out, err)
	}
	if out, _ := json.Marshal(wrapper{}); string(out) != `{"d":null}` {
		t.Errorf("Marshal zero = %s, want null", out)
	}
	var w wrapper
	if err := json.Unmarshal([]byte(`{"d":"2024-02-29"}`), &w); err != nil || w.D != mustDate(t, "2024-02-29") {
		t.Errorf("Unmarshal = %v, %v", w.D, err)
	}
	for _, bad := range []string{`{"d":"2025-02-30"}`, `{"d":20250601}`, `{"d":"2025-6-1"}`} {
		if err := json.Unmarshal([]byte(bad), &w); err == nil {
			t.Errorf("Unmarshal(%s) accepted an invalid date", bad)
		}
	}
	w.D = mustDate(t, "2025-01-01")
	if err := json.Unmarshal([]byte(`{"d":null}`), &w); err != nil || !w.D.IsZero() {
		t.Errorf("Unmarshal null = %v, %v; want zero", w.D, err)
	}
}
