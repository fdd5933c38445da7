package httpapi

import (
	"context"
	"net/http"
	"time"

	"sleeptracker/internal/sleep"
)

// userLocation is the current user timezone (SPEC §6.7): the stored setting
// when present and valid, else APP_TZ.
func (s *Server) userLocation(ctx context.Context) (string, *time.Location, error) {
	return s.store.UserLocation(ctx, s.cfg.AppTZ, s.cfg.AppLocation)
}

// getTimezone serves GET /api/settings/timezone (SPEC §5.6).
func (s *Server) getTimezone(w http.ResponseWriter, r *http.Request) error {
	name, _, err := s.userLocation(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"timezone": name})
	return nil
}

// setTimezone serves POST /api/settings/timezone (SPEC §5.7): the trimmed,
// case-sensitive name of an embedded tz database zone, stored for later
// writes; stored durations are never recomputed.
func (s *Server) setTimezone(w http.ResponseWriter, r *http.Request) error {
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return err
	}
	name, _, err := sleep.ParseTimezoneInput(fields)
	if err != nil {
		return err
	}
	if err := s.store.SetUserTimezone(r.Context(), name); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}
