package imports

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/sleep"
)

// xSink records everything a parser reports, in order (no store, no rules).
type xSink struct {
	sessions   []SessionRecord
	notes      []NoteRecord
	invalid    []string // "where: message"
	duplicates []string
}

func (s *xSink) Session(r SessionRecord) { s.sessions = append(s.sessions, r) }
func (s *xSink) Note(r NoteRecord)       { s.notes = append(s.notes, r) }
func (s *xSink) Exercise(ExerciseRecord) {}
func (s *xSink) Settings(SettingsRecord) {}
func (s *xSink) Duplicate(where string)  { s.duplicates = append(s.duplicates, where) }
func (s *xSink) Invalid(where, m string) { s.invalid = append(s.invalid, where+": "+m) }
func (s *xSink) lines() []string         { return xLines(s.sessions) }

// xLine summarises a record on one line for table tests:
// "<where> <date> <bed>-<wake> zone=… q=… lat=… aw=… waso=… inbed=… out=…".
func xLine(r SessionRecord) string {
	zone := "-"
	if r.Zone != nil {
		zone = r.Zone.String()
	}
	return fmt.Sprintf("%s | %s %s-%s zone=%s q=%s lat=%s aw=%s waso=%s inbed=%s out=%s",
		r.Where, r.Date, hm(r.Bed), hm(r.Wake), zone, xInt(r.Quality), xInt(r.LatencyMin), xInt(r.Awakenings),
		xInt(r.WasoMin), xClock(r.InBed), xClock(r.OutOfBed))
}

func xLines(rs []SessionRecord) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = xLine(r)
	}
	return out
}

func hm(c sleep.Clock) string {
	if c.Second() != 0 {
		return c.String() // seconds must have been dropped: make it visible
	}
	return c.String()[:5]
}

