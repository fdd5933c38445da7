package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store/db"
)

// CreateSleep stores a new session built from in with the given duration
// (computed by the caller in the user timezone, SPEC §6.2) and returns its id.
//
// In one serialized write transaction it refuses a session that overlaps any
// stored session (sleep.ErrOverlap), inserts the session, then applies the
// optional daily intensity and note of in (SPEC §5.8). Either everything is
// stored or nothing is.
func (s *Store) CreateSleep(ctx context.Context, in sleep.SleepInput, durationMin int) (int64, error) {
	var id int64
	err := s.inWriteTx(ctx, func(q *db.Queries) error {
		// Ids start at 1, so excluding 0 excludes nothing.
		if err := checkNoOverlap(ctx, q, in, 0); err != nil {
			return err
		}
		var err error
		id, err = insertSession(ctx, q, in.Session(0, durationMin))
		if err != nil {
			return fmt.Errorf("insert sleep session: %w", err)
		}
		if err := applySleepExtras(ctx, q, in); err != nil {
			return err
		}
		// The Idempotency-Key of the request, if any, commits with the session (SPEC §15.1).
		return recordIdempotentWrite(ctx, q, id)
	})
	return id, err
}

// UpdateSleep rewrites session id (SPEC §5.10, §12.1). In one serialized
// write transaction, in this order: the stored session is read (nil when
// missing) and handed to build, which validates the body against it (so
// absent diary items keep their stored values) and computes the duration; a
// build error is returned as is; then a missing session is sleep.ErrNotFound;
// an overlap with any other session is sleep.ErrOverlap (overlapping only its
// own old range is fine); then the row is rewritten — a new date moves it to
// another wake date — and the optional daily intensity and note of the input
// are applied to the (new) wake date.
func (s *Store) UpdateSleep(ctx context.Context, id int64,
	build func(stored *sleep.Session) (in sleep.SleepInput, durationMin int, err error)) error {
	return s.inWriteTx(ctx, func(q *db.Queries) error {
		var stored *sleep.Session
		row, err := q.GetSleepSession(ctx, id)
		switch {
		case err == nil:
			session, err := sessionFromRow(row)
			if err != nil {
				return err
			}
			stored = &session
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("get sleep session: %w", err)
		}
		in, durationMin, err := build(stored)
		if err != nil {
			return err
		}
		if stored == nil {
			return sleep.ErrNotFound
		}
		if err := checkNoOverlap(ctx, q, in, id); err != nil {
			return err
		}
		p := sessionParams(in.Session(id, durationMin))
		if _, err := q.UpdateSleepSession(ctx, db.UpdateSleepSessionParams{
			WakeDate: p.WakeDate, BedTime: p.BedTime, WakeTime: p.WakeTime,
			LatencyMin: p.LatencyMin, Awakenings: p.Awakenings, Quality: p.Quality, DurationMin: p.DurationMin,
			InBedTime: p.InBedTime, WasoMin: p.WasoMin, OutOfBedTime: p.OutOfBedTime, Rested: p.Rested,
			AlcoholDrinks: p.AlcoholDrinks, CaffeineDrinks: p.CaffeineDrinks, Medication: p.Medication,
			ID: id,
		}); err != nil {
			return fmt.Errorf("update sleep session: %w", err)
		}
		return applySleepExtras(ctx, q, in)
	})
}

// insertSession stores session (its id is ignored) and returns the new id.
// Import commits use it too, so every write of a session goes through the
// same column mapping.
func insertSession(ctx context.Context, q *db.Queries, session sleep.Session) (int64, error) {
	return q.InsertSleepSession(ctx, sessionParams(session))
}

