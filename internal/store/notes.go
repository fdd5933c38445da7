package store

import (
	"context"
	"fmt"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store/db"
)

// AddNote stores a note with its body exactly as given and returns its id
// (SPEC §5.17). Any number of notes may exist per date. An idempotent write
// in ctx (SPEC §15.1) is recorded in the same transaction.
func (s *Store) AddNote(ctx context.Context, in sleep.NoteInput) (int64, error) {
	return s.withIdempotentID(ctx, func(q *db.Queries) (int64, error) {
		return insertNote(ctx, q, in)
	})
}

// insertNote inserts a note through q, which may be inside a transaction
// (the note field of a sleep write).
func insertNote(ctx context.Context, q *db.Queries, in sleep.NoteInput) (int64, error) {
	id, err := q.InsertNote(ctx, db.InsertNoteParams{Date: in.Date.String(), Body: in.Body})
	if err != nil {
		return 0, fmt.Errorf("insert note: %w", err)
	}
	return id, nil
}

// UpdateNote replaces the date and body of note id, or returns
// sleep.ErrNotFound when it does not exist (SPEC §5.19).
func (s *Store) UpdateNote(ctx context.Context, id int64, in sleep.NoteInput) error {
	n, err := s.wq.UpdateNote(ctx, db.UpdateNoteParams{Date: in.Date.String(), Body: in.Body, ID: id})
	if err != nil {
		return fmt.Errorf("update note: %w", err)
	}
	if n == 0 {
		return sleep.ErrNotFound
	}
	return nil
}

// DeleteNote removes note id; deleting a missing note is not an error
// (DELETE is idempotent).
func (s *Store) DeleteNote(ctx context.Context, id int64) error {
	if err := s.wq.DeleteNote(ctx, id); err != nil {
		return fmt.Errorf("delete note: %w", err)
	}
	return nil
}

// NotesInRange returns the notes dated in [from, to], ordered by date, then
// id (SPEC §5.18); never nil.
func (s *Store) NotesInRange(ctx context.Context, from, to sleep.Date) ([]sleep.Note, error) {
	rows, err := s.rq.ListNotesInRange(ctx, db.ListNotesInRangeParams{FromDate: from.String(), ToDate: to.String()})
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	notes := make([]sleep.Note, 0, len(rows))
	for _, row := range rows {
		date, err := parseStoredDate(fmt.Sprintf("note %d", row.ID), row.Date)
		if err != nil {
			return nil, err
		}
		notes = append(notes, sleep.Note{ID: row.ID, Date: date, Body: row.Body})
	}
	return notes, nil
}
