package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store/db"
)

// SleepWindow returns the stored sleep-window prescription (SPEC §12.4), or
// nil when none is set.
func (s *Store) SleepWindow(ctx context.Context) (*sleep.SleepWindow, error) {
	return sleepWindow(ctx, s.rq)
}

func sleepWindow(ctx context.Context, q *db.Queries) (*sleep.SleepWindow, error) {
	row, err := q.GetSleepWindow(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get sleep window: %w", err)
	}
	wake, okWake := sleep.ParseClock(row.WakeTime)
	since, okSince := sleep.ParseDate(row.Since)
	if !okWake || !okSince {
		return nil, fmt.Errorf("sleep window: corrupt time or date (%q %q)", row.WakeTime, row.Since)
	}
	return &sleep.SleepWindow{Wake: wake, WindowMin: int(row.WindowMin), Since: since}, nil
}

// PutSleepWindow stores w as the one prescription, replacing any other.
func (s *Store) PutSleepWindow(ctx context.Context, w sleep.SleepWindow) error {
	return putSleepWindow(ctx, s.wq, w)
}

func putSleepWindow(ctx context.Context, q *db.Queries, w sleep.SleepWindow) error {
	if err := q.PutSleepWindow(ctx, db.PutSleepWindowParams{
		WakeTime: w.Wake.String(), WindowMin: int64(w.WindowMin), Since: w.Since.String(),
	}); err != nil {
		return fmt.Errorf("put sleep window: %w", err)
	}
	return nil
}

// DeleteSleepWindow removes the prescription; removing none is not an error.
func (s *Store) DeleteSleepWindow(ctx context.Context) error {
	if err := s.wq.DeleteSleepWindow(ctx); err != nil {
		return fmt.Errorf("delete sleep window: %w", err)
	}
	return nil
}
