package imports

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"sleeptracker/internal/sleep"
)

// Sleep as Android (SPEC §14): sleep-export.csv, alone or inside the backup
// zip. The file is a run of blocks, each a header line starting with "Id,"
// and its record lines; the header names the columns, and every block may
// have a different number of them because the actigraphy ("12:14", …) and
// event ("Event", …) columns after Geo grow with the night. Only the named
// columns are read, so any number of those trailing columns is fine.

const saaEntryName = "sleep-export.csv"

// maxCSVLineBytes bounds one physical CSV line: a whole night of actigraphy
// and events is a few hundred kilobytes, so a longer line is not a sleep
// export and must not be buffered whole.
const maxCSVLineBytes = 16 << 20

func detectSleepAsAndroid(in Input, head []byte) bool {
	if isZip(head) {
		a, err := openArchive(in)
		return err == nil && a.find(saaEntryMatch) != nil
	}
	line, _, _ := bytes.Cut(trimBOM(head), []byte{'\n'})
	line = bytes.TrimRight(line, "\r")
	if !bytes.HasPrefix(line, []byte("Id,")) {
		return false
	}
	cols := map[string]bool{}
	for _, c := range bytes.Split(line, []byte{','}) {
		cols[string(bytes.Trim(c, `"`))] = true
	}
	return cols["Tz"] && cols["From"] && cols["To"]
}

func saaEntryMatch(_, base string) bool { return base == saaEntryName }

// ParseSleepAsAndroid reads a Sleep as Android CSV or backup zip.
func ParseSleepAsAndroid(ctx context.Context, in Input, sink Sink) error {
	head := inputHead(&in, 4)
	if isZip(head) {
		a, err := openArchive(in)
		if err != nil {
			return err
		}
		f := a.find(saaEntryMatch)
		if f == nil {
			return fmt.Errorf("%s: %s %w", a.name, saaEntryName, errArchiveNotFound)
		}
		rc, err := a.open(f)
		if err != nil {
			return err
		}
		defer rc.Close()
		return parseSAACSV(ctx, rc, f.Name, f.Name+" ", sink)
	}
	return parseSAACSV(ctx, in.Reader, uploadName(in, saaEntryName), "", sink)
}

// saaColumns are the positions of the named columns in the current block
// (-1 when the header lacks one).
type saaColumns struct{ tz, from, to, rating, comment int }

