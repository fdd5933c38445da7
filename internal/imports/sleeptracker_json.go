package imports

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"sleeptracker/internal/sleep"
)

// sleeptracker-json: the export of SPEC §13.1, version 1 (§13.5). The file
// is read as a stream of tokens: the arrays are walked element by element,
// so a ten-year export never sits in memory as one value. Sessions keep the
// file's duration_min and their seconds; notes are compared only with stored
// notes (formats.go); the time zone and the sleep window go to the rules as
// settings, which apply them only when the database has none.

const exportFormatTag = "sleeptracker-export"

// detectSleepTrackerJSON: a JSON object that names the export format near
// its start (the export writes "format" first).
func detectSleepTrackerJSON(_ Input, head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	return len(h) > 0 && h[0] == '{' && bytes.Contains(h, []byte(`"`+exportFormatTag+`"`))
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// anyInt is the range used only to type-check integers of the own formats;
// the shared rules apply the real ranges with their messages.
var anyInt = sleep.IntRange{Min: math.MinInt32, Max: math.MaxInt32}

func parseSleepTrackerJSON(ctx context.Context, in Input, sink Sink) error {
	// The guard bounds what one value may make the decoder buffer (a 1 GB
	// "note" must not cost 1 GB of memory).
	dec, _ := newGuardedDecoder(in.Reader)
	fail := func(err error) error { return jsonError(in, dec, err) }
	if err := expectDelim(dec, '{'); err != nil {
		return fail(err)
	}
	var sawFormat, sawVersion bool
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			var v string
			if err := dec.Decode(&v); err != nil || v != exportFormatTag {
				return errors.New("not a SleepTracker export: format must be \"" + exportFormatTag + "\"")
			}
			sawFormat = true
		case "version":
			var v json.Number
			if err := dec.Decode(&v); err != nil {
				return fail(err)
			}
			if v.String() != "1" {
				return fmt.Errorf("unsupported SleepTracker export version %s (this version reads 1)", v)
			}
			sawVersion = true
		case "timezone":
			var tz *string
			if err := dec.Decode(&tz); err != nil {
				return errors.New("timezone must be a string or null")
			}
			if tz != nil {
				sink.Settings(SettingsRecord{Timezone: tz})
			}
		case "sleep_window":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			if err := decodeSleepWindow(raw, sink); err != nil {
				return err
			}
		case "sessions", "exercise", "notes":
			if err := eachElement(ctx, dec, func(i int, f sleep.Fields) {
				where := fmt.Sprintf("%s %d", singular[key], i)
				switch key {
				case "sessions":
					exportSession(where, f, sink)
				case "exercise":
					exportExercise(where, f, sink)
				default:
					exportNote(where, f, sink)
				}
			}); err != nil {
				return fail(err)
			}
		default:
			// exported_at and any later additions are not imported.
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return fail(err)
	}
	if !sawFormat || !sawVersion {
		return errors.New("not a SleepTracker export: format and version are missing")
	}
	return nil
}

var singular = map[string]string{"sessions": "session", "exercise": "exercise", "notes": "note"}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q", string(want))
	}
	return nil
}

// eachElement walks an array of objects; an element that is not an object
// is reported to fn as empty fields (its fields then fail one by one).
func eachElement(ctx context.Context, dec *json.Decoder, fn func(i int, f sleep.Fields)) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	for i := 1; dec.More(); i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		var f sleep.Fields
		if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &f) != nil {
			f = sleep.Fields{}
		}
		fn(i, f)
	}
	_, err := dec.Token()
	return err
}

// jsonError names the line of a syntax error (counted in the spooled file)
// or says the file ended early.
func jsonError(in Input, dec *json.Decoder, err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, errJSONValueTooLarge) {
		return fmt.Errorf("line %d: %s", lineAt(in, dec.InputOffset()), err.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("line %d: unexpected end of file", lineAt(in, dec.InputOffset()))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("line %d: malformed JSON: %s", lineAt(in, se.Offset), se.Error())
	}
	return fmt.Errorf("line %d: malformed JSON: %s", lineAt(in, dec.InputOffset()), err.Error())
}

// lineAt counts the lines up to byte offset off (1-based), reading the spool
// again: only on an error path.
func lineAt(in Input, off int64) int {
	if in.ReaderAt == nil {
		return 1
	}
	line := 1
	buf := make([]byte, 64<<10)
	for pos := int64(0); pos < off; {
		n, err := in.ReaderAt.ReadAt(buf[:min(int64(len(buf)), off-pos)], pos)
		line += bytes.Count(buf[:n], []byte{'\n'})
		pos += int64(n)
		if err != nil || n == 0 {
			break
		}
	}
	return line
}

// fieldCheck reads fields in order and keeps the first problem.
type fieldCheck struct {
	f   sleep.Fields
	msg string
}

