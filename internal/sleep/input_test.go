package sleep

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// absent marks a field that an override removes from the base body.
const absent = "\x00absent"

// decodeFields decodes a JSON object the way the HTTP layer does.
func decodeFields(t testing.TB, body string) Fields {
	t.Helper()
	var f Fields
	if err := json.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("test body %s is not a JSON object: %v", body, err)
	}
	return f
}

// bodyWith renders base with overrides applied (raw JSON values, or absent).
func bodyWith(base, overrides map[string]string) string {
	fields := maps.Clone(base)
	for k, v := range overrides {
		if v == absent {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(fields)) {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		b.Write(key)
		b.WriteByte(':')
		b.WriteString(fields[k])
	}
	b.WriteByte('}')
	return b.String()
}

// validationCase is one body and the message it must produce ("" = accepted).
type validationCase struct {
	name      string
	overrides map[string]string
	wantMsg   string
}

// runValidationCases applies each case to base and checks parse's error.
func runValidationCases(t *testing.T, base map[string]string, cases []validationCase, parse func(Fields) error) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := bodyWith(base, tc.overrides)
			err := parse(decodeFields(t, body))
			assertInvalid(t, body, err, tc.wantMsg)
		})
	}
}

// assertInvalid checks that err is nil when wantMsg is "", else a CodeInvalid
// domain error with exactly wantMsg.
func assertInvalid(t *testing.T, input string, err error, wantMsg string) {
	t.Helper()
	if wantMsg == "" {
		if err != nil {
			t.Errorf("%s: unexpected error %v", input, err)
		}
		return
	}
	de := AsError(err)
	if de == nil {
		t.Errorf("%s: error = %v, want domain error %q", input, err, wantMsg)
		return
	}
	if de.Code != CodeInvalid || de.Message != wantMsg {
		t.Errorf("%s: error = %s %q, want invalid %q", input, de.Code, de.Message, wantMsg)
	}
}

var sleepBase = map[string]string{
	"date": `"2025-06-17"`, "bed_time": `"23:05"`, "wake_time": `"06:30:00"`,
	"latency_min": `15`, "awakenings": `0`, "quality": `4`,
}

const (
	dateMsg  = "date must be a date in YYYY-MM-DD format (years 1900-2999)"
	bedMsg   = "bed_time must be a time in HH:MM or HH:MM:SS format"
	wakeMsg  = "wake_time must be a time in HH:MM or HH:MM:SS format"
	latMsg   = "latency_min must be between 0 and 180"
	awakeMsg = "awakenings must be between 0 and 10"
	qualMsg  = "quality must be between 1 and 5"
)