func parseSAACSV(ctx context.Context, r io.Reader, name, wherePrefix string, sink Sink) error {
	cr := newCSVReader(r) // any width: every block has its own
	var cols *saaColumns
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if err == io.EOF {
			if cols == nil {
				return fileError(name, 0, "no header line starting with Id,")
			}
			return nil
		}
		if err != nil {
			return csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if rec[0] == "Id" {
			c := saaHeader(rec)
			if c.from < 0 || c.to < 0 {
				return fileError(name, line, "the header has no From and To columns")
			}
			cols = &c
			continue
		}
		if cols == nil {
			return fileError(name, line, "expected a header line starting with Id,")
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		where := wherePrefix + "line " + strconv.Itoa(line)
		s, msg := saaRecord(rec, cols)
		if msg != "" {
			sink.Invalid(where, msg)
			continue
		}
		s.Where = where
		sink.Session(s)
	}
}

func saaHeader(rec []string) saaColumns {
	c := saaColumns{-1, -1, -1, -1, -1}
	for i, h := range rec {
		switch h {
		case "Tz":
			c.tz = setOnce(c.tz, i)
		case "From":
			c.from = setOnce(c.from, i)
		case "To":
			c.to = setOnce(c.to, i)
		case "Rating":
			c.rating = setOnce(c.rating, i)
		case "Comment":
			c.comment = setOnce(c.comment, i)
		}
		if h == "Geo" {
			// Everything after Geo is actigraphy and events, whatever the
			// header calls it.
			break
		}
	}
	return c
}

// setOnce keeps the first column of a name.
func setOnce(cur, i int) int {
	if cur >= 0 {
		return cur
	}
	return i
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// saaRecord maps one record line; a non-empty message makes it invalid.
func saaRecord(rec []string, c *saaColumns) (SessionRecord, string) {
	var s SessionRecord
	var loc *time.Location
	if tz := strings.TrimSpace(field(rec, c.tz)); tz != "" {
		l, err := sleep.LoadZone(tz)
		if err != nil {
			return s, fmt.Sprintf("unknown time zone %q in Tz", tz)
		}
		loc = l
	}
	fromDate, fromClock, ok := parseSAATime(field(rec, c.from))
	if !ok {
		return s, fmt.Sprintf("From %q is not a time in dd. MM. yyyy H:mm format", field(rec, c.from))
	}
	toDate, toClock, ok := parseSAATime(field(rec, c.to))
	if !ok {
		return s, fmt.Sprintf("To %q is not a time in dd. MM. yyyy H:mm format", field(rec, c.to))
	}
	zoneForOrder := loc
	if zoneForOrder == nil {
		zoneForOrder = time.UTC
	}
	from, to := saaInstant(fromDate, fromClock, zoneForOrder), saaInstant(toDate, toClock, zoneForOrder)
	switch {
	case to.Before(from):
		return s, "To is before From"
	case !to.After(from):
		return s, "To is not after From"
	}
	s.Date, s.Bed, s.Wake, s.Zone = toDate, fromClock, toClock, loc
	if raw := strings.TrimSpace(field(rec, c.rating)); raw != "" {
		r, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(r) || math.IsInf(r, 0) {
			return s, fmt.Sprintf("Rating %q is not a number", raw)
		}
		if r != 0 {
			// Quarter steps, rounded half up (2.5 → 3), then clamped.
			s.Quality = intPtrOf(clampInt(int(math.Floor(r+0.5)), 1, 5))
		}
	}
	if note := strings.TrimSpace(strings.ReplaceAll(field(rec, c.comment), `\n`, "\n")); note != "" {
		s.Notes = []string{note}
	}
	return s, ""
}

// parseSAATime parses "dd. MM. yyyy H:mm" (day and month may also come
// without their leading zero; the hour usually does).
func parseSAATime(v string) (sleep.Date, sleep.Clock, bool) {
	v = strings.TrimSpace(v)
	// "dd. MM. yyyy H:mm": the clock follows the last space.
	i := strings.LastIndexByte(v, ' ')
	if i < 0 {
		return sleep.Date{}, 0, false
	}
	datePart, clockPart := v[:i], v[i+1:]
	parts := strings.Split(datePart, ".")
	if len(parts) != 3 {
		return sleep.Date{}, 0, false
	}
	day, ok1 := smallInt(strings.TrimSpace(parts[0]), 2)
	month, ok2 := smallInt(strings.TrimSpace(parts[1]), 2)
	year, ok3 := smallInt(strings.TrimSpace(parts[2]), 4)
	hs, ms, ok4 := strings.Cut(clockPart, ":")
	hour, ok5 := smallInt(hs, 2)
	minute, ok6 := smallInt(ms, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || len(ms) != 2 || hour > 23 || minute > 59 {
		return sleep.Date{}, 0, false
	}
	d, ok := sleep.ParseDate(fmt.Sprintf("%04d-%02d-%02d", year, month, day))
	if !ok {
		return sleep.Date{}, 0, false
	}
	return d, sleep.Clock(hour*3600 + minute*60), true
}

// smallInt parses 1 to maxDigits ASCII digits.
func smallInt(s string, maxDigits int) (int, bool) {
	if s == "" || len(s) > maxDigits {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// saaInstant is the instant of a local date and clock in loc (for ordering
// From and To only: the stored duration follows §6.2 elsewhere).
func saaInstant(d sleep.Date, c sleep.Clock, loc *time.Location) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), c.Hour(), c.Minute(), 0, 0, loc)
}

// csvError words an encoding/csv error as "<name> line N: <what>".
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		var long *lineTooLongError
		if errors.As(pe.Err, &long) {
			return fileError(name, long.line, "%s", long.Error())
		}
		var ent *entryReadError
		if errors.As(pe.Err, &ent) {
			return fileError(name, pe.StartLine, "%s", ent.msg)
		}
		if passThrough(pe.Err) {
			return pe.Err
		}
		line := pe.Line
		if line == 0 {
			line = pe.StartLine
		}
		msg := pe.Err.Error()
		if errors.Is(pe.Err, io.ErrUnexpectedEOF) {
			msg = "unexpected end of file"
		}
		return fileError(name, line, "%s", msg)
	}
	if passThrough(err) {
		return err
	}
	var ent *entryReadError
	if errors.As(err, &ent) {
		return fileError(name, 0, "%s", ent.msg)
	}
	var long *lineTooLongError
	if errors.As(err, &long) {
		return fileError(name, long.line, "%s", long.Error())
	}
	return fileError(name, 0, "%s", err.Error())
}

// lineLimitReader fails once one physical line exceeds maxCSVLineBytes, so a
// file without line breaks cannot make encoding/csv buffer all of it.
//
// It also bounds one record: a quoted field may hold line breaks, so a
// record of many short lines is cut off once the CSV reader has been handed
// more than maxCSVRecordBytes since the last record it returned.
type lineLimitReader struct {
	r     io.Reader
	read  int64
	mark  int64 // read when the last record was returned
	run   int   // bytes since the last line break
	lines int   // line breaks read
}

// maxCSVRecordBytes bounds one CSV record (see lineLimitReader); it is
// larger than a line's bound plus the read-ahead, so a long line is reported
// as such.
const maxCSVRecordBytes = 32 << 20

type lineTooLongError struct {
	line int
	msg  string
}

func (e *lineTooLongError) Error() string { return e.msg }

func (l *lineLimitReader) Read(p []byte) (int, error) {
	// The readers in between buffer ahead (64 KiB): the bound is
	// approximate by that much.
	if l.read-l.mark > maxCSVRecordBytes {
		return 0, &lineTooLongError{line: l.lines + 1, msg: "record larger than 32 MiB"}
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		l.run = n - i - 1
		l.lines += bytes.Count(p[:n], []byte{'\n'})
	} else {
		l.run += n
	}
	if l.run > maxCSVLineBytes {
		return n, &lineTooLongError{line: l.lines + 1, msg: "line longer than 16 MiB"}
	}
	return n, err
}

// newCSVReader is the reader both CSV formats use: any number of fields per
// record, a leading byte order mark dropped, lines bounded.
func newCSVReader(r io.Reader) *boundedCSV {
	limit := &lineLimitReader{r: r}
	cr := csv.NewReader(skipBOM(limit))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &boundedCSV{Reader: cr, limit: limit}
}

// boundedCSV is a csv.Reader whose records are bounded (lineLimitReader).
type boundedCSV struct {
	*csv.Reader
	limit *lineLimitReader
}

// Read returns the next record and starts the next record's budget.
func (b *boundedCSV) Read() ([]string, error) {
	rec, err := b.Reader.Read()
	b.limit.mark = b.limit.read
	return rec, err
}
