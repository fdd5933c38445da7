package store

import (
	"context"
	"database/sql"
	"fmt"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store/db"
)

// RecordExercise stores an exercise input (SPEC §5.15, §6.5) and returns the
// record id. An input without start time and duration sets the date's daily
// intensity with a single-statement upsert, so repeated and concurrent calls
// for one date all return the same id; any other input inserts a new timed
// event. An idempotent write in ctx (SPEC §15.1) is recorded in the same
// transaction.
func (s *Store) RecordExercise(ctx context.Context, in sleep.ExerciseInput) (int64, error) {
	return s.withIdempotentID(ctx, func(q *db.Queries) (int64, error) {
		return recordExercise(ctx, q, in)
	})
}

func recordExercise(ctx context.Context, q *db.Queries, in sleep.ExerciseInput) (int64, error) {
	if in.IsDailyIntensity() {
		return upsertDailyIntensity(ctx, q, in.Date, in.Intensity)
	}
	params := db.InsertTimedExerciseParams{Date: in.Date.String(), Intensity: in.Intensity.String()}
	if in.StartTime != nil {
		params.StartTime = sql.NullString{String: in.StartTime.String(), Valid: true}
	}
	if in.DurationMin != nil {
		params.DurationMin = sql.NullInt64{Int64: int64(*in.DurationMin), Valid: true}
	}
	id, err := q.InsertTimedExercise(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("insert timed exercise: %w", err)
	}
	return id, nil
}

// upsertDailyIntensity creates or overwrites the daily intensity record of
// date and returns its id; q may be inside a transaction (sleep writes).
func upsertDailyIntensity(ctx context.Context, q *db.Queries, date sleep.Date, intensity sleep.Intensity) (int64, error) {
	id, err := q.UpsertDailyIntensity(ctx, db.UpsertDailyIntensityParams{
		Date: date.String(), Intensity: intensity.String(),
	})
	if err != nil {
		return 0, fmt.Errorf("upsert daily intensity: %w", err)
	}
	return id, nil
}

// IntensityByDate returns, ordered by date, one entry per date in [from, to]
// that has at least one exercise record, daily or timed, with the maximum
// intensity over those records (SPEC §5.16); never nil.
func (s *Store) IntensityByDate(ctx context.Context, from, to sleep.Date) ([]sleep.IntensityDay, error) {
	rows, err := s.rq.ListExerciseIntensities(ctx, db.ListExerciseIntensitiesParams{
		FromDate: from.String(), ToDate: to.String(),
	})
	if err != nil {
		return nil, fmt.Errorf("list exercise intensities: %w", err)
	}
	days := []sleep.IntensityDay{}
	for _, row := range rows {
		date, err := parseStoredDate("exercise record", row.Date)
		if err != nil {
			return nil, err
		}
		intensity, ok := sleep.ParseIntensity(row.Intensity)
		if !ok {
			return nil, fmt.Errorf("exercise record of %s: corrupt intensity %q", row.Date, row.Intensity)
		}
		// Rows arrive ordered by date, so a date's records are adjacent.
		if n := len(days); n > 0 && days[n-1].Date == date {
			days[n-1].Intensity = sleep.MaxIntensity(days[n-1].Intensity, intensity)
			continue
		}
		days = append(days, sleep.IntensityDay{Date: date, Intensity: intensity})
	}
	return days, nil
}