func TestParseSleepInputMessages(t *testing.T) {
	emoji := strings.Repeat("😴", 1000)
	cases := []validationCase{
		{"valid", nil, ""},
		{"unknown fields ignored", map[string]string{"extra": `{"x":[1]}`}, ""},
		// date
		{"date missing", map[string]string{"date": absent}, "date is required"},
		{"date null", map[string]string{"date": `null`}, "date is required"},
		{"date number", map[string]string{"date": `20250617`}, "date must be a string"},
		{"date unpadded", map[string]string{"date": `"2025-6-1"`}, dateMsg},
		{"date 30 Feb", map[string]string{"date": `"2025-02-30"`}, dateMsg},
		{"date 1899", map[string]string{"date": `"1899-12-31"`}, dateMsg},
		{"date with time", map[string]string{"date": `"2025-06-01T00:00"`}, dateMsg},
		{"date leap day", map[string]string{"date": `"2024-02-29"`}, ""},
		// clock times
		{"bed missing", map[string]string{"bed_time": absent}, "bed_time is required"},
		{"bed 24:00", map[string]string{"bed_time": `"24:00"`}, bedMsg},
		{"bed 7:00", map[string]string{"bed_time": `"7:00"`}, bedMsg},
		{"bed 07:60", map[string]string{"bed_time": `"07:60"`}, bedMsg},
		{"bed fraction", map[string]string{"bed_time": `"07:00:00.5"`}, bedMsg},
		{"bed padded with spaces", map[string]string{"bed_time": `" 07:00 "`, "wake_time": `"08:00"`}, ""},
		{"bed array", map[string]string{"bed_time": `["23:00"]`}, "bed_time must be a string"},
		{"wake null", map[string]string{"wake_time": `null`}, "wake_time is required"},
		{"wake bool", map[string]string{"wake_time": `true`}, "wake_time must be a string"},
		{"wake 25:00", map[string]string{"wake_time": `"25:00"`}, wakeMsg},
		// integers
		{"latency 10", map[string]string{"latency_min": `10`}, ""},
		{"latency 0", map[string]string{"latency_min": `0`}, ""},
		{"latency 180", map[string]string{"latency_min": `180`}, ""},
		{"latency 181", map[string]string{"latency_min": `181`}, latMsg},
		{"latency -1", map[string]string{"latency_min": `-1`}, latMsg},
		{"latency 10.0", map[string]string{"latency_min": `10.0`}, "latency_min must be an integer"},
		{"latency 1e1", map[string]string{"latency_min": `1e1`}, "latency_min must be an integer"},
		{"latency string", map[string]string{"latency_min": `"10"`}, "latency_min must be an integer"},
		{"latency bool", map[string]string{"latency_min": `false`}, "latency_min must be an integer"},
		{"latency 2^63", map[string]string{"latency_min": `9223372036854775808`}, latMsg},
		{"latency huge", map[string]string{"latency_min": `99999999999999999999`}, latMsg},
		{"latency huge negative", map[string]string{"latency_min": `-99999999999999999999`}, latMsg},
		{"latency 2^32", map[string]string{"latency_min": `4294967296`}, latMsg},
		{"latency null", map[string]string{"latency_min": `null`}, "latency_min is required"},
		{"latency missing", map[string]string{"latency_min": absent}, "latency_min is required"},
		{"awakenings 11", map[string]string{"awakenings": `11`}, awakeMsg},
		{"awakenings 10", map[string]string{"awakenings": `10`}, ""},
		{"awakenings 1.5", map[string]string{"awakenings": `1.5`}, "awakenings must be an integer"},
		{"quality 0", map[string]string{"quality": `0`}, qualMsg},
		{"quality 6", map[string]string{"quality": `6`}, qualMsg},
		{"quality 1", map[string]string{"quality": `1`}, ""},
		{"quality 5", map[string]string{"quality": `5`}, ""},
		{"quality missing", map[string]string{"quality": absent}, "quality is required"},
		// exercise_intensity
		{"intensity hard", map[string]string{"exercise_intensity": `"hard"`}, ""},
		{"intensity null", map[string]string{"exercise_intensity": `null`}, ""},
		{"intensity capitalised", map[string]string{"exercise_intensity": `"Hard"`}, "exercise_intensity must be one of none, light, hard"},
		{"intensity empty", map[string]string{"exercise_intensity": `""`}, "exercise_intensity must be one of none, light, hard"},
		{"intensity number", map[string]string{"exercise_intensity": `2`}, "exercise_intensity must be a string"},
		// note
		{"note null", map[string]string{"note": `null`}, ""},
		{"note 1000 emoji", map[string]string{"note": `"` + emoji + `"`}, ""},
		{"note 1000 emoji plus spaces", map[string]string{"note": `"  ` + emoji + ` \n"`}, ""},
		{"note 1001 emoji", map[string]string{"note": `"` + emoji + `x"`}, "note must be at most 1000 characters"},
		{"note number", map[string]string{"note": `1`}, "note must be a string"},
		// order: the first failing field wins
		{"date before quality", map[string]string{"date": `"x"`, "quality": `9`}, dateMsg},
		{"latency before awakenings", map[string]string{"latency_min": `-1`, "awakenings": `-1`}, latMsg},
		{"quality before note", map[string]string{"quality": absent, "note": `5`}, "quality is required"},
	}
	runValidationCases(t, sleepBase, cases, func(f Fields) error { _, err := ParseSleepInput(f); return err })
}

