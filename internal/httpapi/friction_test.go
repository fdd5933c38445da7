package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// HTTP tests of friction telemetry and the friction backlog (SPEC §5.21,
// §5.22, §7.6).

const frictionTelemetryPath = "/api/personalization/friction-telemetry"

// wireBacklog is the friction backlog body as a client decodes it.
type wireBacklog struct {
	AsOf             string `json:"as_of"`
	WindowDays       int    `json:"window_days"`
	MinimumSampleMet bool   `json:"minimum_sample_met"`
	CurrentWindow    struct {
		From        string `json:"from"`
		To          string `json:"to"`
		SubmitCount int    `json:"submit_count"`
	} `json:"current_window"`
	PriorWindow struct {
		From        string `json:"from"`
		To          string `json:"to"`
		SubmitCount int    `json:"submit_count"`
	} `json:"prior_window"`
	Proposals []struct {
		Rank                         int     `json:"rank"`
		ActionKey                    string  `json:"action_key"`
		EstimatedMinutesSavedPerWeek float64 `json:"estimated_minutes_saved_per_week"`
	} `json:"proposals"`
}

// frictionEvent is a valid telemetry body; extra name/value pairs override
// fields, and a nil value removes the field.
func frictionEvent(extra ...any) map[string]any {
	body := map[string]any{"form_time_ms": 1000, "retry_count": 0, "immediate_edit": false, "follow_up_failure": false}
	for i := 0; i+1 < len(extra); i += 2 {
		name := extra[i].(string)
		if extra[i+1] == nil {
			delete(body, name)
			continue
		}
		body[name] = extra[i+1]
	}
	return body
}

// recordFrictionAt moves the fake clock to at and posts one event, which the
// server stamps with that time.
func recordFrictionAt(t testing.TB, ts *testServer, c *testClient, at time.Time, body any) int64 {
	t.Helper()
	setClock(ts, at)
	return createdID(t, c.do(t, http.MethodPost, frictionTelemetryPath, body))
}

func TestFrictionTelemetryCreates(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	first := createdID(t, c.do(t, http.MethodPost, frictionTelemetryPath, frictionEvent("error_kind", "save failed")))
	second := createdID(t, c.do(t, http.MethodPost, frictionTelemetryPath, frictionEvent("error_kind", nil)))
	third := createdID(t, c.do(t, http.MethodPost, frictionTelemetryPath,
		`{"form_time_ms":2147483647,"error_kind":null,"retry_count":2147483647,"immediate_edit":true,"follow_up_failure":true,"extra":1}`))
	// error_kind of exactly 100 characters after normalisation (code points,
	// not bytes), with whitespace around it that is trimmed first.
	fourth := createdID(t, c.do(t, http.MethodPost, frictionTelemetryPath,
		frictionEvent("error_kind", "  "+strings.Repeat("É", 100)+"\n")))
	if !(first < second && second < third && third < fourth) {
		t.Fatalf("ids %d %d %d %d, want increasing", first, second, third, fourth)
	}
}