func xInt(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

func xClock(p *sleep.Clock) string {
	if p == nil {
		return "-"
	}
	return hm(*p)
}

// xInput wraps content as a spooled upload.
func xInput(name string, content []byte, zone string) Input {
	loc := time.UTC
	if zone != "" {
		l, err := sleep.LoadZone(zone)
		if err != nil {
			panic(err)
		}
		loc = l
	}
	return Input{
		Reader: bytes.NewReader(content), ReaderAt: bytes.NewReader(content), Size: int64(len(content)),
		Name: name, Timezone: loc, MaxArchiveEntries: 10000, MaxExpandedBytes: 64 << 20,
	}
}

func xRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// xZip builds a zip of name → content pairs, in order.
func xZip(t testing.TB, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := zw.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(entries[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xParse(t testing.TB, p Parser, in Input) (*xSink, error) {
	t.Helper()
	s := &xSink{}
	err := p(context.Background(), in, s)
	return s, err
}

func xDiff(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestExternalDetect checks that format=auto recognises every fixture, in
// the app's own layout and zipped, and nothing else claims it.
func TestExternalDetect(t *testing.T) {
	saa := string(xRead(t, "sleep-as-android/sleep-export.csv"))
	fit := string(xRead(t, "fitbit/sleep-2024-03-31.json"))
	apple := string(xRead(t, "apple-health/export.xml"))
	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"saa csv", []byte(saa), "sleep-as-android"},
		{"saa csv with BOM", []byte("\xEF\xBB\xBF" + saa), "sleep-as-android"},
		{"saa zip", xZip(t, "sleep-export.csv", saa, "prefs.xml", "<map/>", "alarms.json", "[]"), "sleep-as-android"},
		{"plees", xRead(t, "plees-tracker/plees-tracker.csv"), "plees-tracker"},
		{"fitbit json", []byte(fit), "fitbit"},
		{"fitbit takeout zip", xZip(t, "Takeout/Fitbit/Global Export Data/heart_rate-2024-03-31.json", "[]",
			"Takeout/Fitbit/Global Export Data/sleep-2024-03-31.json", fit), "fitbit"},
		{"apple xml", []byte(apple), "apple-health"},
		{"apple zip", xZip(t, "apple_health_export/export_cda.xml", "<ClinicalDocument/>",
			"apple_health_export/export.xml", apple), "apple-health"},
		{"oura document", xRead(t, "oura/sleep.json"), "oura"},
		{"oura bare array", []byte(`[{"bedtime_start":"2024-03-30T23:05:00+00:00","bedtime_end":"2024-03-31T07:00:00+01:00","type":"long_sleep"}]`), "oura"},
		{"other csv", []byte("date,bed_time,wake_time\n"), ""},
		{"other json", []byte(`{"version":1,"sessions":[]}`), ""},
		{"other zip", xZip(t, "notes.txt", "hello"), ""},
		{"other xml", []byte(`<?xml version="1.0"?><root/>`), ""},
		{"empty", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := xInput("upload", tc.content, "")
			head := tc.content
			if len(head) > 64<<10 {
				head = head[:64<<10]
			}
			var got []string
			for _, f := range ExternalFormats() {
				if f.Detect(in, head) {
					got = append(got, f.Name)
				}
			}
			want := []string{}
			if tc.want != "" {
				want = []string{tc.want}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("detected %v, want %v", got, want)
			}
		})
	}
}

// TestArchiveLimits covers the zip rules of §13.4 for every zip-reading
// parser: the entry count, the expanded total counted while reading (a zip
// bomb), damaged archives, a zip without the expected entry.
func TestArchiveLimits(t *testing.T) {
	apple := xRead(t, "apple-health/export.xml")
	// 4 MiB of spaces inside the root element compress to a few KiB.
	bomb := strings.Replace(string(apple), "<HealthData locale=\"en_GB\">",
		"<HealthData locale=\"en_GB\">"+strings.Repeat(" ", 4<<20), 1)
	many := make([]string, 0, 2*30)
	for i := 0; i < 30; i++ {
		many = append(many, fmt.Sprintf("f%02d.txt", i), "x")
	}
	fit := string(xRead(t, "fitbit/sleep-2024-03-31.json"))
	bigFit := strings.Replace(fit, `"logType" : "auto_detected",`, `"logType" : "auto_detected", "pad" : "`+strings.Repeat("z", 700<<10)+`",`, 1)
	cases := []struct {
		name       string
		parser     Parser
		zip        []byte
		maxEntries int
		maxBytes   int64
		wantErr    string
	}{
		{"apple zip bomb", ParseAppleHealth, xZip(t, "apple_health_export/export.xml", bomb), 0, 1 << 20, "archive expands beyond 1 MiB"},
		{"apple within budget", ParseAppleHealth, xZip(t, "apple_health_export/export.xml", bomb), 0, 8 << 20, ""},
		{"fitbit budget spans entries", ParseFitbit, xZip(t, "a/sleep-2024-01-01.json", bigFit, "b/sleep-2024-02-01.json", bigFit), 0, 1 << 20, "archive expands beyond 1 MiB"},
		{"saa too many entries", ParseSleepAsAndroid, xZip(t, append(many, "sleep-export.csv", "Id,Tz,From,To\n")...), 10, 0, "archive has more than 10 entries"},
		{"saa entry missing", ParseSleepAsAndroid, xZip(t, "prefs.xml", "<map/>"), 0, 0, "upload.zip: sleep-export.csv not found in the archive"},
		{"apple entry missing", ParseAppleHealth, xZip(t, "apple_health_export/export_cda.xml", "<x/>"), 0, 0, "upload.zip: apple_health_export/export.xml not found in the archive"},
		{"fitbit entry missing", ParseFitbit, xZip(t, "Takeout/Fitbit/heart_rate-2024-01-01.json", "[]"), 0, 0, "upload.zip: no sleep-*.json file in the archive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := xInput("upload.zip", tc.zip, "")
			if tc.maxEntries > 0 {
				in.MaxArchiveEntries = tc.maxEntries
			}
			if tc.maxBytes > 0 {
				in.MaxExpandedBytes = tc.maxBytes
			}
			_, err := xParse(t, tc.parser, in)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr):
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
	t.Run("truncated zip", func(t *testing.T) {
		z := xZip(t, "sleep-export.csv", string(xRead(t, "sleep-as-android/sleep-export.csv")))
		_, err := xParse(t, ParseSleepAsAndroid, xInput("sleep-export.zip", z[:len(z)/2], ""))
		if err == nil || !strings.HasPrefix(err.Error(), "sleep-export.zip: not a readable zip archive") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("damaged entry", func(t *testing.T) {
		z := xZip(t, "apple_health_export/export.xml", string(apple))
		// Flip bytes in the middle of the compressed data (the local header
		// and name take the first ~60 bytes).
		bad := bytes.Clone(z)
		for i := 200; i < 260; i++ {
			bad[i] ^= 0x5a
		}
		_, err := xParse(t, ParseAppleHealth, xInput("export.zip", bad, ""))
		if err == nil || !strings.HasPrefix(err.Error(), "apple_health_export/export.xml") {
			t.Fatalf("error %v, want one naming the entry", err)
		}
	})
	t.Run("declared entry count checked before reading the directory", func(t *testing.T) {
		z := xZip(t, many...)
		n, ok := zipDeclaredEntries(bytes.NewReader(z), int64(len(z)))
		if !ok || n != 30 {
			t.Fatalf("declared entries %d %v, want 30", n, ok)
		}
	})
}

// TestExternalCanceled: a discarded job's context stops every parser with
// the context's error, not a parse error.
func TestExternalCanceled(t *testing.T) {
	files := map[string]string{
		"sleep-as-android": "sleep-as-android/sleep-export.csv", "plees-tracker": "plees-tracker/plees-tracker.csv",
		"fitbit": "fitbit/sleep-2024-03-31.json", "apple-health": "apple-health/export.xml", "oura": "oura/sleep.json",
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, f := range ExternalFormats() {
		err := f.Parse(ctx, xInput("", xRead(t, files[f.Name]), ""), &xSink{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", f.Name, err)
		}
	}
}