func TestParseSleepInputValues(t *testing.T) {
	in, err := ParseSleepInput(decodeFields(t, bodyWith(sleepBase, map[string]string{
		"exercise_intensity": `"light"`, "note": `"  slept well \t"`,
	})))
	if err != nil {
		t.Fatal(err)
	}
	want := Session{ID: 3, Date: mustDate(t, "2025-06-17"), Bed: mustClock(t, "23:05"), Wake: mustClock(t, "06:30"),
		LatencyMin: new(15), Awakenings: new(0), Quality: new(4), DurationMin: 445}.WithDerived()
	if got := in.Session(3, 445); !reflect.DeepEqual(got, want) {
		t.Errorf("Session = %+v, want %+v", got, want)
	}
	if in.ExerciseIntensity == nil || *in.ExerciseIntensity != IntensityLight {
		t.Errorf("ExerciseIntensity = %v, want light", in.ExerciseIntensity)
	}
	if note, ok := in.NoteToAdd(); !ok || note != "slept well" {
		t.Errorf("NoteToAdd = %q, %v; want trimmed text", note, ok)
	}

	for _, note := range []string{absent, `null`, `"   "`} {
		in, err := ParseSleepInput(decodeFields(t, bodyWith(sleepBase, map[string]string{"note": note})))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := in.NoteToAdd(); ok {
			t.Errorf("note %s: NoteToAdd reports a note to store", note)
		}
		if in.ExerciseIntensity != nil {
			t.Errorf("absent exercise_intensity parsed as %v", *in.ExerciseIntensity)
		}
	}
}

// TestFieldsDuplicateKey documents that decoding keeps the last of repeated
// keys (SPEC §3.4) and the parsers see only that value.
func TestFieldsDuplicateKey(t *testing.T) {
	f := decodeFields(t, `{"quality": 9, "quality": 2}`)
	if q, err := f.RequiredInt("quality", QualityRange); err != nil || q != 2 {
		t.Errorf("RequiredInt = %d, %v; want 2", q, err)
	}
}

func TestFieldsIntRangeStyles(t *testing.T) {
	cases := []struct {
		raw, want string
	}{
		{`-1`, "n must be >= 0"},
		{`2147483648`, "n must be <= 2147483647"},
		{`-9223372036854775809`, "n must be >= 0"},
		{`18446744073709551616`, "n must be <= 2147483647"},
		{`-0`, ""},
		{`2147483647`, ""},
		{`1E3`, "n must be an integer"},
		{`{}`, "n must be an integer"},
	}
	for _, tc := range cases {
		_, err := decodeFields(t, `{"n":`+tc.raw+`}`).RequiredInt("n", Int32Range)
		assertInvalid(t, tc.raw, err, tc.want)
	}
}

func TestParseExerciseInput(t *testing.T) {
	base := map[string]string{"date": `"2025-06-17"`, "intensity": `"light"`}
	cases := []validationCase{
		{"daily", nil, ""},
		{"timed", map[string]string{"start_time": `"18:00"`, "duration_min": `45`}, ""},
		{"date bad", map[string]string{"date": `"2025-02-30"`}, dateMsg},
		{"date missing", map[string]string{"date": absent}, "date is required"},
		{"intensity missing", map[string]string{"intensity": absent}, "intensity is required"},
		{"intensity null", map[string]string{"intensity": `null`}, "intensity is required"},
		{"intensity number", map[string]string{"intensity": `1`}, "intensity must be a string"},
		{"intensity unknown", map[string]string{"intensity": `"medium"`}, "intensity must be one of none, light, hard"},
		{"start bad", map[string]string{"start_time": `"25:00"`}, "start_time must be a time in HH:MM or HH:MM:SS format"},
		{"start number", map[string]string{"start_time": `1800`}, "start_time must be a string"},
		{"duration 0", map[string]string{"duration_min": `0`}, "duration_min must be between 1 and 1440"},
		{"duration 1441", map[string]string{"duration_min": `1441`}, "duration_min must be between 1 and 1440"},
		{"duration 1440", map[string]string{"duration_min": `1440`}, ""},
		{"duration fraction", map[string]string{"duration_min": `30.5`}, "duration_min must be an integer"},
		{"start before duration", map[string]string{"start_time": `"x"`, "duration_min": `0`}, "start_time must be a time in HH:MM or HH:MM:SS format"},
	}
	runValidationCases(t, base, cases, func(f Fields) error { _, err := ParseExerciseInput(f); return err })

	kinds := []struct {
		overrides map[string]string
		daily     bool
	}{
		{nil, true},
		{map[string]string{"start_time": `null`, "duration_min": `null`}, true},
		{map[string]string{"start_time": `"07:00"`}, false},
		{map[string]string{"duration_min": `30`}, false},
	}
	for _, k := range kinds {
		in, err := ParseExerciseInput(decodeFields(t, bodyWith(base, k.overrides)))
		if err != nil {
			t.Fatal(err)
		}
		if in.IsDailyIntensity() != k.daily || in.Intensity != IntensityLight {
			t.Errorf("%v: daily = %v, intensity = %v", k.overrides, in.IsDailyIntensity(), in.Intensity)
		}
	}
}

