package imports

import (
	"strings"
	"testing"
)

func TestSleepAsAndroid(t *testing.T) {
	csv := xRead(t, "sleep-as-android/sleep-export.csv")
	wantSessions := func(prefix string) []string {
		return []string{
			// DST night (clocks forward at 01:00): the clock times as written, in Tz.
			prefix + "line 2 | 2024-03-31 23:15-07:05 zone=Europe/London q=3 lat=- aw=- waso=- inbed=- out=-",
			prefix + "line 4 | 2024-04-02 23:40-06:10 zone=America/New_York q=4 lat=- aw=- waso=- inbed=- out=-",
			prefix + "line 6 | 2024-04-03 00:30-08:00 zone=Asia/Tokyo q=1 lat=- aw=- waso=- inbed=- out=-",
			prefix + "line 8 | 2024-04-05 23:00-06:30 zone=Europe/London q=5 lat=- aw=- waso=- inbed=- out=-",
			prefix + "line 9 | 2024-04-06 22:00-06:00 zone=Europe/London q=- lat=- aw=- waso=- inbed=- out=-",
			prefix + "line 15 | 2024-04-11 22:00-06:00 zone=Europe/London q=1 lat=- aw=- waso=- inbed=- out=-",
		}
	}
	wantInvalid := func(prefix string) string {
		return strings.Join([]string{
			prefix + `line 10: To is not after From`,
			prefix + `line 11: To is before From`,
			prefix + `line 13: unknown time zone "Mars/Olympus_Mons" in Tz`,
			prefix + `line 14: Rating "good" is not a number`,
		}, "; ")
	}
	wantNotes := [][]string{
		{"Slept badly \n woke at 3 #alcohol #stress"},
		{"\"Quoted\" dream, €¥ \n\n #dream"},
		nil, nil, {"Manually added"}, {"#sick"},
	}
	for _, tc := range []struct {
		name, prefix string
		in           Input
	}{
		{"csv", "", xInput("sleep-export.csv", csv, "")},
		{"backup zip", "sleep-export.csv ", xInput("sleep-export.zip",
			xZip(t, "sleep-export.csv", string(csv), "prefs.xml", "<map/>", "alarms.json", "[]"), "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := xParse(t, ParseSleepAsAndroid, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			xDiff(t, s.lines(), wantSessions(tc.prefix))
			if got := strings.Join(s.invalid, "; "); got != wantInvalid(tc.prefix) {
				t.Errorf("invalid:\n got %s\nwant %s", got, wantInvalid(tc.prefix))
			}
			for i, r := range s.sessions {
				if i < len(wantNotes) && strings.Join(r.Notes, "|") != strings.Join(wantNotes[i], "|") {
					t.Errorf("record %d notes %q, want %q", i, r.Notes, wantNotes[i])
				}
			}
		})
	}
}

func TestSleepAsAndroidRatingsAndColumns(t *testing.T) {
	// Columns found by name: a header with Rating before Tz and no Comment.
	head := "Id,Rating,From,To,Tz,Geo,\"1:00\",\"Event\"\n"
	row := func(r string) string {
		return `"1","` + r + `","01. 01. 2024 23:00","02. 01. 2024 7:00","UTC","","0.1","LUX-1-2.0"` + "\n"
	}
	cases := map[string]string{"0.0": "-", "0.25": "1", "1.25": "1", "1.5": "2", "2.5": "3", "2.75": "3", "3.25": "3", "4.5": "5", "4.75": "5", "5.0": "5", "7": "5", "-1": "1", "": "-"}
	for raw, want := range cases {
		s, err := xParse(t, ParseSleepAsAndroid, xInput("", []byte(head+row(raw)), ""))
		if err != nil || len(s.sessions) != 1 {
			t.Fatalf("rating %q: %v %v", raw, err, s.invalid)
		}
		if got := xInt(s.sessions[0].Quality); got != want {
			t.Errorf("rating %q → quality %s, want %s", raw, got, want)
		}
	}
}

func TestSleepAsAndroidUnreadable(t *testing.T) {
	good := string(xRead(t, "sleep-as-android/sleep-export.csv"))
	cases := []struct{ name, content, want string }{
		{"record before any header", "\"1\",\"UTC\"\n", "sleep-export.csv line 1: expected a header line starting with Id,"},
		{"no header", "", "sleep-export.csv: no header line starting with Id,"},
		{"header without From", "Id,Tz,To\n", "sleep-export.csv line 1: the header has no From and To columns"},
		{"unterminated quote (truncated)", good[:strings.Index(good, "Manually")+4], "sleep-export.csv line 9: extraneous or missing \" in quoted-field"},
		{"bare quote", good + "\"1\",\"UTC\",x\"y\n", "sleep-export.csv line 16: bare \" in non-quoted-field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := xParse(t, ParseSleepAsAndroid, xInput("", []byte(tc.content), ""))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("a record of many lines is bounded", func(t *testing.T) {
		huge := "Id,Tz,From,To\n\"1\",\"" + strings.Repeat("many short lines\n", (maxCSVRecordBytes+(1<<20))/17)
		_, err := xParse(t, ParseSleepAsAndroid, xInput("my.csv", []byte(huge), ""))
		if err == nil || !strings.HasPrefix(err.Error(), "my.csv line ") || !strings.HasSuffix(err.Error(), ": record larger than 32 MiB") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("line without a break is bounded", func(t *testing.T) {
		huge := "Id,Tz,From,To\n\"" + strings.Repeat("x", maxCSVLineBytes+10)
		_, err := xParse(t, ParseSleepAsAndroid, xInput("my.csv", []byte(huge), ""))
		if err == nil || err.Error() != "my.csv line 2: line longer than 16 MiB" {
			t.Fatalf("error %v", err)
		}
	})
}
