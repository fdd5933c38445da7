package httpapi

import (
	"net/http"

	"sleeptracker/internal/sleep"
)

// recordExercise serves POST /api/exercise (SPEC §5.15): a daily intensity
// (same id on every call for a date) or a timed event (new id each time).
func (s *Server) recordExercise(w http.ResponseWriter, r *http.Request) error {
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return err
	}
	in, err := sleep.ParseExerciseInput(fields)
	if err != nil {
		return err
	}
	id, err := s.store.RecordExercise(r.Context(), in)
	if err != nil {
		return err
	}
	writeCreated(w, id)
	return nil
}

// listExerciseIntensity serves GET /api/exercise/intensity?from=&to=
// (SPEC §5.16): the maximum intensity of each date that has records.
func (s *Server) listExerciseIntensity(w http.ResponseWriter, r *http.Request) error {
	from, to, err := listDateRange(r)
	if err != nil {
		return err
	}
	days, err := s.store.IntensityByDate(r.Context(), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, days)
	return nil
}
