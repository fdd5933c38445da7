package sleep

import (
	"reflect"
	"strings"
	"testing"
)

const (
	inBedMsg    = "in_bed_time must be a time in HH:MM or HH:MM:SS format"
	outOfBedMsg = "out_of_bed_time must be a time in HH:MM or HH:MM:SS format"
	inBedFarMsg = "in_bed_time must be at most 12 hours before bed_time"
	outFarMsg   = "out_of_bed_time must be at most 12 hours after wake_time"
)

func TestParseSleepInputDiaryItemMessages(t *testing.T) {
	long := strings.Repeat("ü", 200)
	cases := []validationCase{
		{"all items", map[string]string{"in_bed_time": `"22:40"`, "waso_min": `20`, "out_of_bed_time": `"06:50"`,
			"rested": `3`, "alcohol_drinks": `0`, "caffeine_drinks": `30`, "medication": `"melatonin 2 mg 22:00"`}, ""},
		{"all null", map[string]string{"in_bed_time": `null`, "waso_min": `null`, "out_of_bed_time": `null`,
			"rested": `null`, "alcohol_drinks": `null`, "caffeine_drinks": `null`, "medication": `null`}, ""},
		{"in_bed 24:00", map[string]string{"in_bed_time": `"24:00"`}, inBedMsg},
		{"in_bed number", map[string]string{"in_bed_time": `2240`}, "in_bed_time must be a string"},
		{"waso 721", map[string]string{"waso_min": `721`}, "waso_min must be between 0 and 720"},
		{"waso -1", map[string]string{"waso_min": `-1`}, "waso_min must be between 0 and 720"},
		{"waso 720", map[string]string{"waso_min": `720`}, ""},
		{"waso 1.5", map[string]string{"waso_min": `1.5`}, "waso_min must be an integer"},
		{"out_of_bed bad", map[string]string{"out_of_bed_time": `"6:50"`}, outOfBedMsg},
		{"rested 0", map[string]string{"rested": `0`}, "rested must be between 1 and 5"},
		{"rested 6", map[string]string{"rested": `6`}, "rested must be between 1 and 5"},
		{"alcohol 31", map[string]string{"alcohol_drinks": `31`}, "alcohol_drinks must be between 0 and 30"},
		{"caffeine -1", map[string]string{"caffeine_drinks": `-1`}, "caffeine_drinks must be between 0 and 30"},
		{"medication 200 chars", map[string]string{"medication": `"  ` + long + `  "`}, ""},
		{"medication 201 chars", map[string]string{"medication": `"` + long + `x"`}, "medication must be at most 200 characters"},
		{"medication number", map[string]string{"medication": `5`}, "medication must be a string"},
		// Placement on the night's timeline (bed 23:05, wake 06:30).
		{"in_bed 12 h before bed", map[string]string{"in_bed_time": `"11:05"`}, ""},
		{"in_bed 12 h 1 min before bed", map[string]string{"in_bed_time": `"11:04"`}, inBedFarMsg},
		{"in_bed after bed is almost a day before", map[string]string{"in_bed_time": `"23:06"`}, inBedFarMsg},
		{"in_bed seconds dropped", map[string]string{"in_bed_time": `"23:05:59"`}, ""},
		{"out_of_bed 12 h after wake", map[string]string{"out_of_bed_time": `"18:30"`}, ""},
		{"out_of_bed 12 h 1 min after wake", map[string]string{"out_of_bed_time": `"18:31"`}, outFarMsg},
		{"out_of_bed before wake", map[string]string{"out_of_bed_time": `"06:29"`}, outFarMsg},
		// Order: §5.2 fields first, then the table of §12.1, placement after
		// out_of_bed_time's format and before rested.
		{"quality before diary items", map[string]string{"quality": `9`, "waso_min": `999`}, qualMsg},
		{"note before diary items", map[string]string{"note": `1`, "in_bed_time": `"x"`}, "note must be a string"},
		{"in_bed format before waso", map[string]string{"in_bed_time": `"x"`, "waso_min": `999`}, inBedMsg},
		{"waso before out_of_bed", map[string]string{"waso_min": `999`, "out_of_bed_time": `"x"`}, "waso_min must be between 0 and 720"},
		{"out_of_bed format before placement", map[string]string{"in_bed_time": `"11:00"`, "out_of_bed_time": `"x"`}, outOfBedMsg},
		{"in_bed placement before out_of_bed placement", map[string]string{"in_bed_time": `"11:00"`, "out_of_bed_time": `"19:00"`}, inBedFarMsg},
		{"placement before rested", map[string]string{"out_of_bed_time": `"19:00"`, "rested": `9`}, outFarMsg},
		{"rested before alcohol", map[string]string{"rested": `9`, "alcohol_drinks": `99`}, "rested must be between 1 and 5"},
		{"caffeine before medication", map[string]string{"caffeine_drinks": `99`, "medication": `7`}, "caffeine_drinks must be between 0 and 30"},
	}
	runValidationCases(t, sleepBase, cases, func(f Fields) error { _, err := ParseSleepInput(f); return err })
}

