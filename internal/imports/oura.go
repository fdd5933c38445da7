package imports

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"sleeptracker/internal/sleep"
)

// Oura (SPEC §14): the API v2 sleep document, {"data":[…],"next_token":…}
// or a bare array of sleep periods. Times carry their UTC offset, so clock
// times are the wall clock where the ring was. Oura records no awakenings
// and no rating; a period of type "deleted" is skipped.

type ouraSleep struct {
	Type         string   `json:"type"`
	BedtimeStart *string  `json:"bedtime_start"`
	BedtimeEnd   *string  `json:"bedtime_end"`
	Latency      *float64 `json:"latency"` // seconds
}

func detectOura(_ Input, head []byte) bool {
	h := bytes.TrimLeft(trimBOM(head), " \t\r\n")
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return false
	}
	return bytes.Contains(h, []byte(`"bedtime_start"`)) && bytes.Contains(h, []byte(`"bedtime_end"`))
}

// ParseOura reads an Oura API v2 sleep document.
func ParseOura(ctx context.Context, in Input, sink Sink) error {
	name := uploadName(in, "")
	var reopen func() (io.ReadCloser, error)
	if in.ReaderAt != nil && in.Size > 0 {
		reopen = func() (io.ReadCloser, error) {
			return io.NopCloser(io.NewSectionReader(in.ReaderAt, 0, in.Size)), nil
		}
	}
	dec, g := newGuardedDecoder(skipBOM(in.Reader))
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
	switch tok {
	case json.Delim('['):
		if err := ouraArray(ctx, dec, sink); err != nil {
			return fail(err)
		}
	case json.Delim('{'):
		found := false
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return fail(err)
			}
			if key == "data" && !found {
				found = true
				t, err := dec.Token()
				if err != nil {
					return fail(err)
				}
				if t != json.Delim('[') {
					return fail(errors.New(`"data" must be an array of sleep periods`))
				}
				if err := ouraArray(ctx, dec, sink); err != nil {
					return fail(err)
				}
				continue
			}
			if err := skipJSONValue(dec); err != nil {
				return fail(err)
			}
		}
		if _, err := dec.Token(); err != nil {
			return fail(err)
		}
		if !found {
			return fail(errors.New(`the document has no "data" array`))
		}
	default:
		return fail(errors.New(`expected {"data":[…]} or an array of sleep periods`))
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected content after the document")
		}
		return fail(err)
	}
	return nil
}

// ouraArray reads the elements of an array whose '[' was consumed, and its
// closing ']'.
func ouraArray(ctx context.Context, dec *json.Decoder, sink Sink) error {
	for n := 1; dec.More(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		where := "record " + strconv.Itoa(n)
		var p ouraSleep
		if err := dec.Decode(&p); err != nil {
			var typ *json.UnmarshalTypeError
			if errors.As(err, &typ) {
				sink.Invalid(where, jsonErrorText(err))
				continue
			}
			return err
		}
		if p.Type == "deleted" {
			continue
		}
		s, msg := ouraRecord(&p)
		if msg != "" {
			sink.Invalid(where, msg)
			continue
		}
		s.Where = where
		sink.Session(s)
	}
	_, err := dec.Token() // ']'
	return err
}

func ouraRecord(p *ouraSleep) (SessionRecord, string) {
	var s SessionRecord
	if p.BedtimeStart == nil || p.BedtimeEnd == nil {
		return s, "bedtime_start and bedtime_end are required"
	}
	start, err := time.Parse(time.RFC3339, *p.BedtimeStart)
	if err != nil {
		return s, fmt.Sprintf("bedtime_start %q is not an ISO 8601 time with offset", *p.BedtimeStart)
	}
	end, err := time.Parse(time.RFC3339, *p.BedtimeEnd)
	if err != nil {
		return s, fmt.Sprintf("bedtime_end %q is not an ISO 8601 time with offset", *p.BedtimeEnd)
	}
	if !end.After(start) {
		return s, "bedtime_end is not after bedtime_start"
	}
	if start.Year() < 1900 || end.Year() > 2999 {
		return s, "bedtime_start or bedtime_end is outside the years 1900-2999"
	}
	bed, wake := clockOf(start), clockOf(end) // each in its own offset
	s.Date, s.Bed, s.Wake = sleep.DateOf(end), bed, wake
	s.InBed, s.OutOfBed = &bed, &wake
	// The time that passed between the two instants, on whole minutes.
	s.DurationMin = intPtrOf(int(end.Unix()/60 - start.Unix()/60))
	if p.Latency != nil && !math.IsNaN(*p.Latency) {
		s.LatencyMin = intPtrOf(clampInt(int(math.Floor(math.Min(*p.Latency, 1e9)/60)), 0, maxImportLatencyMin))
	}
	return s, ""
}

// skipJSONValue consumes one value (scalar, object or array) token by token,
// so a large sibling of "data" is never held whole.
func skipJSONValue(dec *json.Decoder) error {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}
