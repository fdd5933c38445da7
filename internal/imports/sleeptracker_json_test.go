package imports

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func parseOwn(t *testing.T, parse Parser, doc string) (*collection, error) {
	t.Helper()
	in := Input{Reader: strings.NewReader(doc), ReaderAt: bytes.NewReader([]byte(doc)), Size: int64(len(doc)), Timezone: time.UTC}
	c := &collection{}
	return c, parse(context.Background(), in, c)
}

func TestSleepTrackerJSONErrors(t *testing.T) {
	cases := []struct{ doc, want string }{
		{`{"format":"sleeptracker-export","version":1,` + "\n" + `"sessions":[{"date":"2025-06-17"`, "line 2: unexpected end of file"},
		{`{"format":"sleeptracker-export","version":2,"sessions":[]}`, "unsupported SleepTracker export version 2 (this version reads 1)"},
		{`{"format":"other","version":1}`, `not a SleepTracker export: format must be "sleeptracker-export"`},
		{`{"sessions":[]}`, "not a SleepTracker export: format and version are missing"},
		{`[1,2]`, `line 1: malformed JSON: expected "{"`},
		{`{"format":"sleeptracker-export","version":1,"sleep_window":{"wake_time":"6:30"}}`, "sleep_window: wake_time must be a time in HH:MM or HH:MM:SS format"},
	}
	for _, tc := range cases {
		if _, err := parseOwn(t, parseSleepTrackerJSON, tc.doc); err == nil || err.Error() != tc.want {
			t.Errorf("%s\n got %v\nwant %s", tc.doc, err, tc.want)
		}
	}
}

// Unreadable records are reported where they are; a bad note or exercise
// record is a problem, not an invalid session.
func TestSleepTrackerJSONRecords(t *testing.T) {
	doc := `{"format":"sleeptracker-export","version":1,"exported_at":"x","future_field":[1,{"a":2}],
"sessions":[{"date":"2025-06-17","bed_time":"23:05:30","wake_time":"06:30:00","latency_min":"15","duration_min":445},
            {"date":"2025-06-18","bed_time":"23:05:30","wake_time":"06:30:00","latency_min":1.5,"duration_min":445},
            {"date":"2025-06-19","bed_time":"23:05:30","wake_time":"06:30:00","latency_min":null},
            {"date":"2025-06-20","bed_time":"23:05:30","wake_time":"06:30:00","duration_min":445,"medication":"  "}],
"notes":[{"date":"2025-13-01","body":"x"},{"date":"2025-06-17","body":null}],
"exercise":[{"date":"2025-06-17","intensity":"extreme"}]}`
	c, err := parseOwn(t, parseSleepTrackerJSON, doc)
	if err != nil {
		t.Fatal(err)
	}
	p := evaluate(c, Existing{}, ruleOptions{zone: time.UTC, notesAgainstStoredOnly: true})
	r := p.Report
	if r.Records != 4 || r.Sessions.New != 1 || r.Sessions.Invalid != 3 || r.Notes.New != 1 || r.ProblemsTotal != 5 {
		t.Fatalf("report %+v", r)
	}
	want := []Problem{
		{"session 1", "latency_min must be an integer"},
		{"session 2", "latency_min must be an integer"},
		{"session 3", "duration_min is required"},
		{"note 1", "date must be a date in YYYY-MM-DD format (years 1900-2999)"},
		{"exercise 1", "intensity must be one of none, light, hard"},
	}
	for i, w := range want {
		if r.Problems[i] != w {
			t.Errorf("problem %d: %+v, want %+v", i, r.Problems[i], w)
		}
	}
	s := p.Sessions[0]
	if s.Bed.String() != "23:05:30" || s.DurationMin != 445 || s.Medication != nil {
		t.Fatalf("session %+v", s)
	}
}

// One huge value cannot make the parser buffer it whole.
func TestSleepTrackerJSONHugeValue(t *testing.T) {
	doc := `{"format":"sleeptracker-export","version":1,"notes":[{"date":"2025-06-17","body":"` + strings.Repeat("x", 33<<20) + `"}]}`
	_, err := parseOwn(t, parseSleepTrackerJSON, doc)
	if err == nil || err.Error() != "line 1: a JSON value is larger than 32 MiB" {
		t.Fatalf("%v", err)
	}
}

func TestSleepTrackerCSVLongLine(t *testing.T) {
	doc := "date,bed_time,wake_time,duration_min,notes\n2025-06-17,23:00,07:00,480," + strings.Repeat("x", 17<<20) + "\n"
	_, err := parseOwn(t, parseSleepTrackerCSV, doc)
	if err == nil || err.Error() != "line 2: a line longer than 16 MiB" {
		t.Fatalf("%v", err)
	}
}
