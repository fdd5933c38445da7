package imports

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sleeptracker/internal/export/csvcell"
	"sleeptracker/internal/sleep"
)

// sleeptracker-csv: the CSV of SPEC §13.1 (§13.5). The header row identifies
// it and columns are found by name, in any order; unknown columns are
// ignored (a spreadsheet may add its own). Each row is a session; the
// exercise_intensity and notes cells describe the row's wake date, so they
// are taken from the first row of each date only (a date with two sessions
// repeats them).

// csvIdentity are the columns whose presence identifies the format.
var csvIdentity = []string{"date", "bed_time", "wake_time", "duration_min"}

// csvNoteSeparator joins a date's notes in one cell (§13.1).
const csvNoteSeparator = " | "

// headerColumns reads the first line of head as a CSV header.
func headerColumns(head []byte) ([]string, bool) {
	line, _, _ := bytes.Cut(bytes.TrimPrefix(head, utf8BOM), []byte{'\n'})
	rec, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return nil, false
	}
	return rec, true
}

func detectSleepTrackerCSV(_ Input, head []byte) bool {
	cols, ok := headerColumns(head)
	return ok && csvHasIdentity(cols)
}

func csvHasIdentity(cols []string) bool {
	have := map[string]bool{}
	for _, c := range cols {
		have[strings.TrimSpace(c)] = true
	}
	for _, c := range csvIdentity {
		if !have[c] {
			return false
		}
	}
	return true
}

func parseSleepTrackerCSV(ctx context.Context, in Input, sink Sink) error {
	br := bufio.NewReaderSize(&boundedLines{r: in.Reader}, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return ownCSVError(err)
	}
	if !csvHasIdentity(header) {
		return errors.New("line 1: not a SleepTracker CSV: the header must name date, bed_time, wake_time and duration_min")
	}
	col := map[string]int{}
	for i, name := range header {
		name = strings.TrimSpace(name)
		if _, dup := col[name]; !dup {
			col[name] = i
		}
	}
	seenDate := map[sleep.Date]bool{}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return ownCSVError(err)
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("line %d", line)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		csvRow(where, cell, seenDate, sink)
	}
}

func ownCSVError(err error) error {
	var long *longLineError
	if errors.As(err, &long) {
		return fmt.Errorf("line %d: a line longer than %d MiB", long.line, maxOwnCSVLine>>20)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: malformed CSV: %s", pe.Line, pe.Err)
	}
	if errors.Is(err, io.EOF) {
		return errors.New("line 1: the file has no header row")
	}
	return err
}

// csvRow maps one row: the session, then (first row of its date only) the
// date's intensity and notes.
func csvRow(where string, cell func(string) string, seenDate map[sleep.Date]bool, sink Sink) {
	c := csvCheck{cell: cell}
	r := SessionRecord{Where: where}
	r.Date = c.date("date")
	r.Bed = c.clock("bed_time")
	r.Wake = c.clock("wake_time")
	r.DurationMin = c.optInt("duration_min")
	r.LatencyMin = c.optInt("latency_min")
	r.Awakenings = c.optInt("awakenings")
	r.Quality = c.optInt("quality")
	r.InBed = c.optClock("in_bed_time")
	r.WasoMin = c.optInt("waso_min")
	r.OutOfBed = c.optClock("out_of_bed_time")
	r.Rested = c.optInt("rested")
	r.AlcoholDrinks = c.optInt("alcohol_drinks")
	r.CaffeineDrinks = c.optInt("caffeine_drinks")
	if m := csvcell.Unguard(cell("medication")); m != "" {
		r.Medication = &m
	}
	var intensity sleep.Intensity
	if s := strings.TrimSpace(cell("exercise_intensity")); s != "" {
		v, ok := sleep.ParseIntensity(s)
		if !ok {
			c.fail("exercise_intensity must be one of none, light, hard")
		}
		intensity = v
	}
	if c.msg != "" {
		sink.Invalid(where, c.msg)
		return
	}
	sink.Session(r)
	if seenDate[r.Date] {
		return
	}
	seenDate[r.Date] = true
	if intensity != 0 {
		sink.Exercise(ExerciseRecord{Where: where, Date: r.Date, Intensity: intensity})
	}
	// The export guards the joined cell as a whole (csvcell.Text), so it is
	// unguarded before it is split into the date's notes.
	if notes := csvcell.Unguard(cell("notes")); notes != "" {
		for _, body := range strings.Split(notes, csvNoteSeparator) {
			sink.Note(NoteRecord{Where: where, Date: r.Date, Body: body})
		}
	}
}

// csvCheck reads cells in order and keeps the first problem.
type csvCheck struct {
	cell func(string) string
	msg  string
}

func (c *csvCheck) fail(msg string) {
	if c.msg == "" {
		c.msg = msg
	}
}

func (c *csvCheck) date(name string) sleep.Date {
	d, ok := sleep.ParseDate(strings.TrimSpace(c.cell(name)))
	if !ok {
		c.fail(name + " must be a date in YYYY-MM-DD format (years 1900-2999)")
	}
	return d
}

func (c *csvCheck) clock(name string) sleep.Clock {
	v, ok := sleep.ParseClock(c.cell(name))
	if !ok {
		c.fail(name + " must be a time in HH:MM or HH:MM:SS format")
	}
	return v
}

func (c *csvCheck) optClock(name string) *sleep.Clock {
	s := strings.TrimSpace(c.cell(name))
	if s == "" {
		return nil
	}
	v, ok := sleep.ParseClock(s)
	if !ok {
		c.fail(name + " must be a time in HH:MM or HH:MM:SS format")
		return nil
	}
	return &v
}

func (c *csvCheck) optInt(name string) *int {
	s := strings.TrimSpace(c.cell(name))
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		c.fail(name + " must be an integer")
		return nil
	}
	n := int(v)
	return &n
}

// maxOwnCSVLine bounds one physical line, so a file without line breaks
// cannot make encoding/csv buffer all of it. A row of the export is a few
// hundred bytes (a date's notes at most a few hundred KiB).
const maxOwnCSVLine = 16 << 20

type longLineError struct{ line int }

func (e *longLineError) Error() string { return fmt.Sprintf("line %d is too long", e.line) }

// boundedLines fails once a line grows beyond maxOwnCSVLine.
type boundedLines struct {
	r     io.Reader
	run   int // bytes since the last line break
	lines int // line breaks seen
}

func (b *boundedLines) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		b.lines += bytes.Count(p[:n], []byte{'\n'})
		b.run = n - i - 1
	} else {
		b.run += n
	}
	if b.run > maxOwnCSVLine {
		return n, &longLineError{line: b.lines + 1}
	}
	return n, err
}
