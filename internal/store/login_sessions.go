package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"sleeptracker/internal/store/db"
)

// LoginSession is the server-side record behind a session cookie (SPEC §4.5).
// Only the SHA-256 of the session id is stored.
type LoginSession struct {
	IDHash     []byte
	CSRFToken  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	UserAgent  string
}

// CreateLoginSession stores a new login session.
func (s *Store) CreateLoginSession(ctx context.Context, ls LoginSession) error {
	return s.wq.CreateLoginSession(ctx, db.CreateLoginSessionParams{
		IDHash:     ls.IDHash,
		CsrfToken:  ls.CSRFToken,
		CreatedAt:  ls.CreatedAt.Unix(),
		ExpiresAt:  ls.ExpiresAt.Unix(),
		LastSeenAt: ls.LastSeenAt.Unix(),
		UserAgent:  ls.UserAgent,
	})
}

// LoginSessionByHash finds a login session by the hash of its id; ok is false
// when there is none. Expiry is the caller's decision.
func (s *Store) LoginSessionByHash(ctx context.Context, idHash []byte) (ls LoginSession, ok bool, err error) {
	row, err := s.rq.GetLoginSession(ctx, idHash)
	if errors.Is(err, sql.ErrNoRows) {
		return LoginSession{}, false, nil
	}
	if err != nil {
		return LoginSession{}, false, err
	}
	return LoginSession{
		IDHash:     row.IDHash,
		CSRFToken:  row.CsrfToken,
		CreatedAt:  time.Unix(row.CreatedAt, 0).UTC(),
		ExpiresAt:  time.Unix(row.ExpiresAt, 0).UTC(),
		LastSeenAt: time.Unix(row.LastSeenAt, 0).UTC(),
		UserAgent:  row.UserAgent,
	}, true, nil
}

// TouchLoginSession records that the session was seen at now.
func (s *Store) TouchLoginSession(ctx context.Context, idHash []byte, now time.Time) error {
	return s.wq.TouchLoginSession(ctx, db.TouchLoginSessionParams{LastSeenAt: now.Unix(), IDHash: idHash})
}

// DeleteLoginSession revokes a login session; deleting a missing one is not an error.
func (s *Store) DeleteLoginSession(ctx context.Context, idHash []byte) error {
	return s.wq.DeleteLoginSession(ctx, idHash)
}

// PruneLoginSessions deletes every session that expired at or before now and
// returns how many were removed.
func (s *Store) PruneLoginSessions(ctx context.Context, now time.Time) (int64, error) {
	return s.wq.DeleteExpiredLoginSessions(ctx, now.Unix())
}