// sessionParams maps a domain session onto the columns; nil is NULL.
func sessionParams(s sleep.Session) db.InsertSleepSessionParams {
	return db.InsertSleepSessionParams{
		WakeDate:       s.Date.String(),
		BedTime:        s.Bed.String(),
		WakeTime:       s.Wake.String(),
		LatencyMin:     nullInt(s.LatencyMin),
		Awakenings:     nullInt(s.Awakenings),
		Quality:        nullInt(s.Quality),
		DurationMin:    int64(s.DurationMin),
		InBedTime:      nullClock(s.InBed),
		WasoMin:        nullInt(s.WasoMin),
		OutOfBedTime:   nullClock(s.OutOfBed),
		Rested:         nullInt(s.Rested),
		AlcoholDrinks:  nullInt(s.AlcoholDrinks),
		CaffeineDrinks: nullInt(s.CaffeineDrinks),
		Medication:     nullString(s.Medication),
	}
}

func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

func nullClock(p *sleep.Clock) sql.NullString {
	if p == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: p.String(), Valid: true}
}

func nullString(p *string) sql.NullString {
	if p == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: *p, Valid: true}
}

func intOrNil(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func stringOrNil(n sql.NullString) *string {
	if !n.Valid {
		return nil
	}
	v := n.String
	return &v
}

// clockOrNil parses a nullable clock column; ok is false for corrupt text.
func clockOrNil(n sql.NullString) (c *sleep.Clock, ok bool) {
	if !n.Valid {
		return nil, true
	}
	v, ok := sleep.ParseClock(n.String)
	return &v, ok
}

// checkNoOverlap returns sleep.ErrOverlap when the session of in meets a
// stored session other than excludeID (SPEC §6.3). Only wake dates that can
// overlap are read; the closed-interval rule itself is sleep.Overlaps.
func checkNoOverlap(ctx context.Context, q *db.Queries, in sleep.SleepInput, excludeID int64) error {
	from, to := sleep.OverlapCandidateDates(in.Date)
	rows, err := q.ListOverlapCandidates(ctx, db.ListOverlapCandidatesParams{
		FromDate: from.String(), ToDate: to.String(), ExcludeID: excludeID,
	})
	if err != nil {
		return fmt.Errorf("list overlap candidates: %w", err)
	}
	start, end := sleep.LocalBounds(in.Date, in.Bed, in.Wake)
	for _, row := range rows {
		stored, err := sessionFromRow(row)
		if err != nil {
			return err
		}
		storedStart, storedEnd := stored.LocalBounds()
		if sleep.Overlaps(start, end, storedStart, storedEnd) {
			return sleep.ErrOverlap
		}
	}
	return nil
}

// applySleepExtras stores the optional exercise_intensity and note of a sleep
// input for its wake date, inside the session's transaction (SPEC §5.8 steps
// 2.3 and 2.4).
func applySleepExtras(ctx context.Context, q *db.Queries, in sleep.SleepInput) error {
	if in.ExerciseIntensity != nil {
		if _, err := upsertDailyIntensity(ctx, q, in.Date, *in.ExerciseIntensity); err != nil {
			return err
		}
	}
	if text, ok := in.NoteToAdd(); ok {
		if _, err := insertNote(ctx, q, sleep.NoteInput{Date: in.Date, Body: text}); err != nil {
			return err
		}
	}
	return nil
}

// DeleteSleep removes session id. Deleting a missing session is not an error
// (DELETE is idempotent), and the date's notes and exercise stay.
func (s *Store) DeleteSleep(ctx context.Context, id int64) error {
	if err := s.wq.DeleteSleepSession(ctx, id); err != nil {
		return fmt.Errorf("delete sleep session: %w", err)
	}
	return nil
}

// GetSleep returns session id, or sleep.ErrNotFound.
func (s *Store) GetSleep(ctx context.Context, id int64) (sleep.Session, error) {
	row, err := s.rq.GetSleepSession(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return sleep.Session{}, sleep.ErrNotFound
	}
	if err != nil {
		return sleep.Session{}, fmt.Errorf("get sleep session: %w", err)
	}
	return sessionFromRow(row)
}

// SleepByDate returns the sessions of wake date date ordered by wake time,
// then id (SPEC §5.12); an empty, non-nil slice when there are none.
func (s *Store) SleepByDate(ctx context.Context, date sleep.Date) ([]sleep.Session, error) {
	return s.SleepInRange(ctx, date, date)
}

// SleepInRange returns every session whose wake date lies in [from, to],
// ordered by date, wake time, then id (SPEC §5.14); never nil.
func (s *Store) SleepInRange(ctx context.Context, from, to sleep.Date) ([]sleep.Session, error) {
	rows, err := s.rq.ListSleepSessionsInRange(ctx, db.ListSleepSessionsInRangeParams{
		FromDate: from.String(), ToDate: to.String(),
	})
	if err != nil {
		return nil, fmt.Errorf("list sleep sessions: %w", err)
	}
	return sessionsFromRows(rows)
}

// RecentDaily returns the daily rows (SPEC §6.4) of the days most recent wake
// dates that have at least one session, newest first (SPEC §5.13). Dates
// without sessions are skipped. It reads all of them in one query.
func (s *Store) RecentDaily(ctx context.Context, days int) ([]sleep.DailyRow, error) {
	rows, err := s.rq.ListRecentSleepSessions(ctx, int64(days))
	if err != nil {
		return nil, fmt.Errorf("list recent sleep sessions: %w", err)
	}
	sessions, err := sessionsFromRows(rows)
	if err != nil {
		return nil, err
	}
	daily := sleep.AggregateDaily(sessions)
	slices.Reverse(daily)
	return daily, nil
}

// DailyRowsInRange returns the daily rows (SPEC §6.4) of the wake dates in
// [from, to] that have sessions, oldest first, from one query. Trends and
// personalization consume it.
func (s *Store) DailyRowsInRange(ctx context.Context, from, to sleep.Date) ([]sleep.DailyRow, error) {
	sessions, err := s.SleepInRange(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return sleep.AggregateDaily(sessions), nil
}

// sessionFromRow converts a stored row to a domain session with its derived
// values. A row whose date or clock text does not parse can only come from
// outside the API (the CHECK constraints mirror the parsers), so it is
// reported as an internal error.
func sessionFromRow(row db.SleepSession) (sleep.Session, error) {
	date, okDate := sleep.ParseDate(row.WakeDate)
	bed, okBed := sleep.ParseClock(row.BedTime)
	wake, okWake := sleep.ParseClock(row.WakeTime)
	inBed, okInBed := clockOrNil(row.InBedTime)
	outOfBed, okOutOfBed := clockOrNil(row.OutOfBedTime)
	if !okDate || !okBed || !okWake || !okInBed || !okOutOfBed {
		return sleep.Session{}, fmt.Errorf("sleep session %d: corrupt date or time (%q %q %q %v %v)",
			row.ID, row.WakeDate, row.BedTime, row.WakeTime, row.InBedTime, row.OutOfBedTime)
	}
	return sleep.Session{
		ID:          row.ID,
		Date:        date,
		Bed:         bed,
		Wake:        wake,
		LatencyMin:  intOrNil(row.LatencyMin),
		Awakenings:  intOrNil(row.Awakenings),
		Quality:     intOrNil(row.Quality),
		DurationMin: int(row.DurationMin),
		DiaryItems: sleep.DiaryItems{
			InBed:          inBed,
			WasoMin:        intOrNil(row.WasoMin),
			OutOfBed:       outOfBed,
			Rested:         intOrNil(row.Rested),
			AlcoholDrinks:  intOrNil(row.AlcoholDrinks),
			CaffeineDrinks: intOrNil(row.CaffeineDrinks),
			Medication:     stringOrNil(row.Medication),
		},
	}.WithDerived(), nil
}

func sessionsFromRows(rows []db.SleepSession) ([]sleep.Session, error) {
	sessions := make([]sleep.Session, 0, len(rows))
	for _, row := range rows {
		session, err := sessionFromRow(row)
		if err != nil {
			return nil, err
		}
		sessions = append(sessions, session)
	}
	return sessions, nil
}

// parseStoredDate parses the date column of the record named by what (for
// the error); see sessionFromRow for why a failure is an internal error.
func parseStoredDate(what, text string) (sleep.Date, error) {
	date, ok := sleep.ParseDate(text)
	if !ok {
		return sleep.Date{}, fmt.Errorf("%s: corrupt date %q", what, text)
	}
	return date, nil
}
