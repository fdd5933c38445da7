package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store/db"
)

// MaxAPITokens is how many API tokens may exist at once (SPEC §16).
const MaxAPITokens = 50

// ErrTooManyAPITokens is the 400 of a create beyond MaxAPITokens.
var ErrTooManyAPITokens = sleep.Invalid("at most 50 tokens may exist")

// APIToken is a stored personal API token (SPEC §16). The token itself is
// never stored, only the SHA-256 of the whole "st_…" string.
type APIToken struct {
	ID        int64
	Hash      []byte // 32 bytes
	Name      string
	Scope     string // "read" or "write"
	CreatedAt time.Time
	// ExpiresAt is nil for a token that never expires.
	ExpiresAt *time.Time
	// LastUsedAt is nil until the token is first used; it is updated at most
	// once a minute.
	LastUsedAt *time.Time
}

// CreateAPIToken stores t (its ID and LastUsedAt are ignored) and returns
// its id, or ErrTooManyAPITokens when MaxAPITokens already exist. The count
// and the insert run in one IMMEDIATE transaction, so two parallel creates
// cannot both take the last place.
func (s *Store) CreateAPIToken(ctx context.Context, t APIToken) (int64, error) {
	var id int64
	err := s.inWriteTx(ctx, func(q *db.Queries) error {
		n, err := q.CountAPITokens(ctx)
		if err != nil {
			return fmt.Errorf("count api tokens: %w", err)
		}
		if n >= MaxAPITokens {
			return ErrTooManyAPITokens
		}
		id, err = q.InsertAPIToken(ctx, db.InsertAPITokenParams{
			TokenHash: t.Hash,
			Name:      t.Name,
			Scope:     t.Scope,
			CreatedAt: t.CreatedAt.Unix(),
			ExpiresAt: apiTokenUnix(t.ExpiresAt),
		})
		if err != nil {
			return fmt.Errorf("insert api token: %w", err)
		}
		return nil
	})
	return id, err
}

// APITokens lists every token, newest first (SPEC §16); never nil. The
// hashes are not read.
func (s *Store) APITokens(ctx context.Context) ([]APIToken, error) {
	rows, err := s.rq.ListAPITokens(ctx)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	tokens := make([]APIToken, 0, len(rows))
	for _, row := range rows {
		tokens = append(tokens, APIToken{
			ID:         row.ID,
			Name:       row.Name,
			Scope:      row.Scope,
			CreatedAt:  time.Unix(row.CreatedAt, 0).UTC(),
			ExpiresAt:  apiTokenTime(row.ExpiresAt),
			LastUsedAt: apiTokenTime(row.LastUsedAt),
		})
	}
	return tokens, nil
}

// APITokenByHash finds the token whose hash is hash; ok is false when there
// is none. Expiry is the caller's decision.
func (s *Store) APITokenByHash(ctx context.Context, hash []byte) (t APIToken, ok bool, err error) {
	row, err := s.rq.GetAPITokenByHash(ctx, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return APIToken{}, false, nil
	}
	if err != nil {
		return APIToken{}, false, fmt.Errorf("look up api token: %w", err)
	}
	return APIToken{
		ID:         row.ID,
		Hash:       row.TokenHash,
		Name:       row.Name,
		Scope:      row.Scope,
		CreatedAt:  time.Unix(row.CreatedAt, 0).UTC(),
		ExpiresAt:  apiTokenTime(row.ExpiresAt),
		LastUsedAt: apiTokenTime(row.LastUsedAt),
	}, true, nil
}

// APITokenHash returns the hash of token id, for forgetting it in caches
// before it is deleted; ok is false when there is no such token.
func (s *Store) APITokenHash(ctx context.Context, id int64) (hash []byte, ok bool, err error) {
	hash, err = s.wq.GetAPITokenHash(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("look up api token hash: %w", err)
	}
	return hash, true, nil
}

// TouchAPIToken records that token id was used at now.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	if err := s.wq.TouchAPIToken(ctx, db.TouchAPITokenParams{LastUsedAt: sql.NullInt64{Int64: now.Unix(), Valid: true}, ID: id}); err != nil {
		return fmt.Errorf("touch api token: %w", err)
	}
	return nil
}

// DeleteAPIToken revokes token id; deleting a missing one is not an error.
func (s *Store) DeleteAPIToken(ctx context.Context, id int64) error {
	if err := s.wq.DeleteAPIToken(ctx, id); err != nil {
		return fmt.Errorf("delete api token: %w", err)
	}
	return nil
}

func apiTokenUnix(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

func apiTokenTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.Unix(v.Int64, 0).UTC()
	return &t
}
