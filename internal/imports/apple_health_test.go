package imports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"sleeptracker/internal/imports/applehealthgen"
)

func TestAppleHealth(t *testing.T) {
	xml := string(xRead(t, "apple-health/export.xml"))
	want := func(p string) []string {
		return []string{
			// Watch stages across the DST change (samples out of order in the
			// file): onset 23:30 +0000, final wake 07:05 +0100; gaps of 7 and
			// 2 minutes = WASO 9, one awakening. The phone's InBed-only night
			// (line 31) has no asleep time and is dropped.
			p + "line 32 | 2024-03-31 23:30-07:05 zone=- q=- lat=- aw=1 waso=9 inbed=- out=-",
			// Two sources the same night: the watch has 450 asleep minutes,
			// AutoSleep 445 (its night at line 43 is the duplicate).
			p + "line 46 | 2024-04-02 23:00-06:30 zone=- q=- lat=- aw=0 waso=0 inbed=- out=-",
			// A tie on minutes (420): AutoSleep has more samples; its InBed
			// gives in-bed 22:30, latency 15, out of bed 06:15.
			p + "line 57 | 2024-04-03 22:30-05:50 zone=- q=- lat=15 aw=1 waso=5 inbed=22:30 out=06:15",
			// The 60-minute rule: 02:00 starts exactly 60 min after 01:00 and
			// joins; 07:01 starts 61 min after 06:00 and is a night of its own.
			p + "line 63 | 2024-04-05 23:00-06:00 zone=- q=- lat=- aw=1 waso=60 inbed=- out=-",
			p + "line 62 | 2024-04-05 07:01-07:30 zone=- q=- lat=- aw=0 waso=0 inbed=- out=-",
			// A tie on minutes and samples: "AutoSleep & Co" < "Jan's Apple Watch".
			p + "line 69 | 2024-04-07 23:30-07:30 zone=- q=- lat=- aw=0 waso=0 inbed=- out=-",
			// Travelling: the clock in the sample's own offset (-0400); the
			// type attribute comes last on this record.
			p + "line 71 | 2024-04-09 23:15-06:45 zone=- q=- lat=- aw=0 waso=0 inbed=- out=-",
		}
	}
	wantDup := func(p string) string {
		return p + "line 43, " + p + "line 56, " + p + "line 67"
	}
	wantInvalid := func(p string) string {
		return p + `line 65: unknown sleep analysis value "HKCategoryValueSleepAnalysisDreaming"; ` +
			p + `line 66: startDate "2024-04-05 13:00:00" is not a time like 2023-04-04 23:10:00 +0200`
	}
	for _, tc := range []struct {
		name, prefix string
		in           Input
	}{
		{"export.xml", "export.xml ", xInput("export.xml", []byte(xml), "Asia/Tokyo")},
		{"unnamed export.xml", "export.xml ", xInput("", []byte(xml), "")},
		{"export.zip", "apple_health_export/export.xml ", xInput("export.zip", xZip(t,
			"apple_health_export/export_cda.xml", "<ClinicalDocument/>",
			"apple_health_export/workout-routes/route_2024-04-02_6.42pm.gpx", "<gpx/>",
			"apple_health_export/export.xml", xml), "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := xParse(t, ParseAppleHealth, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			xDiff(t, s.lines(), want(tc.prefix))
			if got := strings.Join(s.duplicates, ", "); got != wantDup(tc.prefix) {
				t.Errorf("duplicates %s, want %s", got, wantDup(tc.prefix))
			}
			if got := strings.Join(s.invalid, "; "); got != wantInvalid(tc.prefix) {
				t.Errorf("invalid:\n got %s\nwant %s", got, wantInvalid(tc.prefix))
			}
		})
	}
}

