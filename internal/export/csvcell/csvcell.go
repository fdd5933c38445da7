// Package csvcell holds the CSV rules every CSV that SleepTracker writes
// follows, in one place (SPEC §12.3, §13.1): RFC 4180 records (CRLF line
// ends; fields with a comma, a double quote or a line break quoted, quotes
// doubled — encoding/csv does this), empty cells for null, and the guard
// against spreadsheet formula injection on free-text cells.
//
// Usage, for any CSV download:
//
//	w := csvcell.NewWriter(out)          // *csv.Writer with CRLF line ends
//	w.Write([]string{
//		date.String(),
//		csvcell.Clock(s.InBed),          // "HH:MM:SS", "" for nil
//		csvcell.ClockHHMM(&s.Bed),       // "HH:MM" (the diary CSV)
//		csvcell.Int(s.Quality),          // "" for nil
//		csvcell.Text(note),              // free text: formula guard
//	})
//	w.Flush(); err := w.Error()
//
// Text applies to every cell that holds user-written text (notes,
// medication); numbers, dates, times and enumerations cannot start with a
// dangerous character and are written as they are. Unguard undoes Text for
// importers reading such a file back.
package csvcell

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"sleeptracker/internal/sleep"
)

// NewWriter returns a CSV writer with RFC 4180 CRLF line ends.
func NewWriter(w io.Writer) *csv.Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (or, for tab and carriage return, hide one).
const formulaStarts = "=+-@\t\r"

// Text guards a free-text cell: text that starts with =, +, -, @, tab or
// carriage return gets a leading "'", which spreadsheets show as text and do
// not evaluate. Other text is returned unchanged.
func Text(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Unguard undoes Text: a cell that is "'" followed by one of the guarded
// characters loses the "'". Any other cell (including text that really starts
// with "'" followed by something else) is returned unchanged.
func Unguard(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte(formulaStarts, s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// Int is the decimal form of *p, or "" for nil.
func Int(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// Clock is "HH:MM:SS", or "" for nil.
func Clock(c *sleep.Clock) string {
	if c == nil {
		return ""
	}
	return c.String()
}

// ClockHHMM is "HH:MM" (seconds dropped), or "" for nil.
func ClockHHMM(c *sleep.Clock) string {
	if c == nil {
		return ""
	}
	return c.String()[:5]
}
