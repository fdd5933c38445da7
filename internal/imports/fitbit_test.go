package imports

import (
	"strings"
	"testing"
)

func TestFitbit(t *testing.T) {
	file := string(xRead(t, "fitbit/sleep-2024-03-31.json"))
	want := func(prefix string) []string {
		return []string{
			// stages main sleep across the DST change: local clock times as written
			prefix + "record 1 | 2024-03-31 23:40-07:10 zone=- q=- lat=0 aw=10 waso=41 inbed=23:40 out=07:10",
			// classic nap (mainSleep false): awake.count
			prefix + "record 2 | 2024-03-31 14:00-14:45 zone=- q=- lat=3 aw=1 waso=2 inbed=14:00 out=14:45",
			// clamped latency and WASO
			prefix + "record 3 | 2024-03-30 23:00-06:00 zone=- q=- lat=180 aw=3 waso=720 inbed=23:00 out=06:00",
		}
	}
	wantInvalid := func(prefix string) string {
		return prefix + "record 4: endTime is not after startTime; " + prefix + "record 5: minutesAwake must be a JSON number"
	}
	t.Run("one file", func(t *testing.T) {
		s, err := xParse(t, ParseFitbit, xInput("sleep-2024-03-31.json", []byte(file), "Europe/London"))
		if err != nil {
			t.Fatal(err)
		}
		xDiff(t, s.lines(), want("sleep-2024-03-31.json "))
		if got := strings.Join(s.invalid, "; "); got != wantInvalid("sleep-2024-03-31.json ") {
			t.Errorf("invalid %s", got)
		}
	})
	t.Run("takeout zip with many files anywhere", func(t *testing.T) {
		second := `[{"logId":1,"startTime":"2024-04-01T22:00:00.000","endTime":"2024-04-02T06:00:00.000","minutesToFallAsleep":5,"minutesAwake":30,"type":"stages","levels":{"summary":{"wake":{"count":4}}},"mainSleep":true}]`
		z := xZip(t,
			"Takeout/Fitbit/Global Export Data/heart_rate-2024-03-31.json", `[{"dateTime":"03/31/24 00:00:00","value":{"bpm":60}}]`,
			"Takeout/Fitbit/Global Export Data/sleep-2024-03-31.json", file,
			"Takeout/Fitbit/Sleep Score/sleep_score.csv", "sleep_log_entry_id,timestamp\n",
			"other/sleep-2024-04-30.json", second)
		s, err := xParse(t, ParseFitbit, xInput("takeout.zip", z, ""))
		if err != nil {
			t.Fatal(err)
		}
		xDiff(t, s.lines(), append(want("Takeout/Fitbit/Global Export Data/sleep-2024-03-31.json "),
			"other/sleep-2024-04-30.json record 1 | 2024-04-02 22:00-06:00 zone=- q=- lat=5 aw=4 waso=30 inbed=22:00 out=06:00"))
	})
	t.Run("empty array", func(t *testing.T) {
		s, err := xParse(t, ParseFitbit, xInput("sleep-2024-05-01.json", []byte("[]\n"), ""))
		if err != nil || len(s.sessions) != 0 {
			t.Fatal(err, s.lines())
		}
	})
}

func TestFitbitUnreadable(t *testing.T) {
	file := string(xRead(t, "fitbit/sleep-2024-03-31.json"))
	truncated := file[:strings.Index(file, `"type" : "classic"`)]
	malformed := strings.Replace(file, `"minutesAsleep" : 40,`, `"minutesAsleep" : 40,,`, 1)
	cases := []struct{ name, content, want string }{
		{"truncated", truncated, "sleep-2024-03-31.json line 55: unexpected end of file"},
		{"malformed", malformed, "sleep-2024-03-31.json line 50: malformed JSON: invalid character ',' looking for beginning of object key string"},
		{"not an array", `{"sleep":[]}`, "sleep-2024-03-31.json line 1: expected a JSON array of sleep logs"},
		{"trailing garbage", "[]\n[]", "sleep-2024-03-31.json line 2: unexpected content after the array"},
		{"BOM then truncated", "\xEF\xBB\xBF[\n{\"startTime\"", "sleep-2024-03-31.json line 2: unexpected end of file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := xParse(t, ParseFitbit, xInput("sleep-2024-03-31.json", []byte(tc.content), ""))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("inside a zip the entry is named", func(t *testing.T) {
		z := xZip(t, "Takeout/Fitbit/Global Export Data/sleep-2024-03-31.json", truncated)
		_, err := xParse(t, ParseFitbit, xInput("takeout.zip", z, ""))
		if want := "Takeout/Fitbit/Global Export Data/sleep-2024-03-31.json line 55: unexpected end of file"; err == nil || err.Error() != want {
			t.Fatalf("error %v, want %q", err, want)
		}
	})
	t.Run("one giant value is bounded", func(t *testing.T) {
		huge := `[{"startTime":"` + strings.Repeat("x", maxJSONValueBytes+1024) + `"}]`
		_, err := xParse(t, ParseFitbit, xInput("sleep-x.json", []byte(huge), ""))
		if err == nil || !strings.HasSuffix(err.Error(), "a JSON value is larger than 32 MiB") {
			t.Fatalf("error %v", err)
		}
	})
}