// TestAppleHealthNightRules checks the arithmetic of §14 on small nights.
func TestAppleHealthNightRules(t *testing.T) {
	rec := func(src, start, end, value string) string {
		return fmt.Sprintf(` <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName=%q startDate="2024-06-0%s" endDate="2024-06-0%s" value="HKCategoryValueSleepAnalysis%s"/>`+"\n", src, start, end, value)
	}
	doc := func(records ...string) []byte {
		return []byte("<?xml version=\"1.0\"?>\n<HealthData locale=\"en_US\">\n" + strings.Join(records, "") + "</HealthData>\n")
	}
	cases := []struct {
		name    string
		records []string
		want    []string
		dups    int
	}{
		{"15-minute floor: 14:59 dropped, 15:00 kept", []string{
			rec("W", "1 13:00:00 +0000", "1 13:14:59 +0000", "AsleepCore"),
			rec("W", "2 13:00:00 +0000", "2 13:15:00 +0000", "AsleepCore"),
		}, []string{"line 4 | 2024-06-02 13:00-13:15 zone=- q=- lat=- aw=0 waso=0 inbed=- out=-"}, 0},
		{"awake samples do not count as asleep but a 4:59 gap is no awakening", []string{
			rec("W", "1 23:00:00 +0200", "2 01:00:00 +0200", "Asleep"),
			rec("W", "2 01:00:00 +0200", "2 01:04:59 +0200", "Awake"),
			rec("W", "2 01:04:59 +0200", "2 03:00:00 +0200", "Asleep"),
			rec("W", "2 03:00:00 +0200", "2 03:05:00 +0200", "Awake"),
			rec("W", "2 03:05:00 +0200", "2 06:00:30 +0200", "AsleepUnspecified"),
		}, []string{"line 3 | 2024-06-02 23:00-06:00 zone=- q=- lat=- aw=1 waso=9 inbed=- out=-"}, 0},
		{"overlapping asleep samples are a union; InBed after onset", []string{
			rec("W", "1 22:00:00 +0000", "2 02:00:00 +0000", "AsleepCore"),
			rec("W", "1 23:00:00 +0000", "2 01:00:00 +0000", "AsleepDeep"),
			rec("W", "1 22:10:00 +0000", "2 06:00:00 +0000", "InBed"),
			rec("W", "2 02:00:00 +0000", "2 05:30:00 +0000", "AsleepREM"),
		}, []string{"line 3 | 2024-06-02 22:00-05:30 zone=- q=- lat=0 aw=0 waso=0 inbed=22:00 out=06:00"}, 0},
		{"latency clamped to 180, offsets differ between in-bed and onset", []string{
			rec("P", "1 18:00:00 +0100", "2 07:00:00 +0100", "InBed"),
			rec("P", "1 22:30:00 +0100", "2 06:00:00 +0100", "Asleep"),
		}, []string{"line 3 | 2024-06-02 18:00-06:00 zone=- q=- lat=180 aw=0 waso=0 inbed=18:00 out=07:00"}, 0},
		{"three sources, chained overlaps", []string{
			rec("A", "1 22:00:00 +0000", "2 02:00:00 +0000", "Asleep"), // 240
			rec("B", "2 01:00:00 +0000", "2 08:00:00 +0000", "Asleep"), // 420, best
			rec("C", "2 07:30:00 +0000", "2 09:00:00 +0000", "Asleep"), // 90
		}, []string{"line 4 | 2024-06-02 01:00-08:00 zone=- q=- lat=- aw=0 waso=0 inbed=- out=-"}, 2},
		{"nights that only touch do not overlap", []string{
			rec("A", "1 22:00:00 +0000", "2 02:00:00 +0000", "Asleep"),
			rec("B", "2 02:00:00 +0000", "2 03:00:00 +0000", "Asleep"),
		}, []string{
			"line 3 | 2024-06-02 22:00-02:00 zone=- q=- lat=- aw=0 waso=0 inbed=- out=-",
			"line 4 | 2024-06-02 02:00-03:00 zone=- q=- lat=- aw=0 waso=0 inbed=- out=-",
		}, 0},
		{"ten awakenings at most, WASO 720 at most", func() []string {
			var rs []string
			for i := 0; i < 13; i++ {
				s := fmt.Sprintf("2 %02d:00:00 +0000", i)
				e := fmt.Sprintf("2 %02d:50:00 +0000", i)
				rs = append(rs, rec("W", s, e, "Asleep"))
			}
			return rs
		}(), []string{"line 3 | 2024-06-02 00:00-12:50 zone=- q=- lat=- aw=10 waso=120 inbed=- out=-"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := xParse(t, ParseAppleHealth, xInput("", doc(tc.records...), ""))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, w := range tc.want {
				want = append(want, "export.xml "+w)
			}
			xDiff(t, s.lines(), want)
			if len(s.duplicates) != tc.dups || len(s.invalid) != 0 {
				t.Errorf("duplicates %v, invalid %v", s.duplicates, s.invalid)
			}
		})
	}
}

