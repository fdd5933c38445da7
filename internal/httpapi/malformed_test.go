package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// validSleepJSON renders a valid SleepInput body with one field replaced by
// raw JSON text (or removed when raw is ""), for the malformed table.
func validSleepJSON(field, raw string) string {
	fields := []struct{ name, value string }{
		{"date", `"2025-07-02"`}, {"bed_time", `"23:00"`}, {"wake_time", `"07:00"`},
		{"latency_min", `10`}, {"awakenings", `1`}, {"quality", `4`},
	}
	var parts []string
	replaced := false
	for _, f := range fields {
		if f.name == field {
			replaced = true
			if raw == "" {
				continue
			}
			f.value = raw
		}
		parts = append(parts, fmt.Sprintf("%q:%s", f.name, f.value))
	}
	if !replaced && raw != "" {
		parts = append(parts, fmt.Sprintf("%q:%s", field, raw))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// TestMalformedRequestsChangeNothing sends requests that must each fail with
// a specific 4xx envelope (SPEC §3.2–§3.5, §5) and checks after every one that
// no table changed.
func TestMalformedRequestsChangeNothing(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	sessionID := postSleep(t, c, sleepBody("2025-07-01", "22:00", "06:00"))
	noteID := createdID(t, c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-07-01", "body": "seed"}))
	createdID(t, c.do(t, http.MethodPost, "/api/exercise", map[string]any{"date": "2025-07-01", "intensity": "light"}))
	c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": "Europe/Paris"}).mustStatus(t, http.StatusNoContent)
	sessionPath := fmt.Sprintf("/api/sleep/%d", sessionID)
	notePath := fmt.Sprintf("/api/note/%d", noteID)

	const (
		dateMsg = "date must be a date in YYYY-MM-DD format (years 1900-2999)"
		notJSON = "request body is not valid JSON"
		notObj  = "request body must be a JSON object"
	)
	tooLong := `"` + strings.Repeat("x", 1001) + `"`
	huge := `{"date":"2025-07-02","note":"` + strings.Repeat("a", 64<<10) + `"}`
	textPlain := []string{"Content-Type", "text/plain"}
	noType := []string{"Content-Type", ""}
	form := []string{"Content-Type", "application/x-www-form-urlencoded"}

	tests := []struct {
		method, path, body string
		headers            []string
		status             int
		message            string
	}{
		// Body shape (SPEC §3.4).
		{"POST", "/api/sleep", `{"date":`, nil, 400, notJSON},
		{"POST", "/api/sleep", `{"date":"2025-07-02",}`, nil, 400, notJSON},
		{"POST", "/api/sleep", ``, nil, 400, notObj},
		{"POST", "/api/sleep", `   `, nil, 400, notObj},
		{"POST", "/api/sleep", `[]`, nil, 400, notObj},
		{"POST", "/api/sleep", `[` + validSleepJSON("", "") + `]`, nil, 400, notObj},
		{"POST", "/api/sleep", `"2025-07-02"`, nil, 400, notObj},
		{"POST", "/api/sleep", `null`, nil, 400, notObj},
		{"POST", "/api/sleep", validSleepJSON("", "") + `{}`, nil, 400, "request body must contain a single JSON object"},
		{"POST", "/api/sleep", validSleepJSON("", "") + ` x`, nil, 400, "request body must contain a single JSON object"},
		{"POST", "/api/sleep", validSleepJSON("", ""), textPlain, 415, "Content-Type must be application/json"},
		{"POST", "/api/sleep", validSleepJSON("", ""), noType, 415, "Content-Type must be application/json"},
		{"POST", "/api/exercise", `date=2025-07-02&intensity=hard`, form, 415, "Content-Type must be application/json"},
		{"POST", "/api/sleep", huge, nil, 413, "request body exceeds 64 KiB"},
		{"POST", "/api/note", huge, nil, 413, "request body exceeds 64 KiB"},
		// SleepInput fields, in order (SPEC §5.2).
		{"POST", "/api/sleep", `{}`, nil, 400, "date is required"},
		{"POST", "/api/sleep", validSleepJSON("date", `null`), nil, 400, "date is required"},
		{"POST", "/api/sleep", validSleepJSON("date", `20250702`), nil, 400, "date must be a string"},
		{"POST", "/api/sleep", validSleepJSON("date", `"2025-02-30"`), nil, 400, dateMsg},
		{"POST", "/api/sleep", validSleepJSON("date", `"1899-12-31"`), nil, 400, dateMsg},
		{"POST", "/api/sleep", validSleepJSON("date", `"2025-7-2"`), nil, 400, dateMsg},
		{"POST", "/api/sleep", validSleepJSON("date", `"2025-07-02T00:00"`), nil, 400, dateMsg},
		{"POST", "/api/sleep", validSleepJSON("date", `"２０２５-07-02"`), nil, 400, dateMsg},
		{"POST", "/api/sleep", validSleepJSON("bed_time", `"24:00"`), nil, 400, "bed_time must be a time in HH:MM or HH:MM:SS format"},
		{"POST", "/api/sleep", validSleepJSON("bed_time", ""), nil, 400, "bed_time is required"},
		{"POST", "/api/sleep", validSleepJSON("wake_time", `"7:00"`), nil, 400, "wake_time must be a time in HH:MM or HH:MM:SS format"},
		{"POST", "/api/sleep", validSleepJSON("wake_time", `"07:00:00.5"`), nil, 400, "wake_time must be a time in HH:MM or HH:MM:SS format"},
		{"POST", "/api/sleep", validSleepJSON("latency_min", `"10"`), nil, 400, "latency_min must be an integer"},
		{"POST", "/api/sleep", validSleepJSON("latency_min", `10.0`), nil, 400, "latency_min must be an integer"},
		{"POST", "/api/sleep", validSleepJSON("latency_min", `1e1`), nil, 400, "latency_min must be an integer"},
		{"POST", "/api/sleep", validSleepJSON("latency_min", `181`), nil, 400, "latency_min must be between 0 and 180"},
		{"POST", "/api/sleep", validSleepJSON("latency_min", `-1`), nil, 400, "latency_min must be between 0 and 180"},
		{"POST", "/api/sleep", validSleepJSON("latency_min", `99999999999999999999`), nil, 400, "latency_min must be between 0 and 180"},
		{"POST", "/api/sleep", validSleepJSON("awakenings", `11`), nil, 400, "awakenings must be between 0 and 10"},
		{"POST", "/api/sleep", validSleepJSON("awakenings", `[1]`), nil, 400, "awakenings must be an integer"},
		{"POST", "/api/sleep", validSleepJSON("quality", `0`), nil, 400, "quality must be between 1 and 5"},
		{"POST", "/api/sleep", validSleepJSON("quality", `true`), nil, 400, "quality must be an integer"},
		{"POST", "/api/sleep", strings.TrimSuffix(validSleepJSON("", ""), "}") + `,"quality":6}`, nil, 400, "quality must be between 1 and 5"},
		{"POST", "/api/sleep", `{"date":"2025-13-01","quality":9}`, nil, 400, dateMsg},
		{"POST", "/api/sleep", validSleepJSON("exercise_intensity", `"HARD"`), nil, 400, "exercise_intensity must be one of none, light, hard"},
		{"POST", "/api/sleep", validSleepJSON("exercise_intensity", `3`), nil, 400, "exercise_intensity must be a string"},
		{"POST", "/api/sleep", validSleepJSON("note", tooLong), nil, 400, "note must be at most 1000 characters"},
		{"POST", "/api/sleep", validSleepJSON("note", `{"text":"x"}`), nil, 400, "note must be a string"},
		// Domain rules after the fields (SPEC §5.8).
		{"POST", "/api/sleep", `{"date":"2025-07-02","bed_time":"07:00","wake_time":"07:00","latency_min":0,"awakenings":0,"quality":1,"note":"x","exercise_intensity":"hard"}`, nil, 400, "Duration must be positive"},
		{"POST", "/api/sleep", `{"date":"2025-07-01","bed_time":"05:00","wake_time":"07:00","latency_min":0,"awakenings":0,"quality":1,"note":"x","exercise_intensity":"hard"}`, nil, 400, "sleep session overlaps existing session"},
		// Path parameters (SPEC §3.5), before the body.
		{"PUT", "/api/sleep/0", validSleepJSON("", ""), nil, 400, "invalid id"},
		{"PUT", "/api/sleep/-1", validSleepJSON("", ""), nil, 400, "invalid id"},
		{"PUT", "/api/sleep/abc", `{broken`, nil, 400, "invalid id"},
		{"PUT", "/api/sleep/99999999999999999999", validSleepJSON("", ""), nil, 400, "invalid id"},
		{"PUT", "/api/sleep/1.5", validSleepJSON("", ""), nil, 400, "invalid id"},
		{"PUT", "/api/sleep/+1", validSleepJSON("", ""), nil, 400, "invalid id"},
		{"PUT", "/api/sleep/987654", validSleepJSON("", ""), nil, 404, "not found"},
		{"PUT", sessionPath, `[1]`, nil, 400, notObj},
		{"PUT", sessionPath, validSleepJSON("", ""), textPlain, 415, "Content-Type must be application/json"},
		{"GET", "/api/sleep/0", "", nil, 400, "invalid id"},
		{"GET", "/api/sleep/987654", "", nil, 404, "not found"},
		{"DELETE", "/api/sleep/abc", "", nil, 400, "invalid id"},
		{"GET", "/api/sleep/date/2025-02-30", "", nil, 400, "invalid date"},
		{"GET", "/api/sleep/date/20250701", "", nil, 400, "invalid date"},
		// Query parameters.
		{"GET", "/api/sleep/recent?days=", "", nil, 400, "days must be an integer"},
		{"GET", "/api/sleep/recent?days=1.5", "", nil, 400, "days must be an integer"},
		{"GET", "/api/sleep/recent?days=0", "", nil, 400, "days must be between 1 and 31"},
		{"GET", "/api/sleep/recent?days=32", "", nil, 400, "days must be between 1 and 31"},
		{"GET", "/api/sleep/recent?days=99999999999999999999", "", nil, 400, "days must be between 1 and 31"},
		{"GET", "/api/sleep/range?from=2025-01-01&to=2025-03-04", "", nil, 400, "range must be <= 62 days"},
		{"GET", "/api/sleep/range?from=2025-07-02&to=2025-07-01", "", nil, 400, "from must be <= to"},
		{"GET", "/api/exercise/intensity?to=2025-07-01", "", nil, 400, "from is required"},
		{"GET", "/api/note?from=x&to=y", "", nil, 400, "invalid from date"},
		// Exercise fields (SPEC §5.15).
		{"POST", "/api/exercise", `{"intensity":"hard"}`, nil, 400, "date is required"},
		{"POST", "/api/exercise", `{"date":"2025-07-02"}`, nil, 400, "intensity is required"},
		{"POST", "/api/exercise", `{"date":"2025-07-02","intensity":"medium"}`, nil, 400, "intensity must be one of none, light, hard"},
		{"POST", "/api/exercise", `{"date":"2025-07-02","intensity":"hard","start_time":"25:00"}`, nil, 400, "start_time must be a time in HH:MM or HH:MM:SS format"},
		{"POST", "/api/exercise", `{"date":"2025-07-02","intensity":"hard","duration_min":0}`, nil, 400, "duration_min must be between 1 and 1440"},
		{"POST", "/api/exercise", `{"date":"2025-07-02","intensity":"hard","duration_min":1441}`, nil, 400, "duration_min must be between 1 and 1440"},
		{"POST", "/api/exercise", `{"date":"2025-07-02","intensity":"hard","duration_min":"30"}`, nil, 400, "duration_min must be an integer"},
		// Notes (SPEC §5.17, §5.19, §5.20).
		{"POST", "/api/note", `{"date":"2025-07-02","body":` + tooLong + `}`, nil, 400, "body must be at most 1000 characters"},
		{"POST", "/api/note", `{"date":"2025-07-02","body":5}`, nil, 400, "body must be a string"},
		{"POST", "/api/note", `{"date":"2025-13-01"}`, nil, 400, dateMsg},
		{"PUT", "/api/note/abc", `{"date":"2025-07-02"}`, nil, 400, "invalid id"},
		{"PUT", "/api/note/987654", `{"date":"2025-07-02"}`, nil, 404, "not found"},
		{"PUT", notePath, `{"body":"no date"}`, nil, 400, "date is required"},
		{"DELETE", "/api/note/0", "", nil, 400, "invalid id"},
		// Time zone (SPEC §5.7).
		{"POST", "/api/settings/timezone", `{"timezone":"Local"}`, nil, 400, "invalid timezone"},
		{"POST", "/api/settings/timezone", `{"timezone":["UTC"]}`, nil, 400, "timezone must be a string"},
		{"POST", "/api/settings/timezone", `{"timezone":"UTC"}`, textPlain, 415, "Content-Type must be application/json"},
	}
	if len(tests) < 40 {
		t.Fatalf("only %d malformed cases", len(tests))
	}
	codes := map[int]string{400: "bad_request", 404: "not_found", 413: "payload_too_large", 415: "unsupported_media_type"}
	before := dumpDatabase(t, ts)
	for i, tt := range tests {
		name := fmt.Sprintf("%02d %s %s", i, tt.method, tt.path)
		var body any
		if tt.body != "" || tt.method == http.MethodPost || tt.method == http.MethodPut {
			body = tt.body
		}
		resp := c.do(t, tt.method, tt.path, body, tt.headers...)
		if resp.StatusCode != tt.status {
			t.Fatalf("%s body %.80q: status %d, want %d; response %s", name, tt.body, resp.StatusCode, tt.status, resp.Body)
		}
		e := resp.errorEnvelope(t)
		if e.Code != codes[tt.status] || e.Message != tt.message {
			t.Fatalf("%s body %.80q: error {%q, %q}, want {%q, %q}", name, tt.body, e.Code, e.Message, codes[tt.status], tt.message)
		}
		if after := dumpDatabase(t, ts); after != before {
			t.Fatalf("%s changed the database:\nbefore %s\nafter %s", name, before, after)
		}
	}
}

// TestOversizedChunkedBody: a body without Content-Length is cut off at the
// limit while it is read (SPEC §3.4).
func TestOversizedChunkedBody(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	before := dumpDatabase(t, ts)
	body := io.MultiReader(strings.NewReader(`{"date":"2025-07-02","body":"`), strings.NewReader(strings.Repeat("a", 70<<10)), strings.NewReader(`"}`))
	r := c.send(http.MethodPost, "/api/note", body)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.body), `"request body exceeds 64 KiB"`) {
		t.Fatalf("chunked oversized body: %d %s, want 413", r.status, r.body)
	}
	if after := dumpDatabase(t, ts); after != before {
		t.Fatalf("oversized body changed the database")
	}
}
