// Package export writes SleepTracker's export files (SPEC §13.1): the JSON
// document that imports back losslessly and the spreadsheet CSV. Both are
// streamed from iterators over one consistent read (store.ExportTx): a record
// is encoded and written as it comes, so memory does not grow with the diary.
//
// The export holds the diary only: sessions, exercise, notes, the time zone
// and the sleep window. It never holds the password hash, the session secret,
// login sessions, API tokens or friction telemetry, because the Source it
// reads from has no way to reach them. Ids are not exported either: they are
// local to one database.
//
// The CSV rules shared with the diary CSV (§12.3) live in package csvcell.
package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"iter"
	"strings"
	"time"

	"sleeptracker/internal/export/csvcell"
	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// FormatTag and Version identify the JSON export (SPEC §13.5 reads them).
const (
	FormatTag = "sleeptracker-export"
	Version   = 1
)

// Source is one consistent view of the diary; *store.ExportTx is one.
// Sessions come by date, naive bed datetime, id; exercise and notes by date,
// id. An iterator that yields an error stops there.
type Source interface {
	Timezone() (*string, error)
	SleepWindow() (*sleep.SleepWindow, error)
	Sessions() iter.Seq2[sleep.Session, error]
	Exercise() iter.Seq2[store.ExerciseRecord, error]
	Notes() iter.Seq2[sleep.Note, error]
}

// FileName is the download name of an export made on today (the user's
// date): sleeptracker-export-<today>.json or .csv.
func FileName(today sleep.Date, format string) string {
	return "sleeptracker-export-" + today.String() + "." + format
}

// The JSON records, with their fields in the order of SPEC §13.1.
type (
	jsonSession struct {
		Date        sleep.Date  `json:"date"`
		Bed         sleep.Clock `json:"bed_time"`
		Wake        sleep.Clock `json:"wake_time"`
		LatencyMin  *int        `json:"latency_min"`
		Awakenings  *int        `json:"awakenings"`
		Quality     *int        `json:"quality"`
		DurationMin int         `json:"duration_min"`
		sleep.DiaryItems
	}
	jsonExercise struct {
		Date        sleep.Date      `json:"date"`
		Intensity   sleep.Intensity `json:"intensity"`
		StartTime   *sleep.Clock    `json:"start_time"`
		DurationMin *int            `json:"duration_min"`
	}
	jsonNote struct {
		Date sleep.Date `json:"date"`
		Body string     `json:"body"`
	}
	jsonSleepWindow struct {
		Wake      sleep.Clock `json:"wake_time"`
		WindowMin int         `json:"window_min"`
		Since     sleep.Date  `json:"since"`
	}
)

// jsonStream writes JSON tokens and values to a buffered writer and keeps the
// first error, so the writer below reads as the layout it produces.
type jsonStream struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func newJSONStream(w io.Writer) *jsonStream {
	s := &jsonStream{w: bufio.NewWriterSize(w, 32<<10)}
	s.enc = json.NewEncoder(&s.buf)
	// Notes are written as typed: "<" stays "<" (as in every API answer).
	s.enc.SetEscapeHTML(false)
	return s
}

