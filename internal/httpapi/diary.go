package httpapi

import (
	"net/http"

	"sleeptracker/internal/diary"
	"sleeptracker/internal/sleep"
	"sleeptracker/internal/trends"
)

// Clinical diary routes (SPEC §12.3–§12.5). Each reads its dates with one
// query per kind of record and hands them to the pure diary and trends
// packages.

// handleDiary serves GET /api/diary?from&to&format (§12.3).
func (s *Server) handleDiary(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	today, err := s.today(r)
	if err != nil {
		return err
	}
	from, to, err := sleep.DiaryRangeRule.Parse(sleep.LookupQuery(q, "from"), sleep.LookupQuery(q, "to"), today)
	if err != nil {
		return err
	}
	format := "json"
	if p := sleep.LookupQuery(q, "format"); p.Present {
		format = p.Value
	}
	if format != "json" && format != "csv" {
		return badRequest("format must be one of json, csv")
	}
	d, err := s.readDiary(r, from, to)
	if err != nil {
		return err
	}
	if format == "csv" {
		return writeDiaryCSV(w, r, d)
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// readDiary builds the diary of [from, to] from the store.
func (s *Server) readDiary(r *http.Request, from, to sleep.Date) (diary.Diary, error) {
	ctx := r.Context()
	sessions, err := s.store.SleepInRange(ctx, from, to)
	if err != nil {
		return diary.Diary{}, err
	}
	intensities, err := s.store.IntensityByDate(ctx, from, to)
	if err != nil {
		return diary.Diary{}, err
	}
	notes, err := s.store.NotesInRange(ctx, from, to)
	if err != nil {
		return diary.Diary{}, err
	}
	return diary.Build(from, to, sessions, intensities, notes), nil
}

// getSleepWindow serves GET /api/diary/sleep-window?to (§12.4).
func (s *Server) getSleepWindow(w http.ResponseWriter, r *http.Request) error {
	to, err := s.asOfDate(r, sleep.LookupQuery(r.URL.Query(), "to"))
	if err != nil {
		return err
	}
	from := diary.BasedOnFrom(to)
	if err := sleep.CheckWindowStart(from); err != nil {
		return err
	}
	current, err := s.store.SleepWindow(r.Context())
	if err != nil {
		return err
	}
	sessions, err := s.store.SleepInRange(r.Context(), from, to)
	if err != nil {
		return err
	}
	nights := diary.Nights(from, to, sessions, nil, nil)
	writeJSON(w, http.StatusOK, diary.AdviseSleepWindow(current, to, nights))
	return nil
}

// putSleepWindow serves PUT /api/diary/sleep-window (§12.4): the window is
// stored with since = today in the user time zone.
func (s *Server) putSleepWindow(w http.ResponseWriter, r *http.Request) error {
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return err
	}
	window, err := sleep.ParseSleepWindowInput(fields)
	if err != nil {
		return err
	}
	if window.Since, err = s.today(r); err != nil {
		return err
	}
	if err := s.store.PutSleepWindow(r.Context(), window); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// deleteSleepWindow serves DELETE /api/diary/sleep-window: 204, idempotent.
func (s *Server) deleteSleepWindow(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.DeleteSleepWindow(r.Context()); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// regularityBody is the body of GET /api/trends/regularity.
type regularityBody struct {
	From sleep.Date `json:"from"`
	To   sleep.Date `json:"to"`
	trends.Regularity
}

// handleRegularity serves GET /api/trends/regularity?from&to (§12.5).
func (s *Server) handleRegularity(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	today, err := s.today(r)
	if err != nil {
		return err
	}
	from, to, err := sleep.RegularityRangeRule.Parse(sleep.LookupQuery(q, "from"), sleep.LookupQuery(q, "to"), today)
	if err != nil {
		return err
	}
	// Sessions waking the day before from can reach into night from (after
	// noon), and sessions waking the day after to into night to (bed before
	// noon).
	sessions, err := s.store.SleepInRange(r.Context(), from.AddDays(-1), to.AddDays(1))
	if err != nil {
		return err
	}
	spans := make([]trends.AsleepSpan, len(sessions))
	for i, session := range sessions {
		spans[i] = asleepSpan(session)
	}
	body := regularityBody{From: from, To: to,
		Regularity: trends.SleepRegularityIndex(from.DaysSinceEpoch(), to.DaysSinceEpoch(), spans)}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// asleepSpan places a session's asleep minutes on the naive local timeline:
// [bed + latency, wake), whole minutes (SPEC §12.5).
func asleepSpan(s sleep.Session) trends.AsleepSpan {
	bed, wake := s.LocalBounds()
	latency := 0
	if s.LatencyMin != nil {
		latency = *s.LatencyMin
	}
	return trends.AsleepSpan{
		WakeDay:  s.Date.DaysSinceEpoch(),
		StartMin: bed.MinutesSinceEpoch() + int64(latency),
		EndMin:   wake.MinutesSinceEpoch(),
	}
}
