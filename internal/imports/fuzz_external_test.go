package imports

import (
	"context"
	"testing"
)

// The fuzz targets feed arbitrary bytes to each external parser (as a plain
// upload and, when the bytes are a zip, as an archive) and to every Detect.
// They must never panic, and every record they report must be in range.
// Memory stays bounded by construction (a 1 MiB expansion budget, bounded
// CSV lines, JSON values and XML constructs), which the targets exercise.
// Seed corpora: testdata/fuzz/<target>/.

func fuzzParser(f *testing.F, p Parser, seeds ...string) {
	for _, s := range seeds {
		f.Add(xRead(f, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := xInput("upload", data, "Europe/London")
		in.MaxArchiveEntries = 50
		in.MaxExpandedBytes = 1 << 20
		for _, fm := range ExternalFormats() {
			fm.Detect(in, data)
		}
		s := &xSink{}
		_ = p(context.Background(), in, s)
		for _, r := range s.sessions {
			if r.Date.IsZero() || r.Bed < 0 || r.Bed >= 86400 || r.Wake < 0 || r.Wake >= 86400 ||
				r.Bed.Second() != 0 || r.Wake.Second() != 0 {
				t.Fatalf("record out of range: %s", xLine(r))
			}
			for _, c := range []struct {
				v   *int
				max int
			}{{r.LatencyMin, maxImportLatencyMin}, {r.Awakenings, maxImportAwakenings}, {r.WasoMin, maxImportWasoMin}, {r.Quality, 5}} {
				if c.v != nil && (*c.v < 0 || *c.v > c.max) {
					t.Fatalf("count out of range: %s", xLine(r))
				}
			}
			if r.Where == "" {
				t.Fatalf("record without where: %s", xLine(r))
			}
		}
	})
}

func FuzzSleepAsAndroid(f *testing.F) {
	fuzzParser(f, ParseSleepAsAndroid, "sleep-as-android/sleep-export.csv")
}

func FuzzPleesTracker(f *testing.F) {
	fuzzParser(f, ParsePleesTracker, "plees-tracker/plees-tracker.csv")
}

func FuzzFitbit(f *testing.F) {
	fuzzParser(f, ParseFitbit, "fitbit/sleep-2024-03-31.json")
}

func FuzzAppleHealth(f *testing.F) {
	fuzzParser(f, ParseAppleHealth, "apple-health/export.xml")
}

func FuzzOura(f *testing.F) {
	fuzzParser(f, ParseOura, "oura/sleep.json")
}
