package imports

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// Fuzz targets of SleepTracker's own text formats: no input may panic, and a
// parse either fails with an error or yields records the rules can take.
func fuzzOwn(f *testing.F, parse Parser, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := Input{Reader: bytes.NewReader(data), ReaderAt: bytes.NewReader(data), Size: int64(len(data)), Timezone: time.UTC}
		c := &collection{}
		if err := parse(context.Background(), in, c); err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		p := evaluate(c, Existing{}, utcOptions())
		if p.Report.Sessions.New+p.Report.Sessions.Invalid+p.Report.Sessions.Duplicate+p.Report.Sessions.Overlap != p.Report.Records {
			t.Fatalf("counts %+v do not add up to %d records", p.Report.Sessions, p.Report.Records)
		}
	})
}

func FuzzSleepTrackerJSON(f *testing.F) {
	fuzzOwn(f, parseSleepTrackerJSON,
		`{"format":"sleeptracker-export","version":1,"timezone":"Europe/Paris","sessions":[{"date":"2025-06-17","bed_time":"23:05:00","wake_time":"06:30:00","latency_min":15,"awakenings":0,"quality":4,"duration_min":445,"in_bed_time":null,"waso_min":null,"out_of_bed_time":null,"rested":null,"alcohol_drinks":null,"caffeine_drinks":null,"medication":null}],"exercise":[{"date":"2025-06-17","intensity":"light","start_time":null,"duration_min":null}],"notes":[{"date":"2025-06-17","body":"late coffee"}],"sleep_window":{"wake_time":"06:30:00","window_min":345,"since":"2025-06-10"}}`,
		`{"format":"sleeptracker-export","version":1,"sessions":[1,"x",{"date":"2025-02-30"}]}`,
		`{"format":"sleeptracker-export","version":2}`,
		`{"sessions":[{"date":"2025-06-17","bed_time":"23:05","wake_time":"23:05","duration_min":0}]`,
		`[]`, ``, `{"format":1}`)
}

func FuzzSleepTrackerCSV(f *testing.F) {
	fuzzOwn(f, parseSleepTrackerCSV,
		"date,bed_time,wake_time,duration_min,latency_min,awakenings,quality,in_bed_time,waso_min,out_of_bed_time,rested,alcohol_drinks,caffeine_drinks,medication,exercise_intensity,notes\n"+
			"2025-06-17,23:05:00,06:30:00,445,15,0,4,22:40:00,20,06:50:00,3,0,2,'=x,light,a | b\n",
		"wake_time,date,bed_time,duration_min\n06:30,2025-06-17,23:05,\n07:00,2025-06-17,07:00,\n",
		"date,bed_time,wake_time,duration_min\n\"2025-06-17,23:05\n",
		"\xEF\xBB\xBFdate,bed_time,wake_time,duration_min\r\n2025-06-17,23:05:00,06:30:00,99999999999\r\n",
		"sid,start,stop,rating\n", "")
}
