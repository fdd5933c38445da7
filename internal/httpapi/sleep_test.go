package httpapi

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestSleepCreateThenRead(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	id := postSleep(t, c, sleepBody("2025-06-17", "23:05", "06:30:00", "latency_min", 15, "awakenings", 0))

	resp := c.do(t, http.MethodGet, fmt.Sprintf("/api/sleep/%d", id), nil).mustStatus(t, http.StatusOK)
	assertKeys(t, resp.Body, sessionKeys...)
	var got wireSession
	resp.JSON(t, &got)
	want := wireSession{ID: id, Date: "2025-06-17", BedTime: "23:05:00", WakeTime: "06:30:00",
		LatencyMin: 15, Awakenings: 0, Quality: 4, DurationMin: 445}
	if got != want {
		t.Fatalf("session %+v, want %+v", got, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}

	head := c.do(t, http.MethodHead, fmt.Sprintf("/api/sleep/%d", id), nil).mustStatus(t, http.StatusOK)
	if len(head.Body) != 0 {
		t.Fatalf("HEAD body %q, want empty", head.Body)
	}
	mustError(t, c.do(t, http.MethodGet, fmt.Sprintf("/api/sleep/%d", id+1), nil), http.StatusNotFound, "not_found", "not found")
}

func TestSleepByDateListsWakeDateOnlyInWakeOrder(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	nap := postSleep(t, c, sleepBody("2025-06-15", "13:00", "14:00"))
	night := postSleep(t, c, sleepBody("2025-06-15", "22:00", "06:00"))
	// Its bed time falls on 06-15, but it belongs to wake date 06-16 only.
	nextNight := postSleep(t, c, sleepBody("2025-06-16", "23:00", "07:00"))

	if got := sessionIDs(sessionsAt(t, c, "2025-06-15")); !slices.Equal(got, []int64{night, nap}) {
		t.Fatalf("2025-06-15 ids %v, want [%d %d] (by wake_time)", got, night, nap)
	}
	if got := sessionIDs(sessionsAt(t, c, "2025-06-16")); !slices.Equal(got, []int64{nextNight}) {
		t.Fatalf("2025-06-16 ids %v, want [%d]", got, nextNight)
	}
	empty := c.do(t, http.MethodGet, "/api/sleep/date/2025-06-14", nil).mustStatus(t, http.StatusOK)
	if strings.TrimSpace(string(empty.Body)) != "[]" {
		t.Fatalf("empty date body %q, want []", empty.Body)
	}
}

func TestSleepRecentReturnsDailyRowsNewestFirst(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	if body := c.do(t, http.MethodGet, "/api/sleep/recent", nil).mustStatus(t, http.StatusOK).Body; strings.TrimSpace(string(body)) != "[]" {
		t.Fatalf("empty recent %q, want []", body)
	}
	// SPEC §6.4 example on 06-15, plus single sessions on dates with gaps.
	overnight := postSleep(t, c, sleepBody("2025-06-15", "22:00", "06:00", "quality", 3, "latency_min", 10, "awakenings", 1))
	postSleep(t, c, sleepBody("2025-06-15", "13:00", "14:00", "quality", 5, "latency_min", 10, "awakenings", 1))
	older := postSleep(t, c, sleepBody("2025-06-10", "23:00", "07:00"))
	newest := postSleep(t, c, sleepBody("2025-06-19", "23:30", "07:00"))
	oldest := postSleep(t, c, sleepBody("2025-05-01", "23:30", "07:00"))

	rows := decodeDailyRows(t, c.do(t, http.MethodGet, "/api/sleep/recent?days=2", nil))
	want := []wireSession{
		{ID: newest, Date: "2025-06-19", BedTime: "23:30:00", WakeTime: "07:00:00", LatencyMin: 10, Awakenings: 1, Quality: 4, DurationMin: 450},
		{ID: overnight, Date: "2025-06-15", BedTime: "22:00:00", WakeTime: "14:00:00", LatencyMin: 10, Awakenings: 2, Quality: 4, DurationMin: 540},
	}
	if !slices.Equal(rows, want) {
		t.Fatalf("recent?days=2\n got %+v\nwant %+v", rows, want)
	}
	// The default is 7 logged days, not 7 calendar days: every date appears.
	all := decodeDailyRows(t, c.do(t, http.MethodGet, "/api/sleep/recent", nil))
	if got := sessionIDs(all); !slices.Equal(got, []int64{newest, overnight, older, oldest}) {
		t.Fatalf("recent ids %v, want [%d %d %d %d]", got, newest, overnight, older, oldest)
	}
	// A repeated parameter uses its first occurrence.
	if got := decodeDailyRows(t, c.do(t, http.MethodGet, "/api/sleep/recent?days=1&days=abc", nil)); len(got) != 1 {
		t.Fatalf("recent?days=1&days=abc gave %d rows, want 1", len(got))
	}
}

func TestSleepRangeListsEverySessionInOrder(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	nap := postSleep(t, c, sleepBody("2025-06-15", "13:00", "14:00"))
	night := postSleep(t, c, sleepBody("2025-06-15", "22:00", "06:00"))
	next := postSleep(t, c, sleepBody("2025-06-16", "23:00", "07:00"))
	postSleep(t, c, sleepBody("2025-06-18", "23:00", "07:00")) // outside the range

	got := decodeSessions(t, c.do(t, http.MethodGet, "/api/sleep/range?from=2025-06-14&to=2025-06-17", nil))
	if ids := sessionIDs(got); !slices.Equal(ids, []int64{night, nap, next}) {
		t.Fatalf("range ids %v, want [%d %d %d]", ids, night, nap, next)
	}
	if got[1].DurationMin != 60 || got[1].BedTime != "13:00:00" {
		t.Fatalf("range item not the raw nap session: %+v", got[1])
	}
}

// TestListRangeCaps covers the shared from/to rules of the three list routes.
func TestListRangeCaps(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	for _, path := range []string{"/api/sleep/range", "/api/exercise/intensity", "/api/note"} {
		t.Run(path, func(t *testing.T) {
			// 2025-01-01 … 2025-03-03 is exactly 62 days inclusive.
			jsonList(t, c.do(t, http.MethodGet, path+"?from=2025-01-01&to=2025-03-03", nil))
			jsonList(t, c.do(t, http.MethodGet, path+"?from=2025-01-01&to=2025-01-01", nil))
			for query, message := range map[string]string{
				"?from=2025-01-01&to=2025-03-04":   "range must be <= 62 days",
				"?from=2025-01-02&to=2025-01-01":   "from must be <= to",
				"?to=2025-01-01":                   "from is required",
				"?from=2025-01-01":                 "to is required",
				"?from=2025-02-30&to=2025-03-01":   "invalid from date",
				"?from=2025-01-01&to=2025-1-2":     "invalid to date",
				"?from=&to=2025-01-01":             "invalid from date",
				"?from=2025-01-02&to=x&from=bogus": "invalid to date",
			} {
				mustError(t, c.do(t, http.MethodGet, path+query, nil), http.StatusBadRequest, "bad_request", message)
			}
		})
	}
}

// TestSleepOverlapRule runs the example table of SPEC §6.3 through HTTP.
func TestSleepOverlapRule(t *testing.T) {
	tests := []struct {
		date, bed, wake string
		overlaps        bool
	}{
		{"2025-06-21", "05:00", "07:00", true},
		{"2025-06-21", "06:00", "07:00", true},  // touches at 06-21 06:00
		{"2025-06-20", "21:00", "22:00", true},  // touches at 06-20 22:00
		{"2025-06-20", "13:00", "14:00", false}, // the afternoon before
		{"2025-06-21", "06:00:01", "07:00", false},
		{"2025-06-22", "06:00", "05:00", true}, // bed 06-21 06:00 touches the stored wake
		{"2025-06-21", "21:00", "23:00", false},
		{"2025-06-20", "23:00", "23:30", true}, // inside the stored night
	}
	for _, tt := range tests {
		t.Run(tt.date+" "+tt.bed+"-"+tt.wake, func(t *testing.T) {
			ts := newTestServer(t)
			c := ts.login(t)
			postSleep(t, c, sleepBody("2025-06-21", "22:00", "06:00"))
			resp := c.do(t, http.MethodPost, "/api/sleep", sleepBody(tt.date, tt.bed, tt.wake))
			if tt.overlaps {
				mustError(t, resp, http.StatusBadRequest, "bad_request", "sleep session overlaps existing session")
				return
			}
			createdID(t, resp)
		})
	}
}

func TestSleepUpdate(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	id := postSleep(t, c, sleepBody("2025-06-21", "22:00", "06:00"))
	other := postSleep(t, c, sleepBody("2025-06-22", "22:00", "06:00"))
	path := fmt.Sprintf("/api/sleep/%d", id)

	// Overlapping only its own old range is allowed.
	resp := c.do(t, http.MethodPut, path, sleepBody("2025-06-21", "22:30", "06:30", "quality", 2))
	resp.mustStatus(t, http.StatusNoContent)
	if len(resp.Body) != 0 {
		t.Fatalf("204 with body %q", resp.Body)
	}
	var got wireSession
	c.do(t, http.MethodGet, path, nil).mustStatus(t, http.StatusOK).JSON(t, &got)
	if got.BedTime != "22:30:00" || got.WakeTime != "06:30:00" || got.Quality != 2 || got.DurationMin != 480 {
		t.Fatalf("after update %+v", got)
	}

	// Overlapping another session is refused and changes nothing.
	mustError(t, c.do(t, http.MethodPut, path, sleepBody("2025-06-22", "05:00", "07:00")),
		http.StatusBadRequest, "bad_request", "sleep session overlaps existing session")

	// Changing the date moves the session to another wake date.
	c.do(t, http.MethodPut, path, sleepBody("2025-06-25", "13:00", "13:45")).mustStatus(t, http.StatusNoContent)
	if ids := sessionIDs(sessionsAt(t, c, "2025-06-21")); len(ids) != 0 {
		t.Fatalf("old date still lists %v", ids)
	}
	moved := sessionsAt(t, c, "2025-06-25")
	if len(moved) != 1 || moved[0].ID != id || moved[0].DurationMin != 45 {
		t.Fatalf("moved session %+v", moved)
	}

	// Existence is checked before the overlap rule, the duration before both.
	missing := fmt.Sprintf("/api/sleep/%d", other+100)
	mustError(t, c.do(t, http.MethodPut, missing, sleepBody("2025-06-22", "05:00", "07:00")),
		http.StatusNotFound, "not_found", "not found")
	mustError(t, c.do(t, http.MethodPut, missing, sleepBody("2025-06-30", "07:00", "07:00")),
		http.StatusBadRequest, "bad_request", "Duration must be positive")
	mustError(t, c.do(t, http.MethodPut, missing, sleepBody("2025-06-30", "07:00", "08:00", "quality", 9)),
		http.StatusBadRequest, "bad_request", "quality must be between 1 and 5")
}

func TestSleepDeleteIsIdempotentAndKeepsNotesAndExercise(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	id := postSleep(t, c, sleepBody("2025-06-21", "22:00", "06:00", "exercise_intensity", "light", "note", "tired"))
	path := fmt.Sprintf("/api/sleep/%d", id)
	for range 2 {
		resp := c.do(t, http.MethodDelete, path, nil).mustStatus(t, http.StatusNoContent)
		if len(resp.Body) != 0 {
			t.Fatalf("204 with body %q", resp.Body)
		}
	}
	mustError(t, c.do(t, http.MethodGet, path, nil), http.StatusNotFound, "not_found", "not found")
	// DELETE takes no body: any body and its type are ignored.
	c.do(t, http.MethodDelete, "/api/sleep/987654321", "{not json", "Content-Type", "text/plain").mustStatus(t, http.StatusNoContent)

	notes := jsonList(t, c.do(t, http.MethodGet, "/api/note?from=2025-06-21&to=2025-06-21", nil), "id", "date", "body")
	if len(notes) != 1 || notes[0]["body"] != "tired" {
		t.Fatalf("notes after delete %v", notes)
	}
	days := jsonList(t, c.do(t, http.MethodGet, "/api/exercise/intensity?from=2025-06-21&to=2025-06-21", nil), "date", "intensity")
	if len(days) != 1 || days[0]["intensity"] != "light" {
		t.Fatalf("intensity after delete %v", days)
	}
}

func TestSleepStoresIntensityAndNoteAtomically(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	postSleep(t, c, sleepBody("2025-06-21", "22:00", "06:00", "exercise_intensity", "hard", "note", "  slept well \n"))
	// A blank note adds nothing; a null intensity leaves the daily record alone.
	postSleep(t, c, sleepBody("2025-06-21", "13:00", "14:00", "exercise_intensity", nil, "note", "   "))

	notes := jsonList(t, c.do(t, http.MethodGet, "/api/note?from=2025-06-01&to=2025-06-30", nil), "id", "date", "body")
	if len(notes) != 1 || notes[0]["body"] != "slept well" || notes[0]["date"] != "2025-06-21" {
		t.Fatalf("notes %v, want one trimmed note on 2025-06-21", notes)
	}
	days := jsonList(t, c.do(t, http.MethodGet, "/api/exercise/intensity?from=2025-06-01&to=2025-06-30", nil), "date", "intensity")
	if len(days) != 1 || days[0]["intensity"] != "hard" {
		t.Fatalf("intensity %v, want hard on 2025-06-21", days)
	}

	// A session that fails the overlap rule stores neither its note nor its intensity.
	before := dumpDatabase(t, ts)
	mustError(t, c.do(t, http.MethodPost, "/api/sleep",
		sleepBody("2025-06-21", "05:00", "07:00", "exercise_intensity", "none", "note", "lost")),
		http.StatusBadRequest, "bad_request", "sleep session overlaps existing session")
	if after := dumpDatabase(t, ts); after != before {
		t.Fatalf("failed create changed the database:\nbefore %s\nafter %s", before, after)
	}

	// An update applies its extras to the new wake date.
	id := postSleep(t, c, sleepBody("2025-06-23", "23:00", "07:00"))
	c.do(t, http.MethodPut, fmt.Sprintf("/api/sleep/%d", id),
		sleepBody("2025-06-24", "23:00", "07:00", "exercise_intensity", "light", "note", "moved")).mustStatus(t, http.StatusNoContent)
	notes = jsonList(t, c.do(t, http.MethodGet, "/api/note?from=2025-06-24&to=2025-06-24", nil), "id", "date", "body")
	days = jsonList(t, c.do(t, http.MethodGet, "/api/exercise/intensity?from=2025-06-22&to=2025-06-24", nil), "date", "intensity")
	if len(notes) != 1 || notes[0]["body"] != "moved" || len(days) != 1 || days[0]["date"] != "2025-06-24" {
		t.Fatalf("update extras: notes %v, intensity %v", notes, days)
	}
}

// TestSleepDurationUsesCurrentTimezone runs the examples of SPEC §6.2 through
// HTTP after setting the user timezone.
func TestSleepDurationUsesCurrentTimezone(t *testing.T) {
	tests := []struct {
		zone, date, bed, wake string
		want                  int // 0: 400 "Duration must be positive"
	}{
		{"Asia/Tokyo", "2025-06-01", "23:00", "07:00", 480},
		{"Asia/Tokyo", "2025-06-18", "00:30", "07:00", 390},
		{"Asia/Tokyo", "2025-06-17", "22:00:30", "23:00:00", 59},
		{"Asia/Tokyo", "2025-06-17", "07:00", "07:00", 0},
		{"America/New_York", "2025-11-02", "01:30", "01:30", 60},
		{"America/New_York", "2025-11-02", "23:00", "07:00", 540},
		{"America/New_York", "2025-03-09", "23:00", "07:00", 420},
		{"America/New_York", "2025-03-09", "02:30", "03:30", 30},
		{"America/New_York", "2025-03-09", "02:10", "02:50", 0},
		{"UTC", "2025-03-09", "23:00", "07:00", 480},
	}
	ts := newTestServer(t)
	c := ts.login(t)
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.date+" "+tt.bed+"-"+tt.wake, func(t *testing.T) {
			c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": tt.zone}).mustStatus(t, http.StatusNoContent)
			resp := c.do(t, http.MethodPost, "/api/sleep", sleepBody(tt.date, tt.bed, tt.wake))
			if tt.want == 0 {
				mustError(t, resp, http.StatusBadRequest, "bad_request", "Duration must be positive")
				return
			}
			id := createdID(t, resp)
			var got wireSession
			c.do(t, http.MethodGet, fmt.Sprintf("/api/sleep/%d", id), nil).mustStatus(t, http.StatusOK).JSON(t, &got)
			if got.DurationMin != tt.want {
				t.Fatalf("duration_min %d, want %d", got.DurationMin, tt.want)
			}
			// Cases share dates, so each removes its session again.
			c.do(t, http.MethodDelete, fmt.Sprintf("/api/sleep/%d", id), nil).mustStatus(t, http.StatusNoContent)
		})
	}
}

