package imports

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ExternalFormats returns the format-table rows of the other sleep trackers
// (SPEC §14), in the order format=auto should try them. Each Detect looks at
// the content only (a zip's entry names, never the upload's file name).
func ExternalFormats() []Format {
	return []Format{
		{Name: "apple-health", Detect: detectAppleHealth, Parse: ParseAppleHealth},
		{Name: "sleep-as-android", Detect: detectSleepAsAndroid, Parse: ParseSleepAsAndroid},
		{Name: "fitbit", Detect: detectFitbit, Parse: ParseFitbit},
		{Name: "plees-tracker", Detect: detectPleesTracker, Parse: ParsePleesTracker},
		{Name: "oura", Detect: detectOura, Parse: ParseOura},
	}
}

// uploadName is the name used in messages for the upload itself: the base of
// in.Name, or the app's usual file name when the upload came without one.
func uploadName(in Input, fallback string) string {
	name := in.Name
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		return fallback
	}
	return name
}

// inputHead returns up to n bytes from the start of the upload without
// consuming in.Reader: through ReaderAt when there is one, else by wrapping
// the Reader in a bufio.Reader (in is updated to read through it).
func inputHead(in *Input, n int) []byte {
	if in.ReaderAt != nil {
		if in.Size > 0 && int64(n) > in.Size {
			n = int(in.Size)
		}
		buf := make([]byte, n)
		m, _ := in.ReaderAt.ReadAt(buf, 0)
		return buf[:m]
	}
	if in.Reader == nil {
		return nil
	}
	br, ok := in.Reader.(*bufio.Reader)
	if !ok || br.Size() < n {
		br = bufio.NewReaderSize(in.Reader, n)
		in.Reader = br
	}
	head, _ := br.Peek(n)
	return head
}

// skipBOM drops a UTF-8 byte order mark at the start of r (spreadsheet tools
// and some exporters write one; neither encoding/csv nor encoding/json
// accepts it).
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	return br
}

// trimBOM drops a UTF-8 byte order mark from a head for detection.
func trimBOM(head []byte) []byte {
	return bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
}

// fileError is an error that makes an upload unreadable, naming the file
// entry and line: "sleep-export.csv line 7: wrong number of fields".
func fileError(name string, line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	switch {
	case name != "" && line > 0:
		return fmt.Errorf("%s line %d: %s", name, line, msg)
	case name != "":
		return fmt.Errorf("%s: %s", name, msg)
	case line > 0:
		return fmt.Errorf("line %d: %s", line, msg)
	}
	return errors.New(msg)
}

// passThrough reports errors that must reach the job unchanged (the archive
// limit, a cancelled context) rather than be dressed as a parse error.
func passThrough(err error) bool {
	var lim *archiveLimitError
	return errors.As(err, &lim) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// intPtrOf returns a pointer to v (nil-able record fields).
func intPtrOf(v int) *int { return &v }

// clampInt bounds v to [lo, hi] (SPEC §14: counts are clamped to their
// ranges).
func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// Field ranges §14 clamps imported counts to.
const (
	maxImportLatencyMin = 180
	maxImportAwakenings = 10
	maxImportWasoMin    = 720
)

// clampedPtr clamps *p to [0, hi] and returns a new pointer (nil stays nil).
func clampedPtr(p *int, hi int) *int {
	if p == nil {
		return nil
	}
	return intPtrOf(clampInt(*p, 0, hi))
}

// maxJSONValueBytes bounds how much of one JSON value the decoder may buffer:
// a sleep log or an Oura document element is a few kilobytes, so a value
// larger than this is not a sleep export and must not cost the memory.
const maxJSONValueBytes = 32 << 20

// guardedJSON feeds a json.Decoder and fails once the decoder holds more than
// maxJSONValueBytes that it has not yet consumed (one giant string or object).
type guardedJSON struct {
	r    io.Reader
	dec  *json.Decoder
	read int64
}

var errJSONValueTooLarge = errors.New("a JSON value is larger than 32 MiB")

func (g *guardedJSON) Read(p []byte) (int, error) {
	if g.dec != nil {
		held := g.read - g.dec.InputOffset()
		if held > maxJSONValueBytes {
			return 0, errJSONValueTooLarge
		}
		// Never hand over more than the limit allows, so the next Read is
		// the one that notices.
		if room := maxJSONValueBytes - held + 1; int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	return n, err
}

// newGuardedDecoder returns a decoder over r whose buffered value is bounded.
func newGuardedDecoder(r io.Reader) (*json.Decoder, *guardedJSON) {
	g := &guardedJSON{r: r}
	dec := json.NewDecoder(g)
	g.dec = dec
	return dec, g
}

// errorOffset is the byte offset a decoding error is reported at: the
// syntax error's own offset, the end of what was read for a truncated file,
// else the decoder's position.
func errorOffset(err error, dec *json.Decoder, g *guardedJSON) int64 {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return syn.Offset
	case errors.Is(err, io.ErrUnexpectedEOF):
		return g.read
	}
	return dec.InputOffset()
}

// lineOfOffset counts the line (1-based) of byte offset off by reading the
// content again from its start; it runs only when reporting an error, so the
// happy path never pays for line bookkeeping. 0 when it cannot be reread.
func lineOfOffset(reopen func() (io.ReadCloser, error), off int64) int {
	if reopen == nil {
		return 0
	}
	rc, err := reopen()
	if err != nil {
		return 0
	}
	defer rc.Close()
	line := 1
	buf := make([]byte, 32<<10)
	for off > 0 {
		n, err := rc.Read(buf[:min(int64(len(buf)), off)])
		line += bytes.Count(buf[:n], []byte{'\n'})
		off -= int64(n)
		if err != nil {
			break
		}
	}
	return line
}

// jsonErrorText words a decoding error for the job's message, without Go's
// package prefixes.
func jsonErrorText(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "malformed JSON: " + strings.TrimPrefix(syn.Error(), "json: ")
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("%s must be a JSON %s", typ.Field, jsonKind(typ.Type.Kind().String()))
		}
		return "unexpected JSON " + typ.Value
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "unexpected end of file"
	case errors.Is(err, errJSONValueTooLarge):
		return err.Error()
	}
	var ent *entryReadError
	if errors.As(err, &ent) {
		return ent.msg
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	case "slice":
		return "array"
	}
	return goKind
}
