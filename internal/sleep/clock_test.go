package sleep

import (
	"encoding/json"
	"testing"
)

// mustClock parses a clock time that the test knows to be valid.
func mustClock(t testing.TB, s string) Clock {
	t.Helper()
	c, ok := ParseClock(s)
	if !ok {
		t.Fatalf("ParseClock(%q) rejected a valid time", s)
	}
	return c
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = rejected
	}{
		{"07:00", "07:00:00"},
		{"23:05", "23:05:00"},
		{"00:00", "00:00:00"},
		{"23:59:59", "23:59:59"},
		{"22:00:30", "22:00:30"},
		{" 07:00 ", "07:00:00"},
		{"\t07:00:05\n", "07:00:05"},
		{"24:00", ""},
		{"7:00", ""},
		{"07:0", ""},
		{"07:60", ""},
		{"07:00:60", ""},
		{"07:00:00.5", ""},
		{"07:00:", ""},
		{"0700", ""},
		{"07-00", ""},
		{"07:00-00", ""},
		{"+7:00", ""},
		{"07:00 am", ""},
		{"", ""},
	}
	for _, tt := range tests {
		c, ok := ParseClock(tt.in)
		if ok != (tt.want != "") {
			t.Errorf("ParseClock(%q) ok = %v, want %v", tt.in, ok, tt.want != "")
			continue
		}
		if ok && c.String() != tt.want {
			t.Errorf("ParseClock(%q).String() = %q, want %q", tt.in, c.String(), tt.want)
		}
	}
}

func TestClockParts(t *testing.T) {
	c := mustClock(t, "23:05:42")
	if c.Hour() != 23 || c.Minute() != 5 || c.Second() != 42 || c.MinuteOfDay() != 23*60+5 {
		t.Errorf("parts of 23:05:42 = %d %d %d %d", c.Hour(), c.Minute(), c.Second(), c.MinuteOfDay())
	}
	if mustClock(t, "06:30") <= mustClock(t, "06:29:59") {
		t.Error("clock order must follow time order")
	}
}

func TestClockJSON(t *testing.T) {
	out, err := json.Marshal(mustClock(t, "06:30"))
	if err != nil || string(out) != `"06:30:00"` {
		t.Errorf("Marshal = %s, %v", out, err)
	}
	var c Clock
	if err := json.Unmarshal([]byte(`" 07:15 "`), &c); err != nil || c.String() != "07:15:00" {
		t.Errorf("Unmarshal = %v, %v", c, err)
	}
	for _, bad := range []string{`"24:00"`, `700`, `null`} {
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("Unmarshal(%s) accepted an invalid clock", bad)
		}
	}
}
