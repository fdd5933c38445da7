package imports

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRealExports parses the real exports of ../shared/fixtures (files the
// apps themselves wrote; see its README) when that folder is present, and
// logs what it read: run with -v to see it. SLEEPTRACKER_FIXTURES overrides
// the folder (default ../../../shared/fixtures from this package).
//
// It fails on an unreadable file, on a format detection that picks another
// format, and on problems the files do not deserve: every invalid record
// must be one whose To is not after From (Sleep as Android's "test
// recordings" of under a minute).
func TestRealExports(t *testing.T) {
	dir := os.Getenv("SLEEPTRACKER_FIXTURES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "fixtures")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no real exports at %s (set SLEEPTRACKER_FIXTURES): %v", dir, err)
	}
	byFolder := map[string]string{"sleep-as-android": "sleep-as-android", "plees-tracker": "plees-tracker", "fitbit": "fitbit", "apple-health": "apple-health", "oura": "oura"}
	formats := ExternalFormats()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	slices.Sort(files)
	parsed := 0
	for _, path := range files {
		want, ok := byFolder[filepath.Base(filepath.Dir(path))]
		if !ok || strings.HasSuffix(path, ".md") {
			continue
		}
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in := xInput(filepath.Base(path), content, "Europe/London")
		head := content[:min(len(content), 64<<10)]
		var detected []string
		var parse Parser
		for _, f := range formats {
			if f.Detect(in, head) {
				detected = append(detected, f.Name)
			}
			if f.Name == want {
				parse = f.Parse
			}
		}
		if len(detected) != 1 || detected[0] != want {
			t.Errorf("%s: detected %v, want %s", path, detected, want)
		}
		s, err := xParse(t, parse, in)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		parsed++
		notes := 0
		first, last := "", ""
		for _, r := range s.sessions {
			notes += len(r.Notes)
			if d := r.Date.String(); first == "" || d < first {
				first = d
			}
			if d := r.Date.String(); d > last {
				last = d
			}
		}
		t.Logf("%s: %d sessions (%s … %s), %d with a note, %d duplicates, %d invalid",
			filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path)), len(s.sessions), first, last, notes, len(s.duplicates), len(s.invalid))
		for _, l := range s.lines() {
			t.Logf("    %s", l)
		}
		for i, r := range s.sessions {
			for _, n := range r.Notes {
				t.Logf("    note of session %d: %q", i+1, n)
			}
		}
		for _, p := range s.invalid {
			t.Logf("    invalid %s", p)
			if !strings.HasSuffix(p, "To is not after From") {
				t.Errorf("%s: a problem the file does not deserve: %s", path, p)
			}
		}
	}
	if parsed == 0 {
		t.Errorf("no real export found under %s", dir)
	}
}
