package httpapi

import (
	"net/http"
	"time"

	"sleeptracker/internal/sleep"
)

// defaultRecentDays is the days of GET /api/sleep/recent when absent (SPEC §5.13).
const defaultRecentDays = 7

// createSleep serves POST /api/sleep (SPEC §5.8).
func (s *Server) createSleep(w http.ResponseWriter, r *http.Request) error {
	in, durationMin, err := s.decodeSleepInput(w, r)
	if err != nil {
		return err
	}
	id, err := s.store.CreateSleep(r.Context(), in, durationMin)
	if err != nil {
		return err
	}
	writeCreated(w, id)
	return nil
}

// getSleep serves GET /api/sleep/{id} (SPEC §5.9).
func (s *Server) getSleep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	session, err := s.store.GetSleep(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, session)
	return nil
}

// updateSleep serves PUT /api/sleep/{id} (SPEC §5.10, §12.1): id, body,
// duration, then existence (404) before the overlap rule. The body is
// validated inside the store's transaction against the stored session, so
// diary items the body leaves out keep their stored values.
func (s *Server) updateSleep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return err
	}
	zoneName, loc, err := s.userLocation(r.Context())
	if err != nil {
		return err
	}
	err = s.store.UpdateSleep(r.Context(), id, func(stored *sleep.Session) (sleep.SleepInput, int, error) {
		in, err := sleep.ParseSleepUpdate(fields, stored)
		if err != nil {
			return sleep.SleepInput{}, 0, err
		}
		durationMin, err := s.sessionDuration(r, in, zoneName, loc)
		return in, durationMin, err
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// deleteSleep serves DELETE /api/sleep/{id} (SPEC §5.11): 204 whether or not
// the session existed.
func (s *Server) deleteSleep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteSleep(r.Context(), id); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// listSleepByDate serves GET /api/sleep/date/{date} (SPEC §5.12).
func (s *Server) listSleepByDate(w http.ResponseWriter, r *http.Request) error {
	date, err := pathDate(r)
	if err != nil {
		return err
	}
	sessions, err := s.store.SleepByDate(r.Context(), date)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sessions)
	return nil
}

// listRecentSleep serves GET /api/sleep/recent?days=N (SPEC §5.13): the daily
// rows of the N most recent logged wake dates, newest first.
func (s *Server) listRecentSleep(w http.ResponseWriter, r *http.Request) error {
	days, err := sleep.ParseQueryInt("days", sleep.LookupQuery(r.URL.Query(), "days"),
		defaultRecentDays, sleep.RecentDaysRange)
	if err != nil {
		return err
	}
	rows, err := s.store.RecentDaily(r.Context(), int(days))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rows)
	return nil
}

// listSleepRange serves GET /api/sleep/range?from=&to= (SPEC §5.14): one item
// per session, not aggregated.
func (s *Server) listSleepRange(w http.ResponseWriter, r *http.Request) error {
	from, to, err := listDateRange(r)
	if err != nil {
		return err
	}
	sessions, err := s.store.SleepInRange(r.Context(), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sessions)
	return nil
}

// decodeSleepInput reads and validates a SleepInput body and computes its
// duration in the current user timezone (SPEC §5.8 step 1, §6.2).
func (s *Server) decodeSleepInput(w http.ResponseWriter, r *http.Request) (sleep.SleepInput, int, error) {
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return sleep.SleepInput{}, 0, err
	}
	in, err := sleep.ParseSleepInput(fields)
	if err != nil {
		return sleep.SleepInput{}, 0, err
	}
	zoneName, loc, err := s.userLocation(r.Context())
	if err != nil {
		return sleep.SleepInput{}, 0, err
	}
	durationMin, err := s.sessionDuration(r, in, zoneName, loc)
	if err != nil {
		return sleep.SleepInput{}, 0, err
	}
	return in, durationMin, nil
}

// sessionDuration computes the stored duration of in in the user timezone
// (SPEC §6.2), logging the rare UTC fallback.
func (s *Server) sessionDuration(r *http.Request, in sleep.SleepInput, zoneName string, loc *time.Location) (int, error) {
	durationMin, usedUTCFallback, err := sleep.ComputeDuration(in.Date, in.Bed, in.Wake, loc)
	if usedUTCFallback {
		// SPEC §6.2 rule 4: a gap of three hours or more has no nearby local
		// time, so the clock was read as UTC; the owner should know.
		s.log.WarnContext(r.Context(), "local time does not exist in the user timezone; duration computed as UTC",
			"timezone", zoneName, "date", in.Date.String(), "bed_time", in.Bed.String(), "wake_time", in.Wake.String())
	}
	return durationMin, err
}