func TestParseNoteInput(t *testing.T) {
	emoji := strings.Repeat("🌙", 1000)
	base := map[string]string{"date": `"2025-06-17"`, "body": `"hello"`}
	cases := []validationCase{
		{"valid", nil, ""},
		{"date missing", map[string]string{"date": absent}, "date is required"},
		{"date bad", map[string]string{"date": `"17.06.2025"`}, dateMsg},
		{"body number", map[string]string{"body": `12`}, "body must be a string"},
		{"body 1000 emoji", map[string]string{"body": `"` + emoji + `"`}, ""},
		{"body 1001 emoji", map[string]string{"body": `"` + emoji + `!"`}, "body must be at most 1000 characters"},
		// The body is not trimmed, so surrounding spaces count.
		{"body 1000 emoji and a space", map[string]string{"body": `"` + emoji + ` "`}, "body must be at most 1000 characters"},
	}
	runValidationCases(t, base, cases, func(f Fields) error { _, err := ParseNoteInput(f); return err })

	bodies := map[string]string{absent: "", `null`: "", `"  two  words \n"`: "  two  words \n"}
	for raw, want := range bodies {
		in, err := ParseNoteInput(decodeFields(t, bodyWith(base, map[string]string{"body": raw})))
		if err != nil || in.Body != want || in.Date != mustDate(t, "2025-06-17") {
			t.Errorf("body %q: got %+v, %v; want body %q", raw, in, err, want)
		}
	}
}

func TestParseTimezoneInput(t *testing.T) {
	cases := []struct {
		body     string
		wantName string
		wantMsg  string
	}{
		{`{"timezone":"US/Eastern"}`, "US/Eastern", ""},
		{`{"timezone":"Asia/Tokyo"}`, "Asia/Tokyo", ""},
		{`{"timezone":" Asia/Tokyo "}`, "Asia/Tokyo", ""},
		{`{"timezone":"UTC"}`, "UTC", ""},
		{`{"timezone":"Etc/GMT+5"}`, "Etc/GMT+5", ""},
		{`{"timezone":"EST5EDT"}`, "EST5EDT", ""},
		{`{"timezone":"asia/tokyo"}`, "", "invalid timezone"},
		{`{"timezone":"Local"}`, "", "invalid timezone"},
		{`{"timezone":""}`, "", "invalid timezone"},
		{`{"timezone":"   "}`, "", "invalid timezone"},
		{`{"timezone":"Asia/"}`, "", "invalid timezone"},
		{`{"timezone":"Mars/Olympus"}`, "", "invalid timezone"},
		{`{"timezone":"../etc/passwd"}`, "", "invalid timezone"},
		{`{"timezone":5}`, "", "timezone must be a string"},
		{`{"timezone":null}`, "", "timezone is required"},
		{`{}`, "", "timezone is required"},
	}
	for _, tc := range cases {
		name, loc, err := ParseTimezoneInput(decodeFields(t, tc.body))
		assertInvalid(t, tc.body, err, tc.wantMsg)
		if tc.wantMsg == "" && (name != tc.wantName || loc == nil || loc.String() != tc.wantName) {
			t.Errorf("%s: got %q, %v; want %q", tc.body, name, loc, tc.wantName)
		}
	}
}

