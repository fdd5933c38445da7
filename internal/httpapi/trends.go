package httpapi

import (
	"net/http"
	"time"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
	"sleeptracker/internal/trends"
)

// Trends and personalization routes (SPEC §5.21–§5.25, §7). Each reads its
// window with one query and hands the rows to the pure trends package.

// handleSleepBars serves GET /api/trends/sleep-bars?from&to.
func (s *Server) handleSleepBars(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, to, err := sleep.TrendsRangeRule.Parse(sleep.LookupQuery(q, "from"), sleep.LookupQuery(q, "to"))
	if err != nil {
		return err
	}
	nights, err := s.nightsBetween(r, from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, trends.SleepBars(nights))
	return nil
}

// handleSummary serves GET /api/trends/summary?from&to&bucket.
func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, to, err := sleep.TrendsRangeRule.Parse(sleep.LookupQuery(q, "from"), sleep.LookupQuery(q, "to"))
	if err != nil {
		return err
	}
	bucket := trends.BucketDay
	if p := sleep.LookupQuery(q, "bucket"); p.Present {
		bucket = trends.Bucket(p.Value)
		if !bucket.Valid() {
			return badRequest("bucket must be day or week")
		}
	}
	nights, err := s.nightsBetween(r, from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, trends.Summarize(nights, bucket))
	return nil
}

// handlePersonalization serves GET /api/trends/personalization?window_days&to
// (window_days is checked before to, the reverse of the friction backlog).
func (s *Server) handlePersonalization(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	days, err := sleep.ParseQueryInt("window_days", sleep.LookupQuery(q, "window_days"), 28, sleep.WindowDaysRange)
	if err != nil {
		return err
	}
	asOf, err := s.asOfDate(r, sleep.LookupQuery(q, "to"))
	if err != nil {
		return err
	}
	if err := sleep.CheckWindowStart(priorFrom(asOf, days)); err != nil {
		return err
	}
	windows := trends.NewWindows(asOf.Time(), int(days))
	nights, err := s.nightsBetween(r, sleep.DateOf(windows.PriorFrom), asOf)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, trends.Personalize(nights, windows))
	return nil
}

// handleFrictionTelemetry serves POST /api/personalization/friction-telemetry.
func (s *Server) handleFrictionTelemetry(w http.ResponseWriter, r *http.Request) error {
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return err
	}
	in, err := sleep.ParseFrictionInput(fields)
	if err != nil {
		return err
	}
	id, err := s.store.AddFrictionEvent(r.Context(), in, s.now())
	if err != nil {
		return err
	}
	writeCreated(w, id)
	return nil
}

// handleFrictionBacklog serves GET /api/personalization/friction-backlog?window_days&to
// (to is checked before window_days).
func (s *Server) handleFrictionBacklog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	asOf, err := s.asOfDate(r, sleep.LookupQuery(q, "to"))
	if err != nil {
		return err
	}
	days, err := sleep.ParseQueryInt("window_days", sleep.LookupQuery(q, "window_days"), 28, sleep.WindowDaysRange)
	if err != nil {
		return err
	}
	if err := sleep.CheckWindowStart(priorFrom(asOf, days)); err != nil {
		return err
	}
	windows := trends.NewWindows(asOf.Time(), int(days))
	endOfAsOf := windows.AsOf.Add(24*time.Hour - time.Second)
	stored, err := s.store.FrictionEventsBetween(r.Context(), windows.PriorFrom, endOfAsOf)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, trends.FrictionBacklog(frictionEvents(stored), windows))
	return nil
}

// priorFrom is the first date of the prior window (SPEC §7.3): the two
// windows of days days each end on asOf.
func priorFrom(asOf sleep.Date, days int64) sleep.Date {
	return asOf.AddDays(-int(2*days - 1))
}

// asOfDate is the optional `to` parameter, defaulting to today in the user's time zone.
func (s *Server) asOfDate(r *http.Request, to sleep.QueryParam) (sleep.Date, error) {
	d, err := sleep.ParseQueryDate("to", to)
	if err != nil || !d.IsZero() {
		return d, err
	}
	return s.today(r)
}

// today is the current date in the user's time zone.
func (s *Server) today(r *http.Request) (sleep.Date, error) {
	_, loc, err := s.userLocation(r.Context())
	if err != nil {
		return sleep.Date{}, err
	}
	return sleep.DateOf(s.now().In(loc)), nil
}

// nightsBetween reads the daily rows of [from, to] with one query.
func (s *Server) nightsBetween(r *http.Request, from, to sleep.Date) ([]trends.Night, error) {
	rows, err := s.store.DailyRowsInRange(r.Context(), from, to)
	if err != nil {
		return nil, err
	}
	nights := make([]trends.Night, len(rows))
	for i, row := range rows {
		nights[i] = trends.Night{
			Date:        row.Date.Time(),
			BedSec:      int(row.Bed),
			WakeSec:     int(row.Wake),
			DurationMin: row.DurationMin,
			Quality:     row.Quality,
			LatencyMin:  row.LatencyMin,
		}
	}
	return nights, nil
}

// frictionEvents converts stored events; the two types have the same fields
// in the same order, so each converts directly.
func frictionEvents(stored []store.FrictionEvent) []trends.FrictionEvent {
	events := make([]trends.FrictionEvent, len(stored))
	for i, e := range stored {
		events[i] = trends.FrictionEvent(e)
	}
	return events
}