func TestInBedBeforeMidnightIsTheEveningBefore(t *testing.T) {
	// SPEC §12.1: in_bed_time 23:50 with bed_time 00:10 is 20 minutes earlier.
	in, err := ParseSleepInput(decodeFields(t, bodyWith(sleepBase, map[string]string{
		"bed_time": `"00:10"`, "in_bed_time": `"23:50"`})))
	if err != nil {
		t.Fatal(err)
	}
	if pre := PreMin(in.Bed, in.InBed); pre != 20 {
		t.Fatalf("pre_min = %d, want 20", pre)
	}
}

func TestMedicationIsTrimmedAndBlankIsNull(t *testing.T) {
	for body, want := range map[string]*string{`"  zolpidem 5 mg  "`: new("zolpidem 5 mg"), `"   "`: nil, `""`: nil} {
		in, err := ParseSleepInput(decodeFields(t, bodyWith(sleepBase, map[string]string{"medication": body})))
		if err != nil || !reflect.DeepEqual(in.Medication, want) {
			t.Errorf("medication %s → %v, %v; want %v", body, in.Medication, err, want)
		}
	}
}

func TestPostAbsentDiaryItemsAreNull(t *testing.T) {
	in, err := ParseSleepInput(decodeFields(t, bodyWith(sleepBase, nil)))
	if err != nil || in.DiaryItems != (DiaryItems{}) {
		t.Fatalf("items %+v, %v; want all nil", in.DiaryItems, err)
	}
}

// storedWithItems is a stored session holding every diary item.
func storedWithItems(t *testing.T) *Session {
	s := Session{ID: 9, Date: mustDate(t, "2025-06-17"), Bed: mustClock(t, "23:05"), Wake: mustClock(t, "06:30"),
		LatencyMin: new(15), Awakenings: new(2), Quality: new(4), DurationMin: 445,
		DiaryItems: DiaryItems{InBed: new(mustClock(t, "22:40")), WasoMin: new(20), OutOfBed: new(mustClock(t, "06:50")),
			Rested: new(3), AlcoholDrinks: new(1), CaffeineDrinks: new(2), Medication: new("melatonin")}}
	return &s
}

func TestParseSleepUpdateKeepsAbsentAndClearsNull(t *testing.T) {
	stored := storedWithItems(t)
	// An old client sends the six fields of §5.2 only: nothing is wiped.
	in, err := ParseSleepUpdate(decodeFields(t, bodyWith(sleepBase, nil)), stored)
	if err != nil || !reflect.DeepEqual(in.DiaryItems, stored.DiaryItems) {
		t.Fatalf("six-field PUT: items %+v, %v; want the stored %+v", in.DiaryItems, err, stored.DiaryItems)
	}
	// Explicit nulls clear; present values replace; the rest is kept.
	in, err = ParseSleepUpdate(decodeFields(t, bodyWith(sleepBase, map[string]string{
		"waso_min": `null`, "medication": `null`, "rested": `5`})), stored)
	if err != nil {
		t.Fatal(err)
	}
	want := stored.DiaryItems
	want.WasoMin, want.Medication, want.Rested = nil, nil, new(5)
	if !reflect.DeepEqual(in.DiaryItems, want) {
		t.Fatalf("items %+v, want %+v", in.DiaryItems, want)
	}
}