func TestAppleHealthUnreadable(t *testing.T) {
	xml := string(xRead(t, "apple-health/export.xml"))
	deep := "<HealthData>" + strings.Repeat("<a>", 64) + strings.Repeat("</a>", 64) + "</HealthData>"
	cases := []struct{ name, content, want string }{
		{"truncated inside a tag", xml[:strings.Index(xml, `value="HKCategoryValueSleepAnalysisAsleepREM"`)],
			"export.xml line 36: unexpected end of file"},
		{"truncated between elements", xml[:strings.Index(xml, " <Workout ")],
			"export.xml line 48: unexpected end of file"},
		{"mismatched end tag", strings.Replace(xml, " </Correlation>", " </Workout>", 1),
			"export.xml line 42: </Workout> does not close <Correlation>"},
		{"unquoted attribute", strings.Replace(xml, `bpm="63"`, `bpm=63`, 1),
			"export.xml line 76: attribute bpm of <InstantaneousBeatsPerMinute> is not quoted"},
		{"unknown entity in a sleep record", strings.Replace(xml, `sourceName="AutoSleep &amp; Co" startDate="2024-04-01 22:40:00`, `sourceName="AutoSleep &xxe; Co" startDate="2024-04-01 22:40:00`, 1),
			"export.xml line 43: sourceName: unknown entity &xxe;"},
		{"too deep", deep, "export.xml line 1: elements nested deeper than 64"},
		{"not health data", `<?xml version="1.0"?><plist version="1.0"/>`, "export.xml line 1: not an Apple Health export: the root element is <plist>, not <HealthData>"},
		{"content after the root", xml + "<HealthData/>", "export.xml line 80: content after the HealthData element"},
		{"unterminated comment", xml[:strings.Index(xml, "inside is not a record")], "export.xml line 72: unexpected end of file"},
		{"empty", "", "export.xml line 1: not an Apple Health export: no HealthData element"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := xParse(t, ParseAppleHealth, xInput("export.xml", []byte(tc.content), ""))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("a source name too long to keep is an invalid sample", func(t *testing.T) {
		doc := "<HealthData>\n" + `<Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="` + strings.Repeat("n", 1025) +
			`" startDate="2024-06-01 22:00:00 +0000" endDate="2024-06-02 06:00:00 +0000" value="HKCategoryValueSleepAnalysisAsleep"/>` + "\n</HealthData>"
		s, err := xParse(t, ParseAppleHealth, xInput("export.xml", []byte(doc), ""))
		if err != nil || len(s.sessions) != 0 || strings.Join(s.invalid, ";") != "export.xml line 2: sourceName is longer than 1024 bytes" {
			t.Fatalf("%v %v %v", err, s.lines(), s.invalid)
		}
	})
	t.Run("depth 64 is allowed", func(t *testing.T) {
		ok := "<HealthData>" + strings.Repeat("<a>", 63) + strings.Repeat("</a>", 63) + "</HealthData>"
		if _, err := xParse(t, ParseAppleHealth, xInput("export.xml", []byte(ok), "")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an external entity in the DTD is never fetched nor expanded", func(t *testing.T) {
		doc := `<?xml version="1.0"?>
<!DOCTYPE HealthData [
<!ENTITY xxe SYSTEM "file:///etc/passwd">
<!ENTITY lol "lol&lol;">
]>
<HealthData>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="&xxe;" startDate="2024-06-01 22:00:00 +0000" endDate="2024-06-02 06:00:00 +0000" value="HKCategoryValueSleepAnalysisAsleep"/>
</HealthData>`
		_, err := xParse(t, ParseAppleHealth, xInput("export.xml", []byte(doc), ""))
		if want := "export.xml line 7: sourceName: unknown entity &xxe;"; err == nil || err.Error() != want {
			t.Fatalf("error %v, want %q", err, want)
		}
	})
}

// TestAppleHealthGenerated parses a generated export (a few years, a few
// MiB) and checks it found exactly the nights the generator wrote: one per
// recorded night, the second source's copy as a duplicate.
func TestAppleHealthGenerated(t *testing.T) {
	var buf bytes.Buffer
	st, err := applehealthgen.Generate(&buf, applehealthgen.Options{Seed: 7, Size: 6 << 20, Days: 400})
	if err != nil {
		t.Fatal(err)
	}
	// Tiny reads: every construct straddles buffer refills somewhere.
	in := xInput("export.xml", buf.Bytes(), "")
	in.Reader = &chunkReader{data: buf.Bytes(), n: 777}
	s := &xSink{}
	if err := ParseAppleHealth(context.Background(), in, s); err != nil {
		t.Fatal(err)
	}
	if len(s.sessions) != st.Nights() || len(s.duplicates) != st.Both || len(s.invalid) != 0 {
		t.Fatalf("sessions %d duplicates %d invalid %d; generator: %s", len(s.sessions), len(s.duplicates), len(s.invalid), st)
	}
	for i := 1; i < len(s.sessions); i++ {
		if !s.sessions[i].Date.After(s.sessions[i-1].Date) {
			t.Fatalf("nights out of order or doubled: %s then %s", xLine(s.sessions[i-1]), xLine(s.sessions[i]))
		}
	}
}

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), c.n, len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

// TestAppleHealthMemoryFlat: the same month of sleep among 8× more other
// records must not cost more memory: only sleep samples are kept.
func TestAppleHealthMemoryFlat(t *testing.T) {
	allocs := func(size int64) (uint64, int) {
		var buf bytes.Buffer
		if _, err := applehealthgen.Generate(&buf, applehealthgen.Options{Seed: 9, Size: size, Days: 30}); err != nil {
			t.Fatal(err)
		}
		in := xInput("export.xml", buf.Bytes(), "")
		var before, after runtime.MemStats
		s := &xSink{}
		runtime.GC()
		runtime.ReadMemStats(&before)
		if err := ParseAppleHealth(context.Background(), in, s); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc, len(s.sessions)
	}
	small, n1 := allocs(2 << 20)
	large, n2 := allocs(16 << 20)
	t.Logf("allocated %d KiB for 2 MiB (%d nights), %d KiB for 16 MiB (%d nights)", small>>10, n1, large>>10, n2)
	if large > small+256<<10 {
		t.Fatalf("parsing 16 MiB allocated %d KiB, 2 MiB %d KiB: memory grows with the file", large>>10, small>>10)
	}
}
