package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"

	"sleeptracker/internal/imports"
	"sleeptracker/internal/store"
)

// Idempotent writes (SPEC §15.1). A POST that carries Idempotency-Key is
// processed once: its 2xx status and body are stored with the key, the route
// and the SHA-256 of the raw body in the same transaction as its effect, and a
// repeat replays them. Requests with one key are serialized in this process,
// so concurrent repeats wait for the first and replay its response.

const (
	idempotencyKeyHeader = "Idempotency-Key"
	replayedHeader       = "Idempotent-Replayed"
	maxIdempotencyKeyLen = 100
)

var (
	errBadIdempotencyKey = badRequest("Idempotency-Key must be 1-100 characters of A-Z, a-z, 0-9, - and _")
	errIdempotencyReused = &apiError{
		Status:  http.StatusUnprocessableEntity,
		Code:    "idempotency_key_reused",
		Message: "Idempotency-Key was already used for a different request",
	}
)

// validIdempotencyKey applies the key syntax of SPEC §15.1.
func validIdempotencyKey(key string) bool {
	if len(key) < 1 || len(key) > maxIdempotencyKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// idempotencyResponder renders the status and body that a handler sends for
// its write's result; it must match what the handler writes byte for byte, so
// a replay is indistinguishable from the original.
type idempotencyResponder func(result any) (status int, body []byte, err error)

// createdResponse is the responder of the routes that answer 201 {"id": N}
// through writeCreated.
func createdResponse(result any) (int, []byte, error) {
	id, ok := result.(int64)
	if !ok {
		return 0, nil, errors.New("created response: result is not an id")
	}
	body, err := encodeJSONBody(map[string]int64{"id": id})
	return http.StatusCreated, body, err
}

// responderFor builds the responder of one request; most routes use the
// same one for every request (fixed).
type responderFor func(r *http.Request) idempotencyResponder

func fixed(respond idempotencyResponder) responderFor {
	return func(*http.Request) idempotencyResponder { return respond }
}

// importCommitResponse renders 200 ImportJob for POST /api/imports/{id}/commit
// inside the commit's transaction, from the job as it was before the commit
// and the final plan the store passes in. The view the handler then sends is
// what is kept (idempotent corrects a difference right after), so replays
// are byte-identical; the in-transaction copy guarantees that a crash after
// the commit still leaves the key answering.
func (s *Server) importCommitResponse(r *http.Request) idempotencyResponder {
	before, err := s.imports.Get(r.PathValue("id"))
	return func(result any) (int, []byte, error) {
		plan, ok := result.(*imports.Plan)
		if err != nil || !ok {
			return 0, nil, errors.New("import commit response: no job or plan")
		}
		view := before
		view.State, view.Report, view.Error = imports.StateCommitted, &plan.Report, nil
		body, encErr := encodeJSONBody(view)
		return http.StatusOK, body, encErr
	}
}

// encodeJSONBody encodes v exactly as writeJSON does.
func encodeJSONBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// keyLocks serializes the requests that carry one Idempotency-Key.
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

var idempotencyLocks = &keyLocks{locks: map[string]*keyLock{}}

// lock blocks until no other request holds key and returns its unlock.
func (k *keyLocks) lock(key string) func() {
	k.mu.Lock()
	l, ok := k.locks[key]
	if !ok {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// idempotent wraps the handler of a POST route of SPEC §15.1. Without the
// header the handler runs unchanged. With it:
//   - a malformed key is 400 (after the access checks, before the body);
//   - a key stored for the same route and body replays the stored response
//     with Idempotent-Replayed: true and runs nothing;
//   - a key stored for another route or body is 422 idempotency_key_reused;
//   - otherwise the handler runs with a store.IdempotentWrite in its context,
//     which the store write records in its own transaction. Failures store
//     nothing, so a corrected retry may reuse the key.
func (s *Server) idempotent(respond responderFor, fn errorHandlerFunc) errorHandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		values, present := r.Header[idempotencyKeyHeader]
		if !present {
			return fn(w, r)
		}
		if len(values) != 1 || !validIdempotencyKey(values[0]) {
			return errBadIdempotencyKey
		}
		key := values[0]

		// Hash the raw bytes, then hand the handler the same bytes. A body over
		// the limit is left to the handler's own checks (415 before 413): it
		// fails, and failures are never stored.
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			return badRequest("request body is not valid JSON")
		}
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(raw), r.Body))
		if len(raw) > maxBodyBytes {
			return fn(w, r)
		}
		write := &store.IdempotentWrite{
			Key:      key,
			Route:    r.Method + " " + r.URL.Path,
			BodyHash: sha256.Sum256(raw),
		}

		unlock := idempotencyLocks.lock(key)
		defer unlock()
		// A replay decided here never runs the handler; a key stored by a
		// request in another process between look-up and commit rolls our
		// write back (store.ErrIdempotencyKeyTaken) and is looked up again.
		for attempt := 0; ; attempt++ {
			write.Now = s.now()
			write.Response = respond(r)
			r.Body = io.NopCloser(bytes.NewReader(raw))
			stored, ok, err := s.store.IdempotentResponse(r.Context(), key, write.Now)
			if err != nil {
				return err
			}
			if ok {
				if stored.Route != write.Route || stored.BodyHash != write.BodyHash {
					return errIdempotencyReused
				}
				writeReplay(w, stored)
				return nil
			}
			rec := &idempotencyRecorder{ResponseWriter: w}
			err = fn(rec, r.WithContext(store.WithIdempotentWrite(r.Context(), write)))
			if errors.Is(err, store.ErrIdempotencyKeyTaken) && attempt == 0 && !rec.wrote {
				continue
			}
			success := err == nil && rec.status >= 200 && rec.status <= 299 && rec.body.Len() > 0 && !rec.truncated
			switch {
			case success && !write.Recorded():
				// A write that could not record inside its transaction: keep the
				// response now, so at least later repeats replay it.
				if err := s.store.StoreIdempotentResponse(r.Context(), write, rec.status, rec.body.Bytes()); err != nil {
					s.log.ErrorContext(r.Context(), "store idempotency key", "route", write.Route, "err", err)
				}
			case success && !bytes.Equal(write.StoredBody(), rec.body.Bytes()):
				// The answer differs from the one rendered in the transaction:
				// keep what the client was actually sent.
				if err := s.store.CorrectIdempotentResponse(r.Context(), key, rec.status, rec.body.Bytes()); err != nil {
					s.log.ErrorContext(r.Context(), "correct idempotency key", "route", write.Route, "err", err)
				}
			}
			return err
		}
	}
}

// writeReplay sends a stored response (every stored body is JSON).
func writeReplay(w http.ResponseWriter, stored store.IdempotentResponse) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(stored.Body)))
	w.Header().Set(replayedHeader, "true")
	w.WriteHeader(stored.Status)
	_, _ = w.Write(stored.Body)
}

// maxRecordedBody bounds the copy of a response kept for replays; the bodies
// of the idempotent routes are far smaller (an id, an import job).
const maxRecordedBody = 1 << 20

// idempotencyRecorder passes a response through while noting its status and a
// copy of its body. A body over maxRecordedBody is marked truncated and is
// never stored or used to correct a stored one.
type idempotencyRecorder struct {
	http.ResponseWriter
	status    int
	wrote     bool
	body      bytes.Buffer
	truncated bool
}

func (r *idempotencyRecorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *idempotencyRecorder) Write(p []byte) (int, error) {
	if !r.wrote {
		r.WriteHeader(http.StatusOK)
	}
	if r.body.Len()+len(p) <= maxRecordedBody {
		r.body.Write(p)
	} else {
		r.truncated = true
	}
	return r.ResponseWriter.Write(p)
}
