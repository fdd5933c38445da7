package applehealthgen

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"
)

func TestGenerateDeterministic(t *testing.T) {
	gen := func(seed uint64) ([32]byte, Stats, string) {
		var buf bytes.Buffer
		st, err := Generate(&buf, Options{Seed: seed, Size: 2 << 20, Days: 120})
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(buf.Bytes()), st, buf.String()
	}
	a, sa, text := gen(3)
	b, sb, _ := gen(3)
	c, _, _ := gen(4)
	if a != b || sa != sb {
		t.Fatal("the same seed gave different files")
	}
	if a == c {
		t.Fatal("different seeds gave the same file")
	}
	if sa.Bytes < 2<<20 || sa.Bytes > 2<<20+64<<10 {
		t.Errorf("size %d, want about 2 MiB", sa.Bytes)
	}
	if sa.Nights() == 0 || sa.Both == 0 || sa.WatchOnly == 0 || sa.AppOnly == 0 || sa.Nights() > 120 {
		t.Errorf("stats %s", sa)
	}
	for _, want := range []string{"<!DOCTYPE HealthData [", "<ExportDate ", "<Me ", "<Correlation ", "<Workout ",
		"<WorkoutRoute ", "<ActivitySummary ", "HKQuantityTypeIdentifierHeartRate", "+0100", "+0000", "&amp;"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the generated file", want)
		}
	}
	if !strings.HasSuffix(text, "</HealthData>\n") {
		t.Error("the file does not end with </HealthData>")
	}
}