func (s *jsonStream) raw(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

func (s *jsonStream) value(v any) {
	if s.err != nil {
		return
	}
	s.buf.Reset()
	if s.err = s.enc.Encode(v); s.err != nil {
		return
	}
	_, s.err = s.w.Write(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")))
}

// array writes "[v1,v2,…]" from seq, converting each element with conv.
func array[T any](s *jsonStream, seq iter.Seq2[T, error], conv func(T) any) {
	s.raw("[")
	first := true
	for v, err := range seq {
		if err != nil {
			s.err = err
			return
		}
		if s.err != nil {
			return
		}
		if !first {
			s.raw(",")
		}
		first = false
		s.value(conv(v))
	}
	s.raw("]")
}

// WriteJSON writes the JSON export of src (SPEC §13.1) to w:
//
//	{"format":"sleeptracker-export","version":1,"exported_at":…,"timezone":…,
//	 "sessions":[…],"exercise":[…],"notes":[…],"sleep_window":…}
//
// exportedAt is written in UTC to the second. Whitespace-free, one line, with
// a final newline.
func WriteJSON(w io.Writer, src Source, exportedAt time.Time) error {
	tz, err := src.Timezone()
	if err != nil {
		return err
	}
	window, err := src.SleepWindow()
	if err != nil {
		return err
	}
	s := newJSONStream(w)
	s.raw(`{"format":`)
	s.value(FormatTag)
	s.raw(`,"version":`)
	s.value(Version)
	s.raw(`,"exported_at":`)
	s.value(exportedAt.UTC().Format("2006-01-02T15:04:05Z"))
	s.raw(`,"timezone":`)
	s.value(tz)
	s.raw(`,"sessions":`)
	array(s, src.Sessions(), func(x sleep.Session) any {
		return jsonSession{Date: x.Date, Bed: x.Bed, Wake: x.Wake, LatencyMin: x.LatencyMin,
			Awakenings: x.Awakenings, Quality: x.Quality, DurationMin: x.DurationMin, DiaryItems: x.DiaryItems}
	})
	s.raw(`,"exercise":`)
	array(s, src.Exercise(), func(x store.ExerciseRecord) any {
		return jsonExercise{Date: x.Date, Intensity: x.Intensity, StartTime: x.StartTime, DurationMin: x.DurationMin}
	})
	s.raw(`,"notes":`)
	array(s, src.Notes(), func(x sleep.Note) any { return jsonNote{Date: x.Date, Body: x.Body} })
	s.raw(`,"sleep_window":`)
	if window == nil {
		s.raw("null")
	} else {
		s.value(jsonSleepWindow{Wake: window.Wake, WindowMin: window.WindowMin, Since: window.Since})
	}
	s.raw("}\n")
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// CSVHeader is the header row of the CSV export (SPEC §13.1).
var CSVHeader = []string{"date", "bed_time", "wake_time", "duration_min", "latency_min", "awakenings", "quality",
	"in_bed_time", "waso_min", "out_of_bed_time", "rested", "alcohol_drinks", "caffeine_drinks", "medication",
	"exercise_intensity", "notes"}

// NoteSeparator joins the notes of a date in the CSV's notes cell.
const NoteSeparator = " | "

// WriteCSV writes the CSV export of src (SPEC §13.1) to w: the header, then
// one row per session in the sessions' order, with the intensity (§6.5: the
// highest of the date's records) and the notes (joined in id order) of the
// session's wake date. The three ordered streams are merged by date, so only
// one date's notes are in memory at a time.
func WriteCSV(w io.Writer, src Source) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	cw := csvcell.NewWriter(bw)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	exercise := newCursor(src.Exercise(), func(r store.ExerciseRecord) sleep.Date { return r.Date })
	defer exercise.stop()
	notes := newCursor(src.Notes(), func(n sleep.Note) sleep.Date { return n.Date })
	defer notes.stop()

	var (
		current   sleep.Date // the date intensity and noteCell describe
		haveDate  bool
		intensity string
		noteCell  string
		bodies    []string
	)
	row := make([]string, len(CSVHeader))
	for s, err := range src.Sessions() {
		if err != nil {
			return err
		}
		if !haveDate || s.Date != current {
			current, haveDate = s.Date, true
			intensity = ""
			seen := false
			var best sleep.Intensity // the zero value sorts below "none"
			err := exercise.each(current, func(r store.ExerciseRecord) {
				best, seen = sleep.MaxIntensity(best, r.Intensity), true
			})
			if err != nil {
				return err
			}
			if seen {
				intensity = best.String()
			}
			bodies = bodies[:0]
			if err := notes.each(current, func(n sleep.Note) { bodies = append(bodies, n.Body) }); err != nil {
				return err
			}
			noteCell = csvcell.Text(strings.Join(bodies, NoteSeparator))
		}
		row = append(row[:0], s.Date.String(), s.Bed.String(), s.Wake.String(), csvcell.Int(&s.DurationMin),
			csvcell.Int(s.LatencyMin), csvcell.Int(s.Awakenings), csvcell.Int(s.Quality),
			csvcell.Clock(s.InBed), csvcell.Int(s.WasoMin), csvcell.Clock(s.OutOfBed), csvcell.Int(s.Rested),
			csvcell.Int(s.AlcoholDrinks), csvcell.Int(s.CaffeineDrinks), csvcell.Text(deref(s.Medication)),
			intensity, noteCell)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// cursor walks an iterator ordered by date alongside the sessions: each
// skips the records before a date and hands over that date's records.
type cursor[T any] struct {
	next    func() (T, error, bool)
	stop    func()
	date    func(T) sleep.Date
	pending T
	has     bool
	done    bool
}

func newCursor[T any](seq iter.Seq2[T, error], date func(T) sleep.Date) *cursor[T] {
	next, stop := iter.Pull2(seq)
	return &cursor[T]{next: next, stop: stop, date: date}
}

// each calls fn for every record of date d, after skipping earlier ones.
// Dates must be asked for in ascending order.
func (c *cursor[T]) each(d sleep.Date, fn func(T)) error {
	for {
		if !c.has {
			if c.done {
				return nil
			}
			v, err, ok := c.next()
			if !ok {
				c.done = true
				return nil
			}
			if err != nil {
				c.done = true
				return err
			}
			c.pending, c.has = v, true
		}
		switch cmp := c.date(c.pending).Compare(d); {
		case cmp < 0:
			c.has = false
		case cmp == 0:
			fn(c.pending)
			c.has = false
		default:
			return nil
		}
	}
}
