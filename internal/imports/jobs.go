package imports

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// State is an import job's state (SPEC §13.4).
type State string

// The states: parsing → ready → committing → committed; or failed, discarded.
const (
	StateParsing    State = "parsing"
	StateReady      State = "ready"
	StateCommitting State = "committing"
	StateCommitted  State = "committed"
	StateFailed     State = "failed"
	StateDiscarded  State = "discarded"
)

// active reports the states that hold the one import slot.
func (s State) active() bool {
	return s == StateParsing || s == StateReady || s == StateCommitting
}

// Lifetimes of SPEC §13.4.
const (
	readyLifetime    = time.Hour // a ready job not committed is discarded
	finishedLifetime = time.Hour // an ended job is forgotten
)

// headSize is how much of the upload detection sees (Format.Detect).
const headSize = 64 << 10

// Limits on untrusted archives (SPEC §13.4).
const maxArchiveEntries = 10000

// Errors of the job routes; the HTTP layer maps them to statuses.
var (
	ErrBusy         = errors.New("another import is in progress; commit or discard it first")
	ErrEmpty        = errors.New("import file is empty")
	ErrUnrecognised = errors.New("could not recognise the file; choose its format")
	ErrNotFound     = errors.New("not found")
)

// TooLargeError is an upload beyond IMPORT_MAX_MB.
type TooLargeError struct{ MaxMiB int64 }

func (e *TooLargeError) Error() string { return fmt.Sprintf("import file exceeds %d MiB", e.MaxMiB) }

// NotReadyError is a commit of a job that is not ready.
type NotReadyError struct{ State State }

func (e *NotReadyError) Error() string {
	return fmt.Sprintf("import is not ready to commit (state %s)", e.State)
}

// JobError is the error envelope (§3.2) of a failed job.
type JobError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// JobView is the ImportJob of SPEC §13.4 as the API returns it.
type JobView struct {
	ID         string    `json:"id"`
	Format     string    `json:"format"`
	State      State     `json:"state"`
	BytesTotal int64     `json:"bytes_total"`
	BytesDone  int64     `json:"bytes_done"`
	CreatedAt  string    `json:"created_at"`
	Report     *Report   `json:"report"`
	Error      *JobError `json:"error"`
}

// Store is what jobs need of the database (implemented by *store.Store): a
// read of what an import's dates already hold, for the preview, and a commit
// that reads the same inside ONE write transaction, lets build decide, and
// stores the plan — all of it or nothing.
type Store interface {
	ImportExisting(ctx context.Context, span Span) (Existing, error)
	CommitImport(ctx context.Context, span Span, build func(Existing) (*Plan, error)) error
}

