package imports

import (
	"strings"
	"testing"
)

func TestPleesTracker(t *testing.T) {
	csv := xRead(t, "plees-tracker/plees-tracker.csv")
	cases := []struct {
		zone string
		want []string
	}{
		// The DST night: 22:40 GMT to 08:00 BST is 8 h 20 min of wall clock
		// but 8 h 20 min − 1 h of real time; the clock times are London's.
		{"Europe/London", []string{
			"line 2 | 2024-03-31 22:40-08:00 zone=- q=- lat=- aw=- waso=- inbed=- out=-",
			"line 3 | 2024-04-01 22:30-06:30 zone=- q=5 lat=- aw=- waso=- inbed=- out=-",
			"line 7 | 2024-04-03 23:00-07:00 zone=- q=3 lat=- aw=- waso=- inbed=- out=-",
		}},
		{"Asia/Tokyo", []string{
			"line 2 | 2024-03-31 07:40-16:00 zone=- q=- lat=- aw=- waso=- inbed=- out=-",
			"line 3 | 2024-04-01 06:30-14:30 zone=- q=5 lat=- aw=- waso=- inbed=- out=-",
			"line 7 | 2024-04-03 07:00-15:00 zone=- q=3 lat=- aw=- waso=- inbed=- out=-",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.zone, func(t *testing.T) {
			s, err := xParse(t, ParsePleesTracker, xInput("plees-tracker.csv", csv, tc.zone))
			if err != nil {
				t.Fatal(err)
			}
			xDiff(t, s.lines(), tc.want)
			wantInvalid := `line 4: stop is not after start; line 5: start "abc" is not epoch milliseconds; line 6: rating "7" is not a whole number from 0 to 5`
			if got := strings.Join(s.invalid, "; "); got != wantInvalid {
				t.Errorf("invalid %s", got)
			}
		})
	}
}

func TestPleesTrackerUnreadable(t *testing.T) {
	cases := []struct{ content, want string }{
		{"", "plees.csv: the file is empty"},
		{"sid,begin,end\n", "plees.csv line 1: the header has no start column (want sid,start,stop,rating)"},
		{"sid,start,stop,rating\n1,\"17", "plees.csv line 2: extraneous or missing \" in quoted-field"},
	}
	for _, tc := range cases {
		_, err := xParse(t, ParsePleesTracker, xInput("plees.csv", []byte(tc.content), ""))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: error %v, want %q", tc.content, err, tc.want)
		}
	}
}