func TestParseSleepUpdatePlacementUsesMergedValues(t *testing.T) {
	stored := storedWithItems(t) // in_bed_time 22:40 is kept
	_, err := ParseSleepUpdate(decodeFields(t, bodyWith(sleepBase, map[string]string{"bed_time": `"11:00"`, "wake_time": `"12:00"`,
		"out_of_bed_time": `null`})), stored)
	assertInvalid(t, "new bed_time with a kept in_bed_time", err, inBedFarMsg)
	_, err = ParseSleepUpdate(decodeFields(t, bodyWith(sleepBase, map[string]string{"wake_time": `"18:00"`, "bed_time": `"12:00"`,
		"in_bed_time": `null`})), stored)
	assertInvalid(t, "new wake_time with a kept out_of_bed_time", err, outFarMsg)
}

func TestParseSleepUpdateNullRequiredOnlyWhereStoredNull(t *testing.T) {
	imported := &Session{ID: 3, Date: mustDate(t, "2025-06-17"), Bed: mustClock(t, "23:05"), Wake: mustClock(t, "06:30"),
		LatencyMin: nil, Awakenings: new(1), Quality: nil, DurationMin: 445}
	cases := []struct {
		name      string
		overrides map[string]string
		stored    *Session
		wantMsg   string
	}{
		{"imported: keep null quality and latency", map[string]string{"quality": absent, "latency_min": `null`}, imported, ""},
		{"imported: awakenings stored, so required", map[string]string{"awakenings": `null`}, imported, "awakenings is required"},
		{"imported: a rating may be added", map[string]string{"quality": `2`}, imported, ""},
		{"imported: range still applies", map[string]string{"quality": `9`}, imported, qualMsg},
		{"rated session: quality required", map[string]string{"quality": `null`}, storedWithItems(t), "quality is required"},
		{"missing session: POST rules", map[string]string{"quality": absent}, nil, "quality is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := bodyWith(sleepBase, tc.overrides)
			in, err := ParseSleepUpdate(decodeFields(t, body), tc.stored)
			assertInvalid(t, body, err, tc.wantMsg)
			if err == nil && tc.overrides["quality"] == absent && in.Quality != nil {
				t.Errorf("kept quality = %v, want nil", *in.Quality)
			}
		})
	}
}

func TestComputeDerived(t *testing.T) {
	base := func() Session { return *storedWithItems(t) }
	cases := []struct {
		name string
		edit func(*Session)
		want Derived
	}{
		// SPEC §12.2 example.
		{"spec example", func(*Session) {}, Derived{TIBMin: 490, TSTMin: 410, SEPct: 83.7, TerminalWakeMin: 20}},
		{"no in/out of bed: TIB is the duration", func(s *Session) { s.InBed, s.OutOfBed = nil, nil },
			Derived{TIBMin: 445, TSTMin: 410, SEPct: 92.1, TerminalWakeMin: 0}},
		{"null latency and WASO count 0", func(s *Session) { s.LatencyMin, s.WasoMin = nil, nil },
			Derived{TIBMin: 490, TSTMin: 445, SEPct: 90.8, TerminalWakeMin: 20}},
		{"TST never negative", func(s *Session) { s.LatencyMin, s.WasoMin = new(180), new(720) },
			Derived{TIBMin: 490, TSTMin: 0, SEPct: 0, TerminalWakeMin: 20}},
		// 100 × 1 / 8 = 12.5 exactly: half away from zero keeps .5 at one decimal;
		// 100 × 1 / 16 = 6.25 → 6.3 (a float product would give 6.2).
		{"half rounds away from zero", func(s *Session) {
			s.InBed, s.OutOfBed, s.DurationMin, s.LatencyMin, s.WasoMin = nil, nil, 16, new(15), nil
		}, Derived{TIBMin: 16, TSTMin: 1, SEPct: 6.3, TerminalWakeMin: 0}},
		{"seconds dropped in placement", func(s *Session) {
			s.Bed, s.InBed = mustClock(t, "23:05:59"), new(mustClock(t, "23:04:01"))
		}, Derived{TIBMin: 466, TSTMin: 410, SEPct: 88.0, TerminalWakeMin: 20}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := base()
			tc.edit(&s)
			if got := ComputeDerived(s); got != tc.want {
				t.Errorf("ComputeDerived = %+v, want %+v", got, tc.want)
			}
		})
	}
}
