package sleep

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func FuzzParseDate(f *testing.F) {
	for _, seed := range []string{"2025-06-01", "2024-02-29", "2025-02-30", "1899-12-31", "2999-12-31",
		"2025-6-1", "2025-06-01T00:00", "", "0000-00-00", "9999-99-99"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if !ok {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) rejected but returned %v", s, d)
			}
			return
		}
		// Only the canonical form is accepted, so it must round-trip exactly.
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if again, ok := ParseDate(d.String()); !ok || again != d {
			t.Fatalf("round trip of %q failed", s)
		}
		if next := d.AddDays(1); next.DaysSince(d) != 1 || !next.After(d) {
			t.Fatalf("AddDays(1) of %v = %v", d, next)
		}
	})
}

func FuzzParseClock(f *testing.F) {
	for _, seed := range []string{"07:00", "23:59:59", " 07:00 ", "24:00", "7:00", "07:60", "07:00:00.5",
		"", "\u00a007:00\u2003"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseClock(s)
		if !ok {
			return
		}
		if c < 0 || c >= secondsPerDay {
			t.Fatalf("ParseClock(%q) = %d, outside a day", s, int(c))
		}
		again, ok := ParseClock(c.String())
		if !ok || again != c || len(c.String()) != 8 {
			t.Fatalf("ParseClock(%q) = %v does not round-trip", s, c)
		}
	})
}

func FuzzParseSleepInput(f *testing.F) {
	seeds := []string{
		`{"date":"2025-06-17","bed_time":"23:05","wake_time":"06:30","latency_min":15,"awakenings":0,"quality":4}`,
		`{"date":"2025-06-17","bed_time":"23:05","wake_time":"06:30","latency_min":180,"awakenings":10,"quality":5,"exercise_intensity":"hard","note":" hi "}`,
		`{"date":"2025-06-17","bed_time":"23:05","wake_time":"06:30","latency_min":1e1,"awakenings":0,"quality":4}`,
		`{"date":"2025-06-17","bed_time":"23:05","wake_time":"06:30","latency_min":99999999999999999999,"awakenings":0,"quality":4}`,
		`{"date":null}`, `{}`, `[]`, `{"quality":-0}`,
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fields Fields
		if json.Unmarshal(body, &fields) != nil {
			return
		}
		in, err := ParseSleepInput(fields)
		if err != nil {
			if de := AsError(err); de == nil || de.Code != CodeInvalid || de.Message == "" {
				t.Fatalf("error %v is not a domain validation error", err)
			}
			return
		}
		if in.Date.IsZero() || in.Bed < 0 || in.Bed >= secondsPerDay || in.Wake < 0 || in.Wake >= secondsPerDay ||
			!LatencyRange.contains(in.LatencyMin) || !AwakeningsRange.contains(in.Awakenings) ||
			!QualityRange.contains(in.Quality) || WasoRange.Outside(in.WasoMin) ||
			RestedRange.Outside(in.Rested) || DrinksRange.Outside(in.AlcoholDrinks) ||
			DrinksRange.Outside(in.CaffeineDrinks) ||
			PreMin(in.Bed, in.InBed) > 720 || PostMin(in.Wake, in.OutOfBed) > 720 {
			t.Fatalf("accepted out-of-range input %+v from %s", in, body)
		}
		if in.ExerciseIntensity != nil && in.ExerciseIntensity.String() == "" {
			t.Fatalf("accepted unknown intensity %d", *in.ExerciseIntensity)
		}
		if in.Medication != nil && (*in.Medication == "" || utf8.RuneCountInString(*in.Medication) > MaxMedicationChars) {
			t.Fatalf("accepted medication %q", *in.Medication)
		}
		if in.Note != nil && utf8.RuneCountInString(*in.Note) > MaxNoteChars {
			t.Fatalf("accepted a note of %d characters", utf8.RuneCountInString(*in.Note))
		}
		// Durations of accepted inputs never panic, in a zone with DST.
		ny, _ := LoadZone("America/New_York")
		if minutes, _, err := ComputeDuration(in.Date, in.Bed, in.Wake, ny); err == nil && (minutes <= 0 || minutes > 25*60) {
			t.Fatalf("duration %d outside (0, 25h]", minutes)
		}
	})
}

// contains reports whether a required value is set and inside r.
func (r IntRange) contains(p *int) bool {
	return p != nil && int64(*p) >= r.Min && int64(*p) <= r.Max
}
