package imports

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
)

// zipMagic opens every zip file (a local file header); an empty archive
// starts with the end-of-central-directory record instead.
var (
	zipMagic      = []byte("PK\x03\x04")
	zipEmptyMagic = []byte("PK\x05\x06")
)

// isZip reports whether head looks like the start of a zip archive.
func isZip(head []byte) bool {
	return len(head) >= 4 && (string(head[:4]) == string(zipMagic) || string(head[:4]) == string(zipEmptyMagic))
}

// archive is an uploaded zip opened with the limits of SPEC §13.4: at most
// MaxArchiveEntries entries and at most MaxExpandedBytes expanded in total.
// The expanded bytes are counted while the entries are read (a zip's declared
// sizes are written by whoever made it, so they prove nothing). Entry names
// are only ever compared as strings: nothing is written to or opened on disk.
type archive struct {
	name     string // the upload's name for messages ("export.zip")
	files    []*zip.File
	budget   int64 // bytes still allowed to expand
	limitMiB int64
}

// errArchiveNotFound is wrapped by the parsers' "… not found in the archive".
var errArchiveNotFound = errors.New("not found in the archive")

// openArchive opens in as a zip. The entry count is checked from the end of
// central directory record before archive/zip reads the directory, so an
// archive declaring millions of entries costs no memory.
func openArchive(in Input) (*archive, error) {
	name := uploadName(in, "archive")
	if in.ReaderAt == nil || in.Size <= 0 {
		return nil, fmt.Errorf("%s: the archive cannot be read (no random access)", name)
	}
	maxEntries := in.MaxArchiveEntries
	if maxEntries <= 0 {
		maxEntries = defaultMaxArchiveEntries
	}
	maxBytes := in.MaxExpandedBytes
	if maxBytes <= 0 {
		maxBytes = defaultMaxExpandedBytes
	}
	if n, ok := zipDeclaredEntries(in.ReaderAt, in.Size); ok && n > uint64(maxEntries) {
		return nil, fmt.Errorf("archive has more than %d entries", maxEntries)
	}
	zr, err := zip.NewReader(in.ReaderAt, in.Size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip archive (%s)", name, zipErrorText(err))
	}
	if len(zr.File) > maxEntries {
		return nil, fmt.Errorf("archive has more than %d entries", maxEntries)
	}
	return &archive{name: name, files: zr.File, budget: maxBytes, limitMiB: maxBytes >> 20}, nil
}

// Defaults when a caller leaves Input's limits zero (SPEC §13.4 with the
// default IMPORT_MAX_MB of 2048).
const (
	defaultMaxArchiveEntries = 10000
	defaultMaxExpandedBytes  = 8 * 2048 << 20
)

// find returns the first regular entry for which match(entry name, base name)
// holds.
func (a *archive) find(match func(name, base string) bool) *zip.File {
	for _, f := range a.files {
		if f.FileInfo().IsDir() {
			continue
		}
		if match(f.Name, path.Base(f.Name)) {
			return f
		}
	}
	return nil
}

// all returns every regular entry for which match holds, in archive order.
func (a *archive) all(match func(name, base string) bool) []*zip.File {
	var out []*zip.File
	for _, f := range a.files {
		if !f.FileInfo().IsDir() && match(f.Name, path.Base(f.Name)) {
			out = append(out, f)
		}
	}
	return out
}

// open returns a reader of f's expanded content that fails with
// "archive expands beyond <N> MiB" once the archive's total budget is spent.
func (a *archive) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %s", f.Name, zipErrorText(err))
	}
	return &budgetReader{rc: rc, a: a, entry: f.Name}, nil
}

// budgetReader counts the expanded bytes of one entry against the archive's
// budget.
type budgetReader struct {
	rc    io.ReadCloser
	a     *archive
	entry string
}

// archiveLimitError is returned when the budget is spent; parsers pass it
// through unchanged (passThrough), so the job fails with exactly
// "archive expands beyond <N> MiB".
type archiveLimitError struct{ limitMiB int64 }

func (e *archiveLimitError) Error() string {
	return fmt.Sprintf("archive expands beyond %d MiB", e.limitMiB)
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.a.budget <= 0 {
		// One byte more than the budget proves the limit is crossed.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, &archiveLimitError{b.a.limitMiB}
		}
		if err != nil {
			return 0, b.wrap(err)
		}
		return 0, nil
	}
	if int64(len(p)) > b.a.budget {
		p = p[:b.a.budget]
	}
	n, err := b.rc.Read(p)
	b.a.budget -= int64(n)
	if err != nil && err != io.EOF {
		err = b.wrap(err)
	}
	return n, err
}

func (b *budgetReader) wrap(err error) error {
	if err == io.EOF {
		return err
	}
	return &entryReadError{msg: zipErrorText(err)}
}

// entryReadError is a broken entry (bad deflate data, checksum mismatch); the
// parser prefixes the entry name and line it reached.
type entryReadError struct{ msg string }

func (e *entryReadError) Error() string { return e.msg }

func (b *budgetReader) Close() error { return b.rc.Close() }

// zipErrorText turns archive/zip's errors into words for the job's message.
func zipErrorText(err error) string {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return "not a valid zip file"
	case errors.Is(err, zip.ErrChecksum):
		return "checksum error: the archive is damaged"
	case errors.Is(err, zip.ErrAlgorithm):
		return "unsupported compression method"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of archive"
	}
	return err.Error()
}

// zipDeclaredEntries reads the total entry count from the end of central
// directory record (following a ZIP64 locator when the count is 0xFFFF).
func zipDeclaredEntries(r io.ReaderAt, size int64) (uint64, bool) {
	const eocdLen, maxComment = 22, 65535
	tail := int64(eocdLen + maxComment)
	if tail > size {
		tail = size
	}
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, false
	}
	for i := len(buf) - eocdLen; i >= 0; i-- {
		if buf[i] != 'P' || string(buf[i:i+4]) != "PK\x05\x06" {
			continue
		}
		n := uint64(binary.LittleEndian.Uint16(buf[i+10:]))
		if n != 0xFFFF {
			return n, true
		}
		// ZIP64: the locator sits right before the record.
		locAt := size - tail + int64(i) - 20
		if locAt < 0 {
			return n, true
		}
		loc := make([]byte, 20)
		if _, err := r.ReadAt(loc, locAt); err != nil || string(loc[:4]) != "PK\x06\x07" {
			return n, true
		}
		off := int64(binary.LittleEndian.Uint64(loc[8:]))
		rec := make([]byte, 56)
		if off < 0 || off > size-56 {
			return n, true
		}
		if _, err := r.ReadAt(rec, off); err != nil || string(rec[:4]) != "PK\x06\x06" {
			return n, true
		}
		return binary.LittleEndian.Uint64(rec[32:]), true
	}
	return 0, false
}
