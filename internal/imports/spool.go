package imports

import (
	"errors"
	"io"
	"os"
	"sync"
)

// spool is the temporary file an upload is written to (SPEC §13.4: in the
// database's folder, deleted when the job ends). The parser does not wait
// for the upload to finish: its readers follow the writer and block only
// when they catch up with it, so parsing and uploading overlap and the file
// is read once, mostly from the page cache, while it is still being written.
type spool struct {
	path  string
	w     *os.File // nil for a file that was complete from the start (CLI)
	r     *os.File // shared read handle (ReadAt is safe for concurrent use)
	owned bool     // delete the file when the job ends

	mu      sync.Mutex
	cond    *sync.Cond
	written int64
	done    bool  // the upload is complete: written is the final size
	err     error // the upload was aborted; readers fail with it
}

// spoolPattern names the spooled uploads of the database named owner
// (os.CreateTemp replaces the star), so servers of two databases in one
// folder never touch each other's files.
func spoolPattern(owner string) string {
	if owner == "" {
		return ".sleeptracker-import-*"
	}
	return ".sleeptracker-import-" + owner + "-*"
}

// errSpoolAborted is what followers read after the upload was abandoned.
var errSpoolAborted = errors.New("upload aborted")

// newSpool creates an empty temporary file in dir for an upload.
func newSpool(dir, owner string) (*spool, error) {
	w, err := os.CreateTemp(dir, spoolPattern(owner))
	if err != nil {
		return nil, err
	}
	r, err := os.Open(w.Name())
	if err != nil {
		w.Close()
		os.Remove(w.Name())
		return nil, err
	}
	s := &spool{path: w.Name(), w: w, r: r, owned: true}
	s.cond = sync.NewCond(&s.mu)
	return s, nil
}

// openSpool wraps an existing, complete file (sleep-api import FILE); it is
// never deleted.
func openSpool(path string) (*spool, error) {
	r, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	info, err := r.Stat()
	if err != nil {
		r.Close()
		return nil, err
	}
	s := &spool{path: path, r: r, written: info.Size(), done: true}
	s.cond = sync.NewCond(&s.mu)
	return s, nil
}

// Write appends p to the file and wakes the followers. Once the job has
// ended while its upload still arrives (the file could not be read, or it
// was discarded), the spool is gone and the rest of the upload is dropped, so
// the request can still be answered with the job.
func (s *spool) Write(p []byte) (int, error) {
	s.mu.Lock()
	w := s.w
	s.mu.Unlock()
	if w == nil {
		return len(p), nil
	}
	n, err := w.Write(p)
	s.mu.Lock()
	gone := s.w == nil
	if !gone {
		s.written += int64(n)
	}
	s.mu.Unlock()
	if gone {
		return len(p), nil
	}
	s.cond.Broadcast()
	return n, err
}

// finish marks the upload complete; followers then see EOF at its end.
func (s *spool) finish() error {
	s.mu.Lock()
	w := s.w
	s.w = nil
	s.done = s.err == nil
	s.mu.Unlock()
	var err error
	if w != nil {
		err = w.Close()
	}
	s.cond.Broadcast()
	return err
}

// abort makes every follower fail (the upload will never complete).
func (s *spool) abort(err error) {
	s.mu.Lock()
	if s.err == nil && !s.done {
		s.err = err
	}
	s.mu.Unlock()
	s.cond.Broadcast()
}

// remove closes the handles and deletes an owned file. Safe to call twice.
func (s *spool) remove() {
	s.abort(errSpoolAborted)
	s.mu.Lock()
	w, r := s.w, s.r
	s.w, s.r = nil, nil
	s.mu.Unlock()
	if w != nil {
		w.Close()
	}
	if r != nil {
		r.Close()
	}
	if s.owned {
		os.Remove(s.path)
	}
}

// size returns the bytes written so far and whether that is final.
func (s *spool) size() (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written, s.done
}

// waitFor blocks until at least want bytes are written or the upload ended;
// it returns the bytes available.
func (s *spool) waitFor(want int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.written < want && !s.done && s.err == nil {
		s.cond.Wait()
	}
	if s.err != nil {
		return 0, s.err
	}
	return s.written, nil
}

// wait blocks until the upload is complete and returns its size.
func (s *spool) wait() (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for !s.done && s.err == nil {
		s.cond.Wait()
	}
	if s.err != nil {
		return 0, s.err
	}
	return s.written, nil
}

func (s *spool) readHandle() (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.r == nil {
		return nil, errSpoolAborted
	}
	return s.r, nil
}

// follower reads the spool sequentially from off, blocking at the writer.
type follower struct {
	s   *spool
	off int64
}

func (f *follower) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	avail, err := f.s.waitFor(f.off + 1)
	if err != nil {
		return 0, err
	}
	if avail <= f.off {
		return 0, io.EOF // complete and fully read
	}
	r, err := f.s.readHandle()
	if err != nil {
		return 0, err
	}
	n := int(min(int64(len(p)), avail-f.off))
	n, err = r.ReadAt(p[:n], f.off)
	f.off += int64(n)
	if errors.Is(err, io.EOF) && n > 0 {
		err = nil
	}
	return n, err
}

// ReadAt serves random access (archive/zip), blocking until the bytes asked
// for are written; past the final end it returns io.EOF like os.File.
func (s *spool) ReadAt(p []byte, off int64) (int, error) {
	avail, err := s.waitFor(off + int64(len(p)))
	if err != nil {
		return 0, err
	}
	r, err := s.readHandle()
	if err != nil {
		return 0, err
	}
	if off >= avail {
		return 0, io.EOF
	}
	end := min(avail, off+int64(len(p)))
	n, err := r.ReadAt(p[:end-off], off)
	if err == nil && end-off < int64(len(p)) {
		err = io.EOF
	}
	return n, err
}