func TestFrictionTelemetryValidation(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	long := strings.Repeat("x", 101)
	cases := []struct {
		name, body, message string
	}{
		{"empty body", ``, "request body must be a JSON object"},
		{"array", `[]`, "request body must be a JSON object"},
		{"truncated", `{"form_time_ms":1`, "request body is not valid JSON"},
		{"form_time_ms missing", `{"retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "form_time_ms is required"},
		{"form_time_ms null", `{"form_time_ms":null,"retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "form_time_ms is required"},
		{"form_time_ms string", `{"form_time_ms":"10","retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "form_time_ms must be an integer"},
		{"form_time_ms fraction", `{"form_time_ms":10.0,"retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "form_time_ms must be an integer"},
		{"form_time_ms negative", `{"form_time_ms":-1,"retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "form_time_ms must be >= 0"},
		{"form_time_ms too big", `{"form_time_ms":2147483648,"retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "form_time_ms must be <= 2147483647"},
		{"form_time_ms beyond int64", `{"form_time_ms":99999999999999999999,"retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "form_time_ms must be <= 2147483647"},
		{"both counts negative", `{"form_time_ms":-1,"retry_count":-1,"immediate_edit":false,"follow_up_failure":false}`, "form_time_ms must be >= 0"},
		{"form_time_ms before everything", `{"form_time_ms":-5,"error_kind":"` + long + `","retry_count":-1}`, "form_time_ms must be >= 0"},
		{"error_kind number", `{"form_time_ms":1,"error_kind":5,"retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "error_kind must be a string"},
		{"error_kind too long", `{"form_time_ms":1,"error_kind":"` + long + `","retry_count":0,"immediate_edit":false,"follow_up_failure":false}`, "error_kind must be at most 100 characters"},
		{"error_kind before retry_count", `{"form_time_ms":1,"error_kind":"` + long + `","retry_count":-1}`, "error_kind must be at most 100 characters"},
		{"retry_count missing", `{"form_time_ms":1,"immediate_edit":false,"follow_up_failure":false}`, "retry_count is required"},
		{"retry_count negative", `{"form_time_ms":1,"retry_count":-1,"immediate_edit":false,"follow_up_failure":false}`, "retry_count must be >= 0"},
		{"retry_count too big", `{"form_time_ms":1,"retry_count":2147483648,"immediate_edit":false,"follow_up_failure":false}`, "retry_count must be <= 2147483647"},
		{"retry_count before booleans", `{"form_time_ms":1,"retry_count":-1}`, "retry_count must be >= 0"},
		{"immediate_edit missing", `{"form_time_ms":1,"retry_count":0,"follow_up_failure":false}`, "immediate_edit is required"},
		{"immediate_edit string", `{"form_time_ms":1,"retry_count":0,"immediate_edit":"yes","follow_up_failure":false}`, "immediate_edit must be a boolean"},
		{"immediate_edit before follow_up_failure", `{"form_time_ms":1,"retry_count":0,"immediate_edit":0}`, "immediate_edit must be a boolean"},
		{"follow_up_failure null", `{"form_time_ms":1,"retry_count":0,"immediate_edit":true,"follow_up_failure":null}`, "follow_up_failure is required"},
		{"follow_up_failure number", `{"form_time_ms":1,"retry_count":0,"immediate_edit":true,"follow_up_failure":1}`, "follow_up_failure must be a boolean"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mustError(t, c.do(t, http.MethodPost, frictionTelemetryPath, tc.body), http.StatusBadRequest, "bad_request", tc.message)
		})
	}
	// Nothing was stored.
	var backlog wireBacklog
	getOK(t, c, "/api/personalization/friction-backlog?to=2025-06-20").JSON(t, &backlog)
	if backlog.CurrentWindow.SubmitCount != 0 || backlog.PriorWindow.SubmitCount != 0 {
		t.Fatalf("rejected events were stored: %+v", backlog)
	}
}

func TestFrictionBacklogParameterErrors(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	cases := []struct{ query, message string }{
		// to is checked before window_days (SPEC §5.22).
		{"to=bad&window_days=abc", "invalid to date"},
		{"to=&window_days=0", "invalid to date"},
		{"to=2025-02-29", "invalid to date"},
		{"window_days=abc", "window_days must be an integer"},
		{"to=2025-06-01&window_days=", "window_days must be an integer"},
		{"to=2025-06-01&window_days=0", "window_days must be between 1 and 365"},
		{"window_days=366", "window_days must be between 1 and 365"},
		{"to=2025-06-01&window_days=365", ""},
		{"to=2025-06-01&window_days=1", ""},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			resp := c.do(t, http.MethodGet, "/api/personalization/friction-backlog?"+tc.query, nil)
			if tc.message == "" {
				resp.mustStatus(t, http.StatusOK)
				return
			}
			mustError(t, resp, http.StatusBadRequest, "bad_request", tc.message)
		})
	}
}

func TestFrictionBacklogEmptyDatabase(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	// Default to = 2025-06-20 (the fake clock), window 28 days.
	want := `{"as_of":"2025-06-20","window_days":28,"minimum_sample_met":false,
		"current_window":{"from":"2025-05-24","to":"2025-06-20","submit_count":0},
		"prior_window":{"from":"2025-04-26","to":"2025-05-23","submit_count":0},
		"proposals":[]}`
	for _, query := range []string{"", "?window_days=28", "?to=2025-06-20&window_days=28"} {
		assertJSONEqual(t, getOK(t, c, "/api/personalization/friction-backlog"+query).Body, want)
	}
}

// TestFrictionBacklogWindowsAndNormalisation records events at chosen server
// times and checks the backlog of window_days=7&to=2025-07-04: current
// window 06-28…07-04, prior 06-21…06-27 (UTC, inclusive to the second).
func TestFrictionBacklogWindowsAndNormalisation(t *testing.T) {
	ts := newTestServer(t, withYearLongSessions)
	c := ts.login(t)
	at := func(month time.Month, day, hour, minute, second, nanos int) time.Time {
		return time.Date(2025, month, day, hour, minute, second, nanos, time.UTC)
	}
	record := func(when time.Time, body map[string]any) { recordFrictionAt(t, ts, c, when, body) }

	// Before the prior window (the clock starts at 06-20 08:00).
	record(at(6, 20, 8, 0, 0, 0), frictionEvent("error_kind", "save failed", "form_time_ms", 1000))
	record(at(6, 20, 23, 59, 59, 0), frictionEvent("error_kind", "save failed", "form_time_ms", 1000))
	// Prior window: "save failed" twice (forms 30000 and 10000, retries 2
	// and 0, one follow-up failure), "timeout" once, one event without a kind.
	record(at(6, 21, 0, 0, 0, 0), frictionEvent("error_kind", " Save Failed ", "form_time_ms", 30000, "retry_count", 2, "follow_up_failure", true))
	record(at(6, 24, 12, 0, 0, 0), frictionEvent("error_kind", "save failed", "form_time_ms", 10000))
	record(at(6, 24, 12, 0, 0, 0), frictionEvent("error_kind", "timeout", "form_time_ms", 5000, "retry_count", 1))
	record(at(6, 27, 23, 59, 59, 0), frictionEvent("error_kind", nil))
	// Current window: "save failed" three times (forms 90000, 60000, 30000;
	// retries 3, 2, 1; two follow-up failures), "échec réseau" once, two
	// events without a kind (a blank kind is stored as null). The last one
	// is at 23:59:59.999, stored as 23:59:59: still current.
	record(at(6, 28, 0, 0, 0, 0), frictionEvent("error_kind", "SAVE FAILED", "form_time_ms", 90000, "retry_count", 3, "follow_up_failure", true))
	record(at(7, 1, 10, 0, 0, 0), frictionEvent("error_kind", "save failed\t", "form_time_ms", 60000, "retry_count", 2, "follow_up_failure", true))
	record(at(7, 1, 10, 0, 0, 900_000_000), frictionEvent("error_kind", "Save failed", "form_time_ms", 30000, "retry_count", 1, "immediate_edit", true))
	record(at(7, 2, 9, 0, 0, 0), frictionEvent("error_kind", "\u2003Échec Réseau\u00a0", "form_time_ms", 600000))
	record(at(7, 2, 9, 0, 0, 0), frictionEvent("error_kind", "   ", "form_time_ms", 5000))
	record(at(7, 4, 23, 59, 59, 999_999_999), frictionEvent("form_time_ms", 4000))
	// After the current window.
	record(at(7, 5, 0, 0, 0, 0), frictionEvent("error_kind", "save failed", "form_time_ms", 1000))

	resp := getOK(t, c, "/api/personalization/friction-backlog?window_days=7&to=2025-07-04")
	var body map[string]any
	resp.JSON(t, &body)
	// The estimates are products of quotients; compare them with a tolerance
	// and the rest of the body exactly.
	//   "save failed": current avg form 60000, retry avg 6/3 = 2, failure
	//   rate 2/3; prior avg form 20000, retry avg 2/2 = 1, rate 1/2.
	//   Δform = 40000/60000 min, Δretry = 1, Δfail = 1/6; 3 events a week:
	//   3 × ((2/3 + 0.75) + 0.25) = 5.
	//   "échec réseau": 1 event a week × 600000/60000 min = 10, so it ranks
	//   first although "save failed" comes first by occurrences.
	estimates := []float64{10, 5}
	proposals := body["proposals"].([]any)
	if len(proposals) != len(estimates) {
		t.Fatalf("proposals %s", resp.Body)
	}
	for i, p := range proposals {
		proposal := p.(map[string]any)
		if got := proposal["estimated_minutes_saved_per_week"].(float64); !closeTo(got, estimates[i]) {
			t.Errorf("proposal %d estimate %v, want %v", i+1, got, estimates[i])
		}
		delete(proposal, "estimated_minutes_saved_per_week")
	}
	rest, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, rest, `{"as_of":"2025-07-04","window_days":7,"minimum_sample_met":false,
		"current_window":{"from":"2025-06-28","to":"2025-07-04","submit_count":6},
		"prior_window":{"from":"2025-06-21","to":"2025-06-27","submit_count":4},
		"proposals":[
			{"rank":1,"action_key":"friction_reduction_échec_réseau",
			 "observed_evidence":{"current_occurrences":1,"prior_occurrences":0,
				"current_submit_count":6,"prior_submit_count":4,
				"current_avg_form_time_ms":600000,"prior_avg_form_time_ms":0,
				"current_retry_avg":0,"prior_retry_avg":0,
				"current_follow_up_failure_rate":0,"prior_follow_up_failure_rate":0},
			 "expected_benefit":"Reduce repeated 'échec réseau' friction by lowering retries and form time variance",
			 "confidence":"low","persistence_two_windows":false,
			 "rollback_condition":"Downgrade if pattern no longer persists for two windows or confidence falls below medium",
			 "auto_promoted":false},
			{"rank":2,"action_key":"friction_reduction_save_failed",
			 "observed_evidence":{"current_occurrences":3,"prior_occurrences":2,
				"current_submit_count":6,"prior_submit_count":4,
				"current_avg_form_time_ms":60000,"prior_avg_form_time_ms":20000,
				"current_retry_avg":2,"prior_retry_avg":1,
				"current_follow_up_failure_rate":0.6666666666666666,"prior_follow_up_failure_rate":0.5},
			 "expected_benefit":"Reduce repeated 'save failed' friction by lowering retries and form time variance",
			 "confidence":"low","persistence_two_windows":true,
			 "rollback_condition":"Downgrade if pattern no longer persists for two windows or confidence falls below medium",
			 "auto_promoted":false}]}`)

	// One week earlier the windows move: current 06-21…06-27 holds the
	// four prior events above, prior 06-14…06-20 the two early ones.
	//   "save failed": current avg form 20000, retry avg 1, rate 1/2; prior
	//   avg form 1000, retries 0, rate 0 → 2 × ((19000/60000 + 0.75) + 0.75).
	//   "timeout": 1 × (5000/60000 + 0.75).
	var earlier wireBacklog
	getOK(t, c, "/api/personalization/friction-backlog?to=2025-06-27&window_days=7").JSON(t, &earlier)
	if earlier.CurrentWindow.SubmitCount != 4 || earlier.PriorWindow.SubmitCount != 2 || len(earlier.Proposals) != 2 {
		t.Fatalf("earlier backlog %+v", earlier)
	}
	wantEarlier := []struct {
		key      string
		estimate float64
	}{
		{"friction_reduction_save_failed", 2 * ((19000.0/60000 + 0.75) + 0.75)},
		{"friction_reduction_timeout", 5000.0/60000 + 0.75},
	}
	for i, want := range wantEarlier {
		got := earlier.Proposals[i]
		if got.Rank != i+1 || got.ActionKey != want.key || !closeTo(got.EstimatedMinutesSavedPerWeek, want.estimate) {
			t.Errorf("earlier proposal %d = %+v, want %s %v", i+1, got, want.key, want.estimate)
		}
	}
}
