package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sleeptracker/internal/store/db"
)

// IdempotencyRetention is how long a stored Idempotency-Key answers replays
// (SPEC §15.1): long enough for an entry that waits days in a phone's queue.
const IdempotencyRetention = 30 * 24 * time.Hour

// ErrIdempotencyKeyTaken is returned by a write whose Idempotency-Key was
// stored by another request between the caller's look-up and its commit. The
// write's transaction is rolled back, so the caller can look the key up again
// and replay (or refuse) instead of producing a second effect.
var ErrIdempotencyKeyTaken = errors.New("idempotency key already stored")

// IdempotentResponse is a stored 2xx response of an idempotent write.
type IdempotentResponse struct {
	Route    string
	BodyHash [32]byte
	Status   int
	Body     []byte
}

// IdempotentWrite asks a store write to record its response under Key in the
// write's own transaction (SPEC §15.1: the status and body are stored in the
// same transaction as the effect). The HTTP layer attaches it to the request
// context with WithIdempotentWrite; write functions that support it call
// recordIdempotentWrite with their result just before their transaction
// commits. Carrying it in the context keeps the write functions' signatures
// unchanged for the callers that need no key (restore, imports, tests).
type IdempotentWrite struct {
	Key      string
	Route    string
	BodyHash [32]byte
	Now      time.Time
	// Response renders the 2xx status and body that the handler will send for
	// the write's result (a new id, a committed import job, ...). When it
	// fails the write records nothing and the caller stores the response
	// after the handler instead (StoreIdempotentResponse).
	Response func(result any) (status int, body []byte, err error)

	recorded bool
	stored   []byte
}

// StoredBody is the body the write stored with the key, or nil.
func (w *IdempotentWrite) StoredBody() []byte {
	if w == nil {
		return nil
	}
	return w.stored
}

// Recorded reports whether a write stored the response in its transaction.
func (w *IdempotentWrite) Recorded() bool { return w != nil && w.recorded }

type idempotentWriteKey struct{}

// WithIdempotentWrite returns ctx carrying w for the next supporting write.
func WithIdempotentWrite(ctx context.Context, w *IdempotentWrite) context.Context {
	return context.WithValue(ctx, idempotentWriteKey{}, w)
}

func idempotentWriteFrom(ctx context.Context) *IdempotentWrite {
	w, _ := ctx.Value(idempotentWriteKey{}).(*IdempotentWrite)
	return w
}

// recordIdempotentWrite stores the response of the write that produced result
// under the key of ctx, inside that write's transaction q. Without a key in
// ctx it does nothing. A key stored meanwhile by another request is
// ErrIdempotencyKeyTaken, which rolls the whole write back.
func recordIdempotentWrite(ctx context.Context, q *db.Queries, result any) error {
	w := idempotentWriteFrom(ctx)
	if w == nil || w.recorded {
		return nil
	}
	status, body, err := w.Response(result)
	if err != nil {
		return nil
	}
	if err := insertIdempotencyKey(ctx, q, w, status, body); err != nil {
		return err
	}
	w.recorded, w.stored = true, body
	return nil
}

func insertIdempotencyKey(ctx context.Context, q *db.Queries, w *IdempotentWrite, status int, body []byte) error {
	if status < 200 || status > 299 {
		return fmt.Errorf("idempotency: refusing to store status %d", status)
	}
	expiredBefore := w.Now.Add(-IdempotencyRetention).Unix()
	// An expired row no longer counts as used: make room for the new one.
	if err := q.DeleteIdempotencyKeyIfExpired(ctx, db.DeleteIdempotencyKeyIfExpiredParams{
		Key: w.Key, ExpiredBefore: expiredBefore,
	}); err != nil {
		return fmt.Errorf("delete expired idempotency key: %w", err)
	}
	n, err := q.InsertIdempotencyKey(ctx, db.InsertIdempotencyKeyParams{
		Key:       w.Key,
		Route:     w.Route,
		BodyHash:  w.BodyHash[:],
		Status:    int64(status),
		Response:  body,
		CreatedAt: w.Now.Unix(),
	})
	if err != nil {
		return fmt.Errorf("insert idempotency key: %w", err)
	}
	if n == 0 {
		return ErrIdempotencyKeyTaken
	}
	return nil
}

// StoreIdempotentResponse records w's response in a transaction of its own.
// It is the fallback for a write that cannot record inside its transaction;
// the routes of SPEC §15.1 all record inside theirs.
func (s *Store) StoreIdempotentResponse(ctx context.Context, w *IdempotentWrite, status int, body []byte) error {
	return s.inWriteTx(ctx, func(q *db.Queries) error {
		return insertIdempotencyKey(ctx, q, w, status, body)
	})
}

// CorrectIdempotentResponse replaces the stored status and body of key. The
// HTTP layer uses it when the response a handler actually sent differs from
// the one rendered inside the write's transaction (a view built before the
// commit), so replays return exactly the bytes of the original answer.
func (s *Store) CorrectIdempotentResponse(ctx context.Context, key string, status int, body []byte) error {
	return s.wq.UpdateIdempotencyResponse(ctx, db.UpdateIdempotencyResponseParams{
		Status: int64(status), Response: body, Key: key,
	})
}

// IdempotentResponse returns the response stored under key within the
// retention period before now; ok is false when the key is unused (never
// stored, or expired).
func (s *Store) IdempotentResponse(ctx context.Context, key string, now time.Time) (resp IdempotentResponse, ok bool, err error) {
	// A caller that waited for a concurrent request with the same key reads
	// after that request committed, and WAL readers see every committed row.
	row, err := s.rq.GetIdempotencyKey(ctx, db.GetIdempotencyKeyParams{
		Key: key, ExpiredBefore: now.Add(-IdempotencyRetention).Unix(),
	})
	if errors.Is(err, sql.ErrNoRows) {
		return IdempotentResponse{}, false, nil
	}
	if err != nil {
		return IdempotentResponse{}, false, fmt.Errorf("get idempotency key: %w", err)
	}
	if len(row.BodyHash) != len(resp.BodyHash) {
		return IdempotentResponse{}, false, fmt.Errorf("idempotency key %q: corrupt body hash", key)
	}
	resp = IdempotentResponse{Route: row.Route, Status: int(row.Status), Body: row.Response}
	copy(resp.BodyHash[:], row.BodyHash)
	return resp, true, nil
}

// PruneIdempotencyKeys deletes the keys stored more than the retention period
// before now and returns how many were removed.
func (s *Store) PruneIdempotencyKeys(ctx context.Context, now time.Time) (int64, error) {
	return s.wq.DeleteExpiredIdempotencyKeys(ctx, now.Add(-IdempotencyRetention).Unix())
}

// withIdempotentID runs a single-statement write that returns a new id. With
// an idempotent write in ctx it runs inside a transaction that also stores
// the response; without one it runs as before, on the writer directly.
func (s *Store) withIdempotentID(ctx context.Context, write func(q *db.Queries) (int64, error)) (int64, error) {
	if idempotentWriteFrom(ctx) == nil {
		return write(s.wq)
	}
	var id int64
	err := s.inWriteTx(ctx, func(q *db.Queries) error {
		var err error
		if id, err = write(q); err != nil {
			return err
		}
		return recordIdempotentWrite(ctx, q, id)
	})
	return id, err
}
