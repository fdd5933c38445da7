package imports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"sleeptracker/internal/sleep"
)

// Plees Tracker (SPEC §14): a CSV "sid,start,stop,rating" whose start and
// stop are epoch milliseconds. The app keeps no zone, so the clock times are
// the wall clock in the job's time zone; rating 0 means "not rated".

const pleesHeader = "sid,start,stop,rating"

func detectPleesTracker(_ Input, head []byte) bool {
	line, _, _ := bytes.Cut(trimBOM(head), []byte{'\n'})
	return string(bytes.TrimSpace(line)) == pleesHeader
}

// ParsePleesTracker reads a Plees Tracker CSV export.
func ParsePleesTracker(ctx context.Context, in Input, sink Sink) error {
	name := uploadName(in, "")
	loc := in.Timezone
	if loc == nil {
		loc = time.UTC
	}
	cr := newCSVReader(in.Reader)
	header, err := cr.Read()
	if err == io.EOF {
		return fileError(name, 0, "the file is empty")
	}
	if err != nil {
		return csvError(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[strings.TrimSpace(h)]; !dup {
			col[strings.TrimSpace(h)] = i
		}
	}
	for _, want := range []string{"start", "stop"} {
		if _, ok := col[want]; !ok {
			return fileError(name, 1, "the header has no %s column (want %s)", want, pleesHeader)
		}
	}
	ratingCol, hasRating := col["rating"]
	if !hasRating {
		ratingCol = -1
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		where := "line " + strconv.Itoa(line)
		s, msg := pleesRecord(rec, col["start"], col["stop"], ratingCol, loc)
		if msg != "" {
			sink.Invalid(where, msg)
			continue
		}
		s.Where = where
		sink.Session(s)
	}
}

func pleesRecord(rec []string, startCol, stopCol, ratingCol int, loc *time.Location) (SessionRecord, string) {
	var s SessionRecord
	start, err := strconv.ParseInt(strings.TrimSpace(field(rec, startCol)), 10, 64)
	if err != nil {
		return s, fmt.Sprintf("start %q is not epoch milliseconds", field(rec, startCol))
	}
	stop, err := strconv.ParseInt(strings.TrimSpace(field(rec, stopCol)), 10, 64)
	if err != nil {
		return s, fmt.Sprintf("stop %q is not epoch milliseconds", field(rec, stopCol))
	}
	if stop <= start {
		return s, "stop is not after start"
	}
	bed, wake := time.UnixMilli(start).In(loc), time.UnixMilli(stop).In(loc)
	if bed.Year() < 1900 || wake.Year() > 2999 {
		return s, "start or stop is outside the years 1900-2999"
	}
	s.Date, s.Bed, s.Wake = sleep.DateOf(wake), clockOf(bed), clockOf(wake)
	if ratingCol >= 0 {
		raw := strings.TrimSpace(field(rec, ratingCol))
		r, err := strconv.Atoi(raw)
		switch {
		case raw == "":
		case err != nil || r < 0 || r > 5:
			return s, fmt.Sprintf("rating %q is not a whole number from 0 to 5", raw)
		case r != 0:
			s.Quality = intPtrOf(r)
		}
	}
	return s, ""
}

// clockOf is t's wall clock with the seconds dropped (SPEC §14).
func clockOf(t time.Time) sleep.Clock {
	return sleep.Clock(t.Hour()*3600 + t.Minute()*60)
}