func TestSleepDurationIsNotRecomputedWhenTheZoneChanges(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": "America/New_York"}).mustStatus(t, http.StatusNoContent)
	id := postSleep(t, c, sleepBody("2025-03-09", "23:00", "07:00"))
	c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": "UTC"}).mustStatus(t, http.StatusNoContent)
	var got wireSession
	c.do(t, http.MethodGet, fmt.Sprintf("/api/sleep/%d", id), nil).mustStatus(t, http.StatusOK).JSON(t, &got)
	if got.DurationMin != 420 {
		t.Fatalf("duration_min %d after a zone change, want the stored 420", got.DurationMin)
	}
	// A rewrite uses the zone current at that moment.
	c.do(t, http.MethodPut, fmt.Sprintf("/api/sleep/%d", id), sleepBody("2025-03-09", "23:00", "07:00")).mustStatus(t, http.StatusNoContent)
	c.do(t, http.MethodGet, fmt.Sprintf("/api/sleep/%d", id), nil).mustStatus(t, http.StatusOK).JSON(t, &got)
	if got.DurationMin != 480 {
		t.Fatalf("duration_min %d after an update in UTC, want 480", got.DurationMin)
	}
}

// lockedBuffer is a log sink safe to write from server goroutines and read
// from the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSleepDurationUTCFallbackIsLogged(t *testing.T) {
	var logs lockedBuffer
	ts := newTestServer(t).variant(t, variantOptions{adjust: func(s *Server) {
		s.log = slog.New(slog.NewTextHandler(&logs, nil))
	}})
	c := ts.login(t)

	// Samoa skipped 2011-12-30 entirely: no local time within 179 minutes of
	// 01:00 or 06:00 exists, so both are read as UTC (SPEC §6.2 rule 4).
	c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": "Pacific/Apia"}).mustStatus(t, http.StatusNoContent)
	id := postSleep(t, c, sleepBody("2011-12-30", "01:00", "06:00"))
	var got wireSession
	c.do(t, http.MethodGet, fmt.Sprintf("/api/sleep/%d", id), nil).mustStatus(t, http.StatusOK).JSON(t, &got)
	if got.DurationMin != 300 {
		t.Fatalf("duration_min %d, want 300", got.DurationMin)
	}
	if out := logs.String(); !strings.Contains(out, "level=WARN") || !strings.Contains(out, "Pacific/Apia") {
		t.Fatalf("no warning naming the zone in the log:\n%s", out)
	}
}

