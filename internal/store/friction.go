package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store/db"
)

// instantLayout is how friction instants are stored: UTC to the second, so
// text order equals time order.
const instantLayout = "2006-01-02T15:04:05Z"

// FrictionEvent is one stored friction telemetry event (SPEC §5.21).
type FrictionEvent struct {
	RecordedAt      time.Time // UTC, whole seconds
	FormTimeMs      int64
	RetryCount      int64
	ErrorKind       string // normalised; "" when the event had none
	ImmediateEdit   bool
	FollowUpFailure bool
}

// AddFrictionEvent appends an event recorded at recordedAt (truncated to the
// second, UTC) and returns its id. Events are never updated or deleted.
func (s *Store) AddFrictionEvent(ctx context.Context, in sleep.FrictionInput, recordedAt time.Time) (int64, error) {
	kind := sql.NullString{}
	if in.ErrorKind != nil {
		kind = sql.NullString{String: *in.ErrorKind, Valid: true}
	}
	return s.wq.InsertFrictionEvent(ctx, db.InsertFrictionEventParams{
		RecordedAt:      recordedAt.UTC().Format(instantLayout),
		FormTimeMs:      in.FormTimeMs,
		ErrorKind:       kind,
		RetryCount:      in.RetryCount,
		ImmediateEdit:   boolToInt(in.ImmediateEdit),
		FollowUpFailure: boolToInt(in.FollowUpFailure),
	})
}

// FrictionEventsBetween returns the events recorded in [from, to] (inclusive,
// to the second), oldest first, with one query.
func (s *Store) FrictionEventsBetween(ctx context.Context, from, to time.Time) ([]FrictionEvent, error) {
	rows, err := s.rq.ListFrictionEventsInRange(ctx, db.ListFrictionEventsInRangeParams{
		FromInstant: from.UTC().Format(instantLayout),
		ToInstant:   to.UTC().Format(instantLayout),
	})
	if err != nil {
		return nil, err
	}
	events := make([]FrictionEvent, 0, len(rows))
	for _, row := range rows {
		at, err := time.Parse(instantLayout, row.RecordedAt)
		if err != nil {
			return nil, fmt.Errorf("friction event with bad recorded_at %q: %w", row.RecordedAt, err)
		}
		events = append(events, FrictionEvent{
			RecordedAt:      at,
			FormTimeMs:      row.FormTimeMs,
			RetryCount:      row.RetryCount,
			ErrorKind:       row.ErrorKind.String,
			ImmediateEdit:   row.ImmediateEdit != 0,
			FollowUpFailure: row.FollowUpFailure != 0,
		})
	}
	return events, nil
}

func boolToInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