// Config wires a Registry.
type Config struct {
	Store Store
	// Dir is where uploads are spooled: the database's folder; Owner (the
	// database's file name) is part of the spooled files' names.
	Dir, Owner string
	// MaxBytes is IMPORT_MAX_MB in bytes; archives may expand to 8 × it.
	MaxBytes int64
	// Formats is the format table; nil means Formats().
	Formats []Format
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Registry keeps the import jobs in memory (SPEC §13.4): at most one job
// holds the import slot (parsing, ready or committing); a restart forgets
// all of them, which is safe because nothing is written before a commit.
type Registry struct {
	cfg Config

	mu   sync.Mutex
	jobs map[string]*job
	seq  int
}

// NewRegistry returns an empty registry.
func NewRegistry(cfg Config) *Registry {
	if cfg.Formats == nil {
		cfg.Formats = Formats()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Registry{cfg: cfg, jobs: map[string]*job{}}
}

// FormatTable is the registry's format table.
func (r *Registry) FormatTable() []Format { return r.cfg.Formats }

type job struct {
	id        string
	seq       int
	createdAt time.Time
	sp        *spool
	// sizeHint is the announced size (Content-Length), -1 when unknown.
	sizeHint  int64
	bytesDone atomic.Int64
	cancel    context.CancelFunc
	// detected is closed once the format is known (or detection failed,
	// detectErr set); settled once the job left parsing.
	detected  chan struct{}
	detectErr error
	settled   chan struct{}

	// Guarded by Registry.mu.
	format  string
	state   State
	readyAt time.Time
	endedAt time.Time
	report  *Report
	err     *JobError
	coll    *collection
	opts    ruleOptions
}

// Request describes a new job.
type Request struct {
	// Format is a name of the table or AutoFormat.
	Format string
	// Zone and ZoneName are the job's time zone (rule 4 of §13.4).
	Zone     *time.Location
	ZoneName string
	// Size is the announced upload size, -1 when unknown (multipart, chunked).
	Size int64
	// Name is the uploaded file's name, "" when unknown.
	Name string
}

// Upload is a job whose file is still arriving: write the body into it,
// then Finish (or Abort on any failure).
type Upload struct {
	r       *Registry
	j       *job
	limited bool
	max     int64
	n       int64 // bytes received
}

// newID returns "imp_" and 22 URL-safe characters (128 random bits).
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "imp_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// Begin takes the import slot and starts a job whose upload is written
// through the returned Upload; parsing starts at once and follows the
// upload. ErrBusy when another job holds the slot; a format name must be
// valid (the caller checks it against the table).
func (r *Registry) Begin(req Request) (*Upload, error) {
	sp, err := newSpoolIfFree(r)
	if err != nil {
		return nil, err
	}
	j, err := r.register(req, sp)
	if err != nil {
		sp.remove()
		return nil, err
	}
	return &Upload{r: r, j: j, max: r.cfg.MaxBytes, limited: r.cfg.MaxBytes > 0}, nil
}

// newSpoolIfFree checks the slot before creating a file (register checks
// again under the lock, so two racing uploads cannot both win).
func newSpoolIfFree(r *Registry) (*spool, error) {
	r.mu.Lock()
	busy := r.busyLocked()
	r.mu.Unlock()
	if busy {
		return nil, ErrBusy
	}
	return newSpool(r.cfg.Dir, r.cfg.Owner)
}

// BeginFile starts a job on a complete file that is not deleted afterwards
// (sleep-api import FILE).
func (r *Registry) BeginFile(req Request, path string) (string, error) {
	sp, err := openSpool(path)
	if err != nil {
		return "", err
	}
	if n, _ := sp.size(); n == 0 {
		sp.remove()
		return "", ErrEmpty
	}
	req.Size, _ = sp.size()
	j, err := r.register(req, sp)
	if err != nil {
		sp.remove()
		return "", err
	}
	<-j.detected
	if j.detectErr != nil {
		r.forget(j)
		return "", j.detectErr
	}
	return j.id, nil
}

func (r *Registry) busyLocked() bool {
	r.sweepLocked()
	for _, j := range r.jobs {
		if j.state.active() {
			return true
		}
	}
	return false
}

func (r *Registry) register(req Request, sp *spool) (*job, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.busyLocked() {
		return nil, ErrBusy
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.seq++
	j := &job{
		id: newID(), seq: r.seq, createdAt: r.cfg.Now(), sp: sp, sizeHint: req.Size, cancel: cancel,
		detected: make(chan struct{}), settled: make(chan struct{}),
		format: req.Format, state: StateParsing,
		opts: ruleOptions{zone: req.Zone, zoneName: req.ZoneName},
	}
	r.jobs[j.id] = j
	go r.run(ctx, j, req)
	return j, nil
}

// Write spools p. It fails when the upload grows beyond the limit (a
// *TooLargeError) or detection already rejected it (ErrUnrecognised).
func (u *Upload) Write(p []byte) (int, error) {
	select {
	case <-u.j.detected:
		if u.j.detectErr != nil {
			return 0, u.j.detectErr
		}
	default:
	}
	if u.limited && u.n+int64(len(p)) > u.max {
		return 0, &TooLargeError{MaxMiB: u.max >> 20}
	}
	u.n += int64(len(p))
	return u.j.sp.Write(p)
}

// ID is the job's id.
func (u *Upload) ID() string { return u.j.id }

// Finish completes the upload. It waits until the format is known, so a
// file that format=auto cannot place is ErrUnrecognised (and no job
// remains); an empty upload is ErrEmpty. Parsing goes on in the background.
func (u *Upload) Finish() (JobView, error) {
	if err := u.j.sp.finish(); err != nil {
		u.Abort()
		return JobView{}, err
	}
	if u.n == 0 {
		u.Abort()
		return JobView{}, ErrEmpty
	}
	<-u.j.detected
	if u.j.detectErr != nil {
		u.Abort()
		return JobView{}, u.j.detectErr
	}
	return u.r.view(u.j), nil
}

// Abort abandons the upload: the job is forgotten and its file deleted, as
// if it never existed (a 413, a dropped connection).
func (u *Upload) Abort() { u.r.forget(u.j) }

func (r *Registry) forget(j *job) {
	j.cancel()
	j.sp.remove()
	r.mu.Lock()
	delete(r.jobs, j.id)
	r.mu.Unlock()
}

// countingReader and countingReaderAt advance a job's bytes_done.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

type countingReaderAt struct {
	r io.ReaderAt
	n *atomic.Int64
}

func (c countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// run detects (format=auto) and parses the upload while it arrives, then
// evaluates the rules for the preview.
func (r *Registry) run(ctx context.Context, j *job, req Request) {
	defer close(j.settled)
	detectedOnce := sync.OnceFunc(func() { close(j.detected) })
	defer detectedOnce()

	fail := func(err error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if j.state != StateParsing {
			return // discarded meanwhile
		}
		j.state, j.endedAt = StateFailed, r.cfg.Now()
		j.err = &JobError{Code: "bad_request", Message: err.Error()}
		j.cancel()
		j.sp.remove()
		r.scheduleSweep()
	}

	head := make([]byte, headSize)
	n, err := io.ReadFull(&follower{s: j.sp}, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return // the upload was abandoned
	}
	head = head[:n]
	size := req.Size
	if size < 0 {
		// Without an announced size, random access (archives) needs the
		// whole file first.
		if size, err = j.sp.wait(); err != nil {
			return
		}
	}
	in := Input{
		Reader:            countingReader{io.MultiReader(bytes.NewReader(head), &follower{s: j.sp, off: int64(n)}), &j.bytesDone},
		ReaderAt:          countingReaderAt{j.sp, &j.bytesDone},
		Size:              size,
		Name:              req.Name,
		Path:              j.sp.path,
		Wait:              func() error { _, err := j.sp.wait(); return err },
		Timezone:          req.Zone,
		MaxArchiveEntries: maxArchiveEntries,
		MaxExpandedBytes:  8 * r.cfg.MaxBytes,
	}
	f, ok := lookupFormat(r.cfg.Formats, req.Format)
	if req.Format == AutoFormat {
		f, ok = detect(r.cfg.Formats, in, head)
	}
	if !ok {
		j.detectErr = ErrUnrecognised
		return
	}
	// Detection may have read through the counters (archives); progress
	// starts with the parse.
	j.bytesDone.Store(0)
	r.mu.Lock()
	j.format = f.Name
	j.opts.notesAgainstStoredOnly = storedNotesOnly(f.Name)
	r.mu.Unlock()
	detectedOnce()

	coll := &collection{}
	if err := f.Parse(ctx, in, coll); err != nil {
		if ctx.Err() != nil {
			return
		}
		fail(err)
		return
	}
	// A parser may stop before the end (trailing bytes it ignores): the job
	// is ready only once the upload is complete.
	if _, err := j.sp.wait(); err != nil {
		return
	}
	ex, err := r.cfg.Store.ImportExisting(ctx, coll.span)
	if err != nil {
		if ctx.Err() == nil {
			r.cfg.Logger.Error("import preview", "job", j.id, "err", err)
			fail(errors.New("internal error"))
		}
		return
	}
	plan := evaluate(coll, ex, j.opts)
	r.logFallbacks(j, plan)
	r.mu.Lock()
	defer r.mu.Unlock()
	if j.state != StateParsing {
		return
	}
	j.state, j.readyAt, j.report, j.coll = StateReady, r.cfg.Now(), &plan.Report, coll
	j.bytesDone.Store(size)
	r.scheduleSweep()
}

func (r *Registry) logFallbacks(j *job, p *Plan) {
	if p.UTCFallbacks > 0 {
		r.cfg.Logger.Warn("import: local times that exist nowhere near in their zone were read as UTC (SPEC 6.2 rule 4)",
			"job", j.id, "sessions", p.UTCFallbacks)
	}
}

// Wait blocks until job id has left parsing (or ctx ends) and returns it.
func (r *Registry) Wait(ctx context.Context, id string) (JobView, error) {
	r.mu.Lock()
	j, ok := r.jobs[id]
	r.mu.Unlock()
	if !ok {
		return JobView{}, ErrNotFound
	}
	select {
	case <-j.settled:
	case <-ctx.Done():
		return JobView{}, ctx.Err()
	}
	return r.view(j), nil
}

// Get returns job id; ErrNotFound when unknown or forgotten.
func (r *Registry) Get(id string) (JobView, error) {
	r.mu.Lock()
	r.sweepLocked()
	j, ok := r.jobs[id]
	r.mu.Unlock()
	if !ok {
		return JobView{}, ErrNotFound
	}
	return r.view(j), nil
}

// List returns the remembered jobs, newest first.
func (r *Registry) List() []JobView {
	r.mu.Lock()
	r.sweepLocked()
	jobs := make([]*job, 0, len(r.jobs))
	for _, j := range r.jobs {
		jobs = append(jobs, j)
	}
	r.mu.Unlock()
	slices.SortFunc(jobs, func(a, b *job) int { return b.seq - a.seq })
	views := make([]JobView, len(jobs))
	for i, j := range jobs {
		views[i] = r.view(j)
	}
	return views
}

// Commit stores job id's plan in one transaction, recomputed there (SPEC
// §13.4), and returns the committed job with the final report.
func (r *Registry) Commit(ctx context.Context, id string) (JobView, error) {
	r.mu.Lock()
	r.sweepLocked()
	j, ok := r.jobs[id]
	if !ok {
		r.mu.Unlock()
		return JobView{}, ErrNotFound
	}
	if j.state != StateReady {
		state := j.state
		r.mu.Unlock()
		return JobView{}, &NotReadyError{State: state}
	}
	j.state = StateCommitting
	coll, opts := j.coll, j.opts
	r.mu.Unlock()

	var final *Plan
	err := r.cfg.Store.CommitImport(ctx, coll.span, func(ex Existing) (*Plan, error) {
		final = evaluate(coll, ex, opts)
		return final, nil
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		// Nothing was stored: the job stays ready and may be committed again.
		j.state, j.readyAt = StateReady, r.cfg.Now()
		return JobView{}, err
	}
	r.logFallbacks(j, final)
	j.state, j.endedAt, j.report, j.coll = StateCommitted, r.cfg.Now(), &final.Report, nil
	j.sp.remove()
	r.scheduleSweep()
	return r.viewLocked(j), nil
}

// Discard ends a parsing or ready job and deletes its file; any other id,
// known or not, is left as it is (DELETE is idempotent).
func (r *Registry) Discard(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sweepLocked()
	if j, ok := r.jobs[id]; ok {
		r.discardLocked(j)
	}
}

func (r *Registry) discardLocked(j *job) {
	if j.state != StateParsing && j.state != StateReady {
		return
	}
	j.state, j.endedAt, j.coll = StateDiscarded, r.cfg.Now(), nil
	j.cancel()
	j.sp.remove()
	r.scheduleSweep()
}

// Close discards every job (server shutdown): their files are deleted.
func (r *Registry) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, j := range r.jobs {
		r.discardLocked(j)
	}
}

// sweepLocked applies the lifetimes: ready jobs older than an hour are
// discarded, ended jobs older than an hour are forgotten.
func (r *Registry) sweepLocked() {
	now := r.cfg.Now()
	for id, j := range r.jobs {
		if j.state == StateReady && now.Sub(j.readyAt) >= readyLifetime {
			r.discardLocked(j)
		}
		if !j.endedAt.IsZero() && !j.state.active() && now.Sub(j.endedAt) >= finishedLifetime {
			delete(r.jobs, id)
		}
	}
}

// scheduleSweep makes sure lifetimes are applied (and files deleted) even
// when nobody asks for the jobs.
func (r *Registry) scheduleSweep() {
	time.AfterFunc(readyLifetime+time.Second, func() {
		r.mu.Lock()
		r.sweepLocked()
		r.mu.Unlock()
	})
}

func (r *Registry) view(j *job) JobView {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.viewLocked(j)
}

func (r *Registry) viewLocked(j *job) JobView {
	written, done := j.sp.size()
	total := written
	if !done && j.sizeHint > total {
		total = j.sizeHint
	}
	if j.state == StateCommitted || j.state == StateCommitting || j.state == StateReady {
		total = max(total, j.sizeHint)
	}
	v := JobView{
		ID: j.id, Format: j.format, State: j.state, BytesTotal: total,
		BytesDone: min(j.bytesDone.Load(), total),
		CreatedAt: j.createdAt.UTC().Format("2006-01-02T15:04:05Z"),
		Report:    j.report, Error: j.err,
	}
	return v
}

// MaxBytes is the upload limit (IMPORT_MAX_MB in bytes).
func (r *Registry) MaxBytes() int64 { return r.cfg.MaxBytes }

// RemoveStaleSpools deletes the spooled uploads of the database named owner
// that a killed server left in dir (a restart forgets its jobs, so their
// files have no job any more).
func RemoveStaleSpools(dir, owner string) {
	files, _ := filepath.Glob(filepath.Join(dir, spoolPattern(owner)))
	for _, f := range files {
		_ = os.Remove(f)
	}
}
