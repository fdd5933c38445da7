package httpapi

import (
	"net/http"

	"sleeptracker/internal/sleep"
)

// createNote serves POST /api/note (SPEC §5.17): the body is stored exactly
// as sent.
func (s *Server) createNote(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeNoteInput(w, r)
	if err != nil {
		return err
	}
	id, err := s.store.AddNote(r.Context(), in)
	if err != nil {
		return err
	}
	writeCreated(w, id)
	return nil
}

// listNotes serves GET /api/note?from=&to= (SPEC §5.18).
func (s *Server) listNotes(w http.ResponseWriter, r *http.Request) error {
	from, to, err := listDateRange(r)
	if err != nil {
		return err
	}
	notes, err := s.store.NotesInRange(r.Context(), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, notes)
	return nil
}

// updateNote serves PUT /api/note/{id} (SPEC §5.19): id, body, then 404 when
// the note does not exist.
func (s *Server) updateNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := decodeNoteInput(w, r)
	if err != nil {
		return err
	}
	if err := s.store.UpdateNote(r.Context(), id, in); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// deleteNote serves DELETE /api/note/{id} (SPEC §5.20): 204 whether or not
// the note existed.
func (s *Server) deleteNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteNote(r.Context(), id); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

func decodeNoteInput(w http.ResponseWriter, r *http.Request) (sleep.NoteInput, error) {
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return sleep.NoteInput{}, err
	}
	return sleep.ParseNoteInput(fields)
}
