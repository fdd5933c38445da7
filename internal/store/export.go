package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store/db"
)

// exportPageSize is how many records one export query reads. Memory holds one
// page, whatever the size of the diary.
const exportPageSize = 256

// lastPossibleDate is after every stored date (they end at 2999-12-31).
const lastPossibleDate = "9999-99-99"

// ExportTx is one read transaction over the whole diary: everything read
// through it belongs to one consistent snapshot, while writers go on (WAL).
// It is valid only inside the function given to ReadExport.
type ExportTx struct {
	ctx context.Context
	q   *db.Queries
}

// ExerciseRecord is one stored exercise record: the date's daily intensity
// (StartTime and DurationMin nil) or a timed event (SPEC §6.5).
type ExerciseRecord struct {
	Date        sleep.Date
	Intensity   sleep.Intensity
	StartTime   *sleep.Clock
	DurationMin *int
}

// ReadExport runs fn inside one read transaction (SPEC §13.1: the export is
// one consistent snapshot). The transaction only reads and is rolled back at
// the end.
func (s *Store) ReadExport(ctx context.Context, fn func(tx *ExportTx) error) error {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin export: %w", err)
	}
	defer tx.Rollback()
	q := s.rq.WithTx(tx)
	// SQLite takes a deferred transaction's snapshot at its first read: read
	// now, so that the snapshot is this moment, not the first page's.
	if _, err := q.GetSetting(ctx, SettingUserTimezone); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("begin export: %w", err)
	}
	return fn(&ExportTx{ctx: ctx, q: q})
}

// Timezone returns the stored user time zone, or nil when none is stored
// (APP_TZ is configuration, not data).
func (t *ExportTx) Timezone() (*string, error) {
	name, err := t.q.GetSetting(t.ctx, SettingUserTimezone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("export time zone: %w", err)
	}
	return &name, nil
}

// SleepWindow returns the stored sleep-window prescription, or nil.
func (t *ExportTx) SleepWindow() (*sleep.SleepWindow, error) {
	return sleepWindow(t.ctx, t.q)
}

// Sessions yields every session ordered by wake date, then naive bed
// datetime (SPEC §6.1: a bed time after the wake time lies on the previous
// day, so a 23:00 bed comes before a 13:00 nap), then id. Pages end at a
// date boundary, so a date's sessions are always sorted together. Iteration
// stops at the first error, which is yielded.
func (t *ExportTx) Sessions() iter.Seq2[sleep.Session, error] {
	return func(yield func(sleep.Session, error) bool) {
		after := ""
		for {
			last, err := t.q.ExportSessionPageEnd(t.ctx, db.ExportSessionPageEndParams{
				AfterDate: after, PageSize: exportPageSize,
			})
			if errors.Is(err, sql.ErrNoRows) {
				last, err = lastPossibleDate, nil
			}
			if err != nil {
				yield(sleep.Session{}, fmt.Errorf("export sessions: %w", err))
				return
			}
			rows, err := t.q.ExportSessionPage(t.ctx, db.ExportSessionPageParams{AfterDate: after, LastDate: last})
			if err != nil {
				yield(sleep.Session{}, fmt.Errorf("export sessions: %w", err))
				return
			}
			for _, row := range rows {
				session, err := sessionFromRow(row)
				if !yield(session, err) || err != nil {
					return
				}
			}
			if last == lastPossibleDate || len(rows) == 0 {
				return
			}
			after = last
		}
	}
}

// Exercise yields every exercise record, daily intensities and timed events
// alike, by date then id.
func (t *ExportTx) Exercise() iter.Seq2[ExerciseRecord, error] {
	return func(yield func(ExerciseRecord, error) bool) {
		afterDate, afterID := "", int64(0)
		for {
			rows, err := t.q.ExportExercisePage(t.ctx, db.ExportExercisePageParams{
				AfterDate: afterDate, AfterID: afterID, PageSize: exportPageSize,
			})
			if err != nil {
				yield(ExerciseRecord{}, fmt.Errorf("export exercise: %w", err))
				return
			}
			for _, row := range rows {
				rec, err := exerciseFromRow(row)
				if !yield(rec, err) || err != nil {
					return
				}
			}
			if len(rows) < exportPageSize {
				return
			}
			afterDate, afterID = rows[len(rows)-1].Date, rows[len(rows)-1].ID
		}
	}
}

func exerciseFromRow(row db.ExerciseEvent) (ExerciseRecord, error) {
	date, err := parseStoredDate("exercise record", row.Date)
	if err != nil {
		return ExerciseRecord{}, err
	}
	intensity, ok := sleep.ParseIntensity(row.Intensity)
	if !ok {
		return ExerciseRecord{}, fmt.Errorf("exercise record %d: corrupt intensity %q", row.ID, row.Intensity)
	}
	rec := ExerciseRecord{Date: date, Intensity: intensity}
	if row.StartTime.Valid {
		start, ok := sleep.ParseClock(row.StartTime.String)
		if !ok {
			return ExerciseRecord{}, fmt.Errorf("exercise record %d: corrupt start time %q", row.ID, row.StartTime.String)
		}
		rec.StartTime = &start
	}
	if row.DurationMin.Valid {
		minutes := int(row.DurationMin.Int64)
		rec.DurationMin = &minutes
	}
	return rec, nil
}

// Notes yields every note by date then id.
func (t *ExportTx) Notes() iter.Seq2[sleep.Note, error] {
	return func(yield func(sleep.Note, error) bool) {
		afterDate, afterID := "", int64(0)
		for {
			rows, err := t.q.ExportNotePage(t.ctx, db.ExportNotePageParams{
				AfterDate: afterDate, AfterID: afterID, PageSize: exportPageSize,
			})
			if err != nil {
				yield(sleep.Note{}, fmt.Errorf("export notes: %w", err))
				return
			}
			for _, row := range rows {
				date, err := parseStoredDate("note", row.Date)
				if !yield(sleep.Note{ID: row.ID, Date: date, Body: row.Body}, err) || err != nil {
					return
				}
			}
			if len(rows) < exportPageSize {
				return
			}
			afterDate, afterID = rows[len(rows)-1].Date, rows[len(rows)-1].ID
		}
	}
}