func TestSleepCheckOrder(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.anonymous()
	mustError(t, anon.do(t, http.MethodPut, "/api/sleep/abc", "{broken"), http.StatusUnauthorized, "unauthorized", "authentication required")
	mustError(t, anon.do(t, http.MethodGet, "/api/sleep/recent?days=abc", nil), http.StatusUnauthorized, "unauthorized", "authentication required")
	mustError(t, anon.do(t, http.MethodPost, "/api/note", "[]"), http.StatusUnauthorized, "unauthorized", "authentication required")

	c := ts.login(t)
	resp := c.do(t, http.MethodPut, "/api/sleep/abc", "{broken", "X-CSRF-Token", "")
	if resp.StatusCode != http.StatusForbidden || resp.errorEnvelope(t).Code != "forbidden" {
		t.Fatalf("PUT without CSRF token: %d %s, want 403 forbidden", resp.StatusCode, resp.Body)
	}
	// Path parameters come before the body, even its content type.
	mustError(t, c.do(t, http.MethodPut, "/api/sleep/abc", "{broken"), http.StatusBadRequest, "bad_request", "invalid id")
	mustError(t, c.do(t, http.MethodPut, "/api/sleep/0", "x", "Content-Type", "text/plain"), http.StatusBadRequest, "bad_request", "invalid id")
	mustError(t, c.do(t, http.MethodPut, "/api/note/-1", "{"), http.StatusBadRequest, "bad_request", "invalid id")
	// Static segments beat {id}: these are the list routes, which take GET only.
	for _, method := range []string{http.MethodPut, http.MethodPost, http.MethodDelete} {
		for _, path := range []string{"/api/sleep/recent", "/api/sleep/range"} {
			resp := c.do(t, method, path, sleepBody("2025-06-01", "23:00", "07:00"))
			mustError(t, resp, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed")
			if allow := resp.Header.Get("Allow"); allow != "GET, HEAD" {
				t.Fatalf("%s %s Allow %q", method, path, allow)
			}
		}
	}
	mustError(t, c.do(t, http.MethodGet, "/api/sleep/", nil), http.StatusNotFound, "not_found", "not found")
}

// TestConcurrentIdenticalSessions: sixteen clients create the same session at
// the same moment; exactly one wins and the others see the overlap (SPEC §6.3).
func TestConcurrentIdenticalSessions(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	// A race is not lost every time, so several rounds raise the odds that a
	// missing serialization shows up.
	for _, date := range []string{"2025-06-21", "2025-06-24", "2025-06-27", "2025-06-30"} {
		body := `{"date":"` + date + `","bed_time":"22:00","wake_time":"06:00","latency_min":5,"awakenings":0,"quality":3,"exercise_intensity":"light","note":"same"}`
		results := sendAtOnce(c, 16, http.MethodPost, "/api/sleep", body)
		created, overlaps := 0, 0
		for _, r := range results {
			switch {
			case r.err != nil:
				t.Fatalf("request failed: %v", r.err)
			case r.status == http.StatusCreated:
				created++
			case r.status == http.StatusBadRequest && strings.Contains(string(r.body), `"sleep session overlaps existing session"`):
				overlaps++
			default:
				t.Fatalf("unexpected response %d %s", r.status, r.body)
			}
		}
		if created != 1 || overlaps != len(results)-1 {
			t.Fatalf("%s: %d created and %d overlaps, want 1 and %d", date, created, overlaps, len(results)-1)
		}
		if got := sessionsAt(t, c, date); len(got) != 1 {
			t.Fatalf("%s: %d sessions stored, want 1", date, len(got))
		}
		notes := jsonList(t, c.do(t, http.MethodGet, "/api/note?from="+date+"&to="+date, nil), "id", "date", "body")
		if len(notes) != 1 {
			t.Fatalf("%s: %d notes stored, want only the winner's", date, len(notes))
		}
	}
}