func TestParseFrictionInput(t *testing.T) {
	base := map[string]string{
		"form_time_ms": `1200`, "error_kind": `"overlap"`, "retry_count": `1`,
		"immediate_edit": `false`, "follow_up_failure": `true`,
	}
	long := strings.Repeat("é", 100)
	cases := []validationCase{
		{"valid", nil, ""},
		{"form time negative", map[string]string{"form_time_ms": `-1`}, "form_time_ms must be >= 0"},
		{"form time above int32", map[string]string{"form_time_ms": `2147483648`}, "form_time_ms must be <= 2147483647"},
		{"form time huge", map[string]string{"form_time_ms": `99999999999999999999`}, "form_time_ms must be <= 2147483647"},
		{"form time max", map[string]string{"form_time_ms": `2147483647`}, ""},
		{"form time missing", map[string]string{"form_time_ms": absent}, "form_time_ms is required"},
		{"form time string", map[string]string{"form_time_ms": `"5"`}, "form_time_ms must be an integer"},
		{"both counts negative", map[string]string{"form_time_ms": `-5`, "retry_count": `-1`}, "form_time_ms must be >= 0"},
		{"error kind 100", map[string]string{"error_kind": `"` + long + `"`}, ""},
		{"error kind 100 after trim", map[string]string{"error_kind": `"\u00a0 ` + long + ` \t"`}, ""},
		{"error kind 101", map[string]string{"error_kind": `"` + long + `x"`}, "error_kind must be at most 100 characters"},
		{"error kind number", map[string]string{"error_kind": `3`}, "error_kind must be a string"},
		{"error kind before retry", map[string]string{"error_kind": `[]`, "retry_count": `-1`}, "error_kind must be a string"},
		{"retry negative", map[string]string{"retry_count": `-1`}, "retry_count must be >= 0"},
		{"retry missing", map[string]string{"retry_count": absent}, "retry_count is required"},
		{"immediate missing", map[string]string{"immediate_edit": absent}, "immediate_edit is required"},
		{"immediate null", map[string]string{"immediate_edit": `null`}, "immediate_edit is required"},
		{"immediate string", map[string]string{"immediate_edit": `"true"`}, "immediate_edit must be a boolean"},
		{"immediate number", map[string]string{"immediate_edit": `1`}, "immediate_edit must be a boolean"},
		{"follow-up missing", map[string]string{"follow_up_failure": absent}, "follow_up_failure is required"},
		{"follow-up string", map[string]string{"follow_up_failure": `"no"`}, "follow_up_failure must be a boolean"},
	}
	runValidationCases(t, base, cases, func(f Fields) error { _, err := ParseFrictionInput(f); return err })

	kinds := map[string]*string{
		`"  Validation Error  "`: ptr("validation error"),
		`"ÜBERLAPPUNG"`:          ptr("überlappung"),
		`"   "`:                  nil,
		`""`:                     nil,
		`null`:                   nil,
		absent:                   nil,
	}
	for raw, want := range kinds {
		in, err := ParseFrictionInput(decodeFields(t, bodyWith(base, map[string]string{"error_kind": raw})))
		if err != nil {
			t.Fatalf("error_kind %s: %v", raw, err)
		}
		if (in.ErrorKind == nil) != (want == nil) || (want != nil && *in.ErrorKind != *want) {
			t.Errorf("error_kind %s: got %v, want %v", raw, deref(in.ErrorKind), deref(want))
		}
	}
	in, _ := ParseFrictionInput(decodeFields(t, bodyWith(base, nil)))
	want := FrictionInput{FormTimeMs: 1200, RetryCount: 1, ErrorKind: in.ErrorKind, FollowUpFailure: true}
	if in != want || *in.ErrorKind != "overlap" {
		t.Errorf("values = %+v, want %+v", in, want)
	}
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