func (c *fieldCheck) fail(msg string) {
	if c.msg == "" {
		c.msg = msg
	}
}

func (c *fieldCheck) errMsg(err error) {
	if de := sleep.AsError(err); de != nil {
		c.fail(de.Message)
	} else if err != nil {
		c.fail(err.Error())
	}
}

func (c *fieldCheck) date(name string) sleep.Date {
	s, err := c.f.RequiredString(name)
	c.errMsg(err)
	if err != nil {
		return sleep.Date{}
	}
	d, ok := sleep.ParseDate(s)
	if !ok {
		c.fail(name + " must be a date in YYYY-MM-DD format (years 1900-2999)")
	}
	return d
}

func (c *fieldCheck) clock(name string) sleep.Clock {
	s, err := c.f.RequiredString(name)
	c.errMsg(err)
	if err != nil {
		return 0
	}
	v, ok := sleep.ParseClock(s)
	if !ok {
		c.fail(name + " must be a time in HH:MM or HH:MM:SS format")
	}
	return v
}

func (c *fieldCheck) optClock(name string) *sleep.Clock {
	s, err := c.f.OptionalString(name)
	c.errMsg(err)
	if err != nil || s == nil {
		return nil
	}
	v, ok := sleep.ParseClock(*s)
	if !ok {
		c.fail(name + " must be a time in HH:MM or HH:MM:SS format")
		return nil
	}
	return &v
}

func (c *fieldCheck) optInt(name string) *int {
	v, err := c.f.OptionalInt(name, anyInt)
	c.errMsg(err)
	if err != nil || v == nil {
		return nil
	}
	n := int(*v)
	return &n
}

func (c *fieldCheck) optString(name string) *string {
	s, err := c.f.OptionalString(name)
	c.errMsg(err)
	return s
}

func (c *fieldCheck) intensity(name string) sleep.Intensity {
	s, err := c.f.RequiredString(name)
	c.errMsg(err)
	if err != nil {
		return 0
	}
	v, ok := sleep.ParseIntensity(s)
	if !ok {
		c.fail(name + " must be one of none, light, hard")
	}
	return v
}

// exportSession maps a session object of the export (field order of §5.2,
// then §12.1).
func exportSession(where string, f sleep.Fields, sink Sink) {
	c := fieldCheck{f: f}
	r := SessionRecord{Where: where}
	r.Date = c.date("date")
	r.Bed = c.clock("bed_time")
	r.Wake = c.clock("wake_time")
	r.LatencyMin = c.optInt("latency_min")
	r.Awakenings = c.optInt("awakenings")
	r.Quality = c.optInt("quality")
	r.DurationMin = c.optInt("duration_min")
	r.InBed = c.optClock("in_bed_time")
	r.WasoMin = c.optInt("waso_min")
	r.OutOfBed = c.optClock("out_of_bed_time")
	r.Rested = c.optInt("rested")
	r.AlcoholDrinks = c.optInt("alcohol_drinks")
	r.CaffeineDrinks = c.optInt("caffeine_drinks")
	r.Medication = c.optString("medication")
	if c.msg == "" && r.DurationMin == nil {
		c.fail("duration_min is required")
	}
	if c.msg != "" {
		sink.Invalid(where, c.msg)
		return
	}
	sink.Session(r)
}

func exportExercise(where string, f sleep.Fields, sink Sink) {
	c := fieldCheck{f: f}
	r := ExerciseRecord{Where: where}
	r.Date = c.date("date")
	r.Intensity = c.intensity("intensity")
	r.StartTime = c.optClock("start_time")
	r.DurationMin = c.optInt("duration_min")
	if c.msg != "" {
		invalidRecord(sink, where, c.msg)
		return
	}
	sink.Exercise(r)
}

func exportNote(where string, f sleep.Fields, sink Sink) {
	c := fieldCheck{f: f}
	r := NoteRecord{Where: where}
	r.Date = c.date("date")
	if body := c.optString("body"); body != nil {
		r.Body = *body
	}
	if c.msg != "" {
		invalidRecord(sink, where, c.msg)
		return
	}
	sink.Note(r)
}

func decodeSleepWindow(raw json.RawMessage, sink Sink) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil
	}
	var f sleep.Fields
	if err := json.Unmarshal(raw, &f); err != nil {
		return errors.New("sleep_window must be an object or null")
	}
	c := fieldCheck{f: f}
	w := SleepWindowRecord{}
	w.Wake = c.clock("wake_time")
	if n := c.optInt("window_min"); n != nil {
		w.WindowMin = *n
	} else {
		c.fail("window_min is required")
	}
	w.Since = c.date("since")
	if c.msg != "" {
		return errors.New("sleep_window: " + c.msg)
	}
	sink.Settings(SettingsRecord{SleepWindow: &w})
	return nil
}
