package imports

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"sleeptracker/internal/sleep"
)

// Fitbit (SPEC §14): the data export's sleep-YYYY-MM-DD.json files, one
// alone or any number inside a zip (Google Takeout nests them in
// "Takeout/Fitbit/Global Export Data/"). Each file is a JSON array of sleep
// logs, streamed one log at a time: the per-30-seconds levels.data and
// levels.shortData arrays are skipped without being kept.

// fitbitLog holds the fields §14 maps; everything else of a log is skipped.
type fitbitLog struct {
	StartTime           *string `json:"startTime"`
	EndTime             *string `json:"endTime"`
	MinutesToFallAsleep *int    `json:"minutesToFallAsleep"`
	MinutesAwake        *int    `json:"minutesAwake"`
	Type                string  `json:"type"`
	MainSleep           *bool   `json:"mainSleep"`
	Levels              struct {
		Summary struct {
			Wake  *struct{ Count *int } `json:"wake"`  // type "stages"
			Awake *struct{ Count *int } `json:"awake"` // type "classic"
		} `json:"summary"`
	} `json:"levels"`
}

// fitbitEntryMatch picks the sleep files of an export.
func fitbitEntryMatch(_, base string) bool {
	return strings.HasPrefix(base, "sleep-") && strings.HasSuffix(base, ".json")
}

func detectFitbit(in Input, head []byte) bool {
	if isZip(head) {
		a, err := openArchive(in)
		return err == nil && a.find(fitbitEntryMatch) != nil
	}
	h := bytes.TrimLeft(trimBOM(head), " \t\r\n")
	return len(h) > 0 && h[0] == '[' && bytes.Contains(h, []byte(`"logId"`)) &&
		bytes.Contains(h, []byte(`"startTime"`)) &&
		(bytes.Contains(h, []byte(`"minutesAsleep"`)) || bytes.Contains(h, []byte(`"dateOfSleep"`)))
}

// ParseFitbit reads one Fitbit sleep file or a zip holding many.
func ParseFitbit(ctx context.Context, in Input, sink Sink) error {
	head := inputHead(&in, 4)
	if !isZip(head) {
		name := uploadName(in, "")
		var reopen func() (io.ReadCloser, error)
		if in.ReaderAt != nil && in.Size > 0 {
			reopen = func() (io.ReadCloser, error) {
				return io.NopCloser(io.NewSectionReader(in.ReaderAt, 0, in.Size)), nil
			}
		}
		return parseFitbitFile(ctx, in.Reader, name, reopen, sink)
	}
	a, err := openArchive(in)
	if err != nil {
		return err
	}
	files := a.all(fitbitEntryMatch)
	if len(files) == 0 {
		return fmt.Errorf("%s: no sleep-*.json file in the archive", a.name)
	}
	for _, f := range files {
		if err := parseFitbitEntry(ctx, a, f, sink); err != nil {
			return err
		}
	}
	return nil
}

func parseFitbitEntry(ctx context.Context, a *archive, f *zip.File, sink Sink) error {
	rc, err := a.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	// Counting lines reads the entry again, outside the budget: it reads no
	// further than the error, which the budget already allowed.
	reopen := func() (io.ReadCloser, error) { return f.Open() }
	return parseFitbitFile(ctx, rc, f.Name, reopen, sink)
}

// parseFitbitFile streams one JSON array of sleep logs.
func parseFitbitFile(ctx context.Context, r io.Reader, name string, reopen func() (io.ReadCloser, error), sink Sink) error {
	dec, g := newGuardedDecoder(skipBOM(r))
	fail := func(err error) error {
		if passThrough(err) {
			return err
		}
		return fileError(name, lineOfOffset(reopen, errorOffset(err, dec, g)+bomLen(reopen)), "%s", jsonErrorText(err))
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fail(errors.New("expected a JSON array of sleep logs"))
	}
	wherePrefix := name
	if wherePrefix != "" {
		wherePrefix += " "
	}
	for n := 1; dec.More(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var log fitbitLog
		where := wherePrefix + "record " + strconv.Itoa(n)
		if err := dec.Decode(&log); err != nil {
			var typ *json.UnmarshalTypeError
			if errors.As(err, &typ) {
				// The log was read whole; only its content is wrong.
				sink.Invalid(where, jsonErrorText(err))
				continue
			}
			return fail(err)
		}
		s, msg := fitbitRecord(&log)
		if msg != "" {
			sink.Invalid(where, msg)
			continue
		}
		s.Where = where
		sink.Session(s)
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected content after the array")
		}
		return fail(err)
	}
	return nil
}

// bomLen is 3 when the content starts with a byte order mark (skipped before
// the decoder, so its offsets start after it).
func bomLen(reopen func() (io.ReadCloser, error)) int64 {
	if reopen == nil {
		return 0
	}
	rc, err := reopen()
	if err != nil {
		return 0
	}
	defer rc.Close()
	var b [3]byte
	if n, _ := io.ReadFull(rc, b[:]); n == 3 && string(b[:]) == "\xEF\xBB\xBF" {
		return 3
	}
	return 0
}

func fitbitRecord(l *fitbitLog) (SessionRecord, string) {
	var s SessionRecord
	if l.StartTime == nil || l.EndTime == nil {
		return s, "startTime and endTime are required"
	}
	start, ok := parseLocalISO(*l.StartTime)
	if !ok {
		return s, fmt.Sprintf("startTime %q is not a local time like 2023-04-04T00:50:30.000", *l.StartTime)
	}
	end, ok := parseLocalISO(*l.EndTime)
	if !ok {
		return s, fmt.Sprintf("endTime %q is not a local time like 2023-04-04T06:21:30.000", *l.EndTime)
	}
	if !end.After(start) {
		return s, "endTime is not after startTime"
	}
	bed, wake := clockOf(start), clockOf(end)
	s.Date, s.Bed, s.Wake = sleep.DateOf(end), bed, wake
	s.InBed, s.OutOfBed = &bed, &wake
	s.LatencyMin = clampedPtr(l.MinutesToFallAsleep, maxImportLatencyMin)
	s.WasoMin = clampedPtr(l.MinutesAwake, maxImportWasoMin)
	var count *int
	switch {
	case l.Type == "classic" && l.Levels.Summary.Awake != nil:
		count = l.Levels.Summary.Awake.Count
	case l.Type != "classic" && l.Levels.Summary.Wake != nil:
		count = l.Levels.Summary.Wake.Count
	}
	s.Awakenings = clampedPtr(count, maxImportAwakenings)
	return s, ""
}

// parseLocalISO parses a zone-less local time "2006-01-02T15:04:05" with an
// optional fraction (Fitbit writes milliseconds); the result is a naive time
// in UTC.
func parseLocalISO(v string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05", v)
	if err != nil {
		t, err = time.Parse("2006-01-02T15:04", v)
	}
	if err != nil || t.Year() < 1900 || t.Year() > 2999 {
		return time.Time{}, false
	}
	return t, true
}
