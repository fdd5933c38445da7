package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/config"
)

// HTTP tests of the trends and personalization routes (SPEC §5.21–§5.25,
// §7). Data is seeded through the API only; every expected number below is
// worked out by hand in the comments next to it.

// getOK sends GET path and requires a 200 JSON response.
func getOK(t testing.TB, c *testClient, path string) *testResponse {
	t.Helper()
	resp := c.do(t, http.MethodGet, path, nil).mustStatus(t, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("GET %s: Content-Type %q, want application/json", path, ct)
	}
	return resp
}

// assertJSONEqual compares a JSON body with the wanted JSON text as values:
// key order and spacing do not matter, but a missing key, a null where [] is
// wanted (or the reverse) and any different number do.
func assertJSONEqual(t testing.TB, got []byte, want string) {
	t.Helper()
	var gotValue, wantValue any
	if err := json.Unmarshal(got, &gotValue); err != nil {
		t.Fatalf("decode body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &wantValue); err != nil {
		t.Fatalf("bad expectation %q: %v", want, err)
	}
	if !reflect.DeepEqual(gotValue, wantValue) {
		t.Fatalf("body\n%s\nwant\n%s", got, compactJSON(t, want))
	}
}

func compactJSON(t testing.TB, text string) string {
	var out bytes.Buffer
	if err := json.Compact(&out, []byte(text)); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// assertSameKeys fails unless every object in got has exactly the keys of
// the object at the same place in template, recursively. Array elements of
// got are compared with the template's first element (not at all when the
// template array is empty). Values themselves are not compared, so a
// populated response can be checked against the shape of an empty one.
func assertSameKeys(t testing.TB, where string, got, template any) {
	t.Helper()
	switch tmpl := template.(type) {
	case map[string]any:
		object, ok := got.(map[string]any)
		if !ok {
			t.Fatalf("%s: got %T, want an object", where, got)
		}
		gotKeys := slices.Sorted(maps.Keys(object))
		wantKeys := slices.Sorted(maps.Keys(tmpl))
		if !slices.Equal(gotKeys, wantKeys) {
			t.Fatalf("%s: keys %v, want %v", where, gotKeys, wantKeys)
		}
		for _, k := range wantKeys {
			assertSameKeys(t, where+"."+k, object[k], tmpl[k])
		}
	case []any:
		list, ok := got.([]any)
		if !ok {
			t.Fatalf("%s: got %T (%v), want an array", where, got, got)
		}
		if len(tmpl) == 0 {
			return
		}
		for i, item := range list {
			assertSameKeys(t, fmt.Sprintf("%s[%d]", where, i), item, tmpl[0])
		}
	}
}

// switchUserTimezone stores the user timezone through the API.
func switchUserTimezone(t testing.TB, c *testClient, name string) {
	t.Helper()
	c.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": name}).
		mustStatus(t, http.StatusNoContent)
}

// withYearLongSessions keeps one login valid while a test moves the fake
// clock forward by weeks.
func withYearLongSessions(cfg *config.Config) { cfg.SessionTTLHours = 8760 }

// setClock moves the shared fake clock to at.
func setClock(ts *testServer, at time.Time) { ts.Clock.Advance(at.Sub(ts.Clock.Now())) }

// closeTo reports whether two computed minutes agree within floating-point
// noise (SPEC §7.4.2: clock medians are computed in floating point).
func closeTo(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want)) }

// The five trend routes, each with a bad parameter or body that must not be
// looked at before the session check (SPEC §3.3).
var trendRoutes = []struct {
	method, path string
	body         any
}{
	{http.MethodGet, "/api/trends/sleep-bars?from=bad", nil},
	{http.MethodGet, "/api/trends/summary", nil},
	{http.MethodGet, "/api/trends/personalization?window_days=bad", nil},
	{http.MethodPost, "/api/personalization/friction-telemetry", `{"form_time_ms":-1}`},
	{http.MethodGet, "/api/personalization/friction-backlog?to=bad", nil},
}

func TestTrendsRequireSession(t *testing.T) {
	ts := newTestServer(t)
	anonymous := ts.anonymous()
	for _, route := range trendRoutes {
		t.Run(route.method+" "+route.path, func(t *testing.T) {
			mustError(t, anonymous.do(t, route.method, route.path, route.body),
				http.StatusUnauthorized, "unauthorized", "authentication required")
		})
	}
}

// TestTrendsRouteMethods: reads answer HEAD; other methods are 405 with
// Allow, decided before the session check (SPEC §3.1, §3.3).
func TestTrendsRouteMethods(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	head := c.do(t, http.MethodHead, "/api/trends/summary?from=2025-06-01&to=2025-06-30", nil).mustStatus(t, http.StatusOK)
	if len(head.Body) != 0 || head.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("HEAD: Content-Type %q, body %q", head.Header.Get("Content-Type"), head.Body)
	}
	for _, client := range []*testClient{c, ts.anonymous()} {
		for path, allow := range map[string]string{
			"/api/trends/sleep-bars":                  "GET, HEAD",
			"/api/trends/summary":                     "GET, HEAD",
			"/api/trends/personalization":             "GET, HEAD",
			"/api/personalization/friction-backlog":   "GET, HEAD",
			"/api/personalization/friction-telemetry": "POST",
		} {
			method := http.MethodPost
			if allow == "POST" {
				method = http.MethodGet
			}
			resp := client.do(t, method, path, nil)
			mustError(t, resp, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed")
			if got := resp.Header.Get("Allow"); got != allow {
				t.Errorf("%s %s: Allow %q, want %q", method, path, got, allow)
			}
		}
	}
}

func TestFrictionTelemetryRequiresCSRF(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	valid := `{"form_time_ms":1,"retry_count":0,"immediate_edit":false,"follow_up_failure":false}`
	for name, token := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		t.Run(name, func(t *testing.T) {
			resp := c.do(t, http.MethodPost, "/api/personalization/friction-telemetry", valid, "X-CSRF-Token", token)
			mustError(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed")
			if detail := resp.errorEnvelope(t).Detail; !strings.HasPrefix(detail, "csrf: ") {
				t.Errorf("detail %q, want csrf: <reason>", detail)
			}
			// An invalid body does not change the answer (SPEC §3.3).
			resp = c.do(t, http.MethodPost, "/api/personalization/friction-telemetry", `{"form_time_ms":-1}`, "X-CSRF-Token", token)
			mustError(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed")
		})
	}
	var backlog wireBacklog
	getOK(t, c, "/api/personalization/friction-backlog?to=2025-06-20").JSON(t, &backlog)
	if backlog.CurrentWindow.SubmitCount != 0 {
		t.Fatalf("refused requests stored %d events", backlog.CurrentWindow.SubmitCount)
	}
}

func TestSleepBarsSpecExample(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	empty := getOK(t, c, "/api/trends/sleep-bars?from=2025-06-16&to=2025-06-19")
	if got := string(bytes.TrimSpace(empty.Body)); got != "[]" {
		t.Fatalf("empty sleep bars %s, want []", got)
	}

	// SPEC §7.1: Asia/Tokyo, 23:05 → 06:15 is 430 minutes, 00:30 → 07:00 is 390.
	switchUserTimezone(t, c, "Asia/Tokyo")
	postSleep(t, c, sleepBody("2025-06-17", "23:05", "06:15", "quality", 4))
	postSleep(t, c, sleepBody("2025-06-18", "00:30", "07:00", "quality", 3))
	// Outside [from, to] on both sides: not listed.
	postSleep(t, c, sleepBody("2025-06-15", "23:00", "07:00"))
	postSleep(t, c, sleepBody("2025-06-20", "23:00", "07:00"))

	resp := getOK(t, c, "/api/trends/sleep-bars?from=2025-06-16&to=2025-06-19")
	want := `[{"date":"2025-06-17","bed_time":"23:05:00","wake_time":"06:15:00","quality":4,"duration_min":430},` +
		`{"date":"2025-06-18","bed_time":"00:30:00","wake_time":"07:00:00","quality":3,"duration_min":390}]`
	if got := string(bytes.TrimSpace(resp.Body)); got != want {
		t.Fatalf("sleep bars\n%s\nwant\n%s", got, want)
	}
}

func TestSleepBarsUseDailyRows(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	// SPEC §6.4 example: a night and a nap of one wake date make one bar with
	// the earliest bed, the latest wake, the summed duration and the
	// truncated mean quality (3 and 5 → 4). The nap is posted first so the
	// bar cannot simply be the first session.
	postSleep(t, c, sleepBody("2025-06-15", "13:00", "14:00", "quality", 5))
	postSleep(t, c, sleepBody("2025-06-15", "22:00", "06:00", "quality", 3))
	postSleep(t, c, sleepBody("2025-06-16", "23:30", "06:30", "quality", 2))
	resp := getOK(t, c, "/api/trends/sleep-bars?from=2025-06-15&to=2025-06-16")
	assertJSONEqual(t, resp.Body, `[
		{"date":"2025-06-15","bed_time":"22:00:00","wake_time":"14:00:00","quality":4,"duration_min":540},
		{"date":"2025-06-16","bed_time":"23:30:00","wake_time":"06:30:00","quality":2,"duration_min":420}]`)
}

func TestSummaryEmptyShape(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	for _, bucket := range []string{"", "&bucket=day", "&bucket=week"} {
		resp := getOK(t, c, "/api/trends/summary?from=2025-06-01&to=2025-06-30"+bucket)
		assertJSONEqual(t, resp.Body, `{"duration_by_bucket":[],"quality_by_bucket":[],"latency_by_bucket":[]}`)
	}
}

func TestSummaryDayAndWeekBuckets(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	night := func(date, bed, wake string, quality, latency int) {
		postSleep(t, c, sleepBody(date, bed, wake, "quality", quality, "latency_min", latency))
	}
	night("2025-06-13", "23:00", "07:00", 1, 60) // before from: ignored
	night("2025-06-14", "00:30", "08:00", 5, 3)  // Sat, 2025-W24: 450 min
	night("2025-06-15", "22:00", "06:00", 3, 10) // Sun, 2025-W24: 480 min …
	night("2025-06-15", "13:00", "14:00", 5, 20) // … plus a 60 min nap: 540, quality 4, latency 15
	night("2025-06-16", "23:00", "06:30", 2, 5)  // Mon, 2025-W25: 450
	night("2025-06-17", "00:15", "07:00", 5, 30) // 405
	night("2025-06-19", "22:45", "07:00", 4, 12) // 495
	night("2025-06-20", "23:00", "07:00", 3, 20) // 480
	night("2025-06-23", "23:00", "07:00", 1, 60) // after to: ignored
	const query = "/api/trends/summary?from=2025-06-14&to=2025-06-20"

	// Day buckets: each row on its own; the nap day uses its daily row.
	day := getOK(t, c, query+"&bucket=day")
	assertJSONEqual(t, day.Body, `{
		"duration_by_bucket":[
			{"bucket":"2025-06-14","avg_min":450,"min_min":450,"max_min":450},
			{"bucket":"2025-06-15","avg_min":540,"min_min":540,"max_min":540},
			{"bucket":"2025-06-16","avg_min":450,"min_min":450,"max_min":450},
			{"bucket":"2025-06-17","avg_min":405,"min_min":405,"max_min":405},
			{"bucket":"2025-06-19","avg_min":495,"min_min":495,"max_min":495},
			{"bucket":"2025-06-20","avg_min":480,"min_min":480,"max_min":480}],
		"quality_by_bucket":[
			{"bucket":"2025-06-14","avg":5},{"bucket":"2025-06-15","avg":4},{"bucket":"2025-06-16","avg":2},
			{"bucket":"2025-06-17","avg":5},{"bucket":"2025-06-19","avg":4},{"bucket":"2025-06-20","avg":3}],
		"latency_by_bucket":[
			{"bucket":"2025-06-14","median":3},{"bucket":"2025-06-15","median":15},{"bucket":"2025-06-16","median":5},
			{"bucket":"2025-06-17","median":30},{"bucket":"2025-06-19","median":12},{"bucket":"2025-06-20","median":20}]}`)
	// The default bucket is day.
	assertJSONEqual(t, getOK(t, c, query).Body, string(day.Body))

	// Week buckets (ISO weeks):
	//   2025-W24 = 06-14, 06-15: durations 450, 540 → avg 495, min 450, max 540;
	//     qualities 5, 4 → 4.5; latencies 3, 15 → median 9.
	//   2025-W25 = 06-16, 06-17, 06-19, 06-20: durations 450, 405, 495, 480 →
	//     1830/4 = 457.5, min 405, max 495; qualities 2, 5, 4, 3 → 14/4 = 3.5;
	//     latencies 5, 30, 12, 20 → sorted 5, 12, 20, 30 → (12+20)/2 = 16.
	week := getOK(t, c, query+"&bucket=week")
	assertJSONEqual(t, week.Body, `{
		"duration_by_bucket":[
			{"bucket":"2025-W24","avg_min":495,"min_min":450,"max_min":540},
			{"bucket":"2025-W25","avg_min":457.5,"min_min":405,"max_min":495}],
		"quality_by_bucket":[{"bucket":"2025-W24","avg":4.5},{"bucket":"2025-W25","avg":3.5}],
		"latency_by_bucket":[{"bucket":"2025-W24","median":9},{"bucket":"2025-W25","median":16}]}`)

	// A three-row week: mean quality 11/3 is sent unrounded; odd median.
	weekThree := getOK(t, c, "/api/trends/summary?from=2025-06-16&to=2025-06-19&bucket=week")
	var three struct {
		Duration []struct {
			AvgMin float64 `json:"avg_min"`
		} `json:"duration_by_bucket"`
		Quality []struct{ Avg float64 }    `json:"quality_by_bucket"`
		Latency []struct{ Median float64 } `json:"latency_by_bucket"`
	}
	weekThree.JSON(t, &three)
	// 450+405+495 = 1350 → 450; qualities 2+5+4 = 11 → 11/3; latencies 5, 30, 12 → 12.
	if len(three.Duration) != 1 || three.Duration[0].AvgMin != 450 ||
		three.Quality[0].Avg != 11.0/3 || three.Latency[0].Median != 12 {
		t.Fatalf("three-row week %s", weekThree.Body)
	}
}

func TestSummaryBucketErrors(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	const base = "/api/trends/summary?from=2025-06-01&to=2025-06-30"
	for _, bucket := range []string{"Week", "", "DAY", "month", "week%20", "day,week"} {
		t.Run(bucket, func(t *testing.T) {
			mustError(t, c.do(t, http.MethodGet, base+"&bucket="+bucket, nil),
				http.StatusBadRequest, "bad_request", "bucket must be day or week")
		})
	}
	// The first occurrence of a repeated parameter is used.
	getOK(t, c, base+"&bucket=week&bucket=bad")
	mustError(t, c.do(t, http.MethodGet, base+"&bucket=bad&bucket=week", nil),
		http.StatusBadRequest, "bad_request", "bucket must be day or week")
	// The range is checked before the bucket.
	mustError(t, c.do(t, http.MethodGet, "/api/trends/summary?from=2025-06-02&to=2025-06-01&bucket=Week", nil),
		http.StatusBadRequest, "bad_request", "to must be >= from")
}

func TestTrendsRangeParameterErrors(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	cases := []struct {
		query   string
		message string // "" means 200
	}{
		{"", "from is required"},
		{"to=bad", "from is required"},
		{"from=bad&to=bad", "invalid from date"},
		{"from=&to=2025-06-01", "invalid from date"},
		{"from=2025-6-1&to=2025-06-01", "invalid from date"},
		{"from=1899-12-31&to=2025-06-01", "invalid from date"},
		{"from=2025-06-01", "to is required"},
		{"from=2025-06-01&to=", "invalid to date"},
		{"from=2025-06-01&to=2025-02-30", "invalid to date"},
		{"from=2025-06-02&to=2025-06-01T00:00", "invalid to date"},
		{"from=2025-06-02&to=2025-06-01", "to must be >= from"},
		{"from=2025-06-01&to=2025-06-01", ""},
		{"from=2015-01-01&to=2025-01-07", ""}, // 3660 days inclusive
		{"from=2015-01-01&to=2025-01-08", "range must be <= 3660 days"},
		{"from=2025-06-01&from=bad&to=2025-06-02", ""}, // first occurrence wins
	}
	for _, route := range []string{"/api/trends/sleep-bars", "/api/trends/summary"} {
		for _, tc := range cases {
			t.Run(route+"?"+tc.query, func(t *testing.T) {
				resp := c.do(t, http.MethodGet, route+"?"+tc.query, nil)
				if tc.message == "" {
					resp.mustStatus(t, http.StatusOK)
					return
				}
				mustError(t, resp, http.StatusBadRequest, "bad_request", tc.message)
			})
		}
	}
}

func TestPersonalizationParameterErrors(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	cases := []struct{ query, message string }{
		// window_days is checked before to (SPEC §5.25).
		{"window_days=abc&to=bad", "window_days must be an integer"},
		{"window_days=&to=2025-06-01", "window_days must be an integer"},
		{"window_days=1.5", "window_days must be an integer"},
		{"window_days=0&to=bad", "window_days must be between 1 and 365"},
		{"window_days=366", "window_days must be between 1 and 365"},
		{"window_days=-1", "window_days must be between 1 and 365"},
		{"window_days=99999999999999999999", "window_days must be between 1 and 365"},
		{"window_days=28&to=bad", "invalid to date"},
		{"to=", "invalid to date"},
		{"to=2025-02-30", "invalid to date"},
		{"to=3000-01-01", "invalid to date"},
		{"window_days=1&to=2025-06-01", ""},
		{"window_days=365&to=2025-06-01", ""},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			resp := c.do(t, http.MethodGet, "/api/trends/personalization?"+tc.query, nil)
			if tc.message == "" {
				resp.mustStatus(t, http.StatusOK)
				return
			}
			mustError(t, resp, http.StatusBadRequest, "bad_request", tc.message)
		})
	}
}

// emptyPersonalization is the whole body for a database without sessions on
// 2025-06-20 (the fake clock's day) with the default window of 28 days:
// current window 2025-05-24…2025-06-20, prior 2025-04-26…2025-05-23.
const emptyPersonalization = `{
	"as_of":"2025-06-20","window_days":28,
	"current_window":{"from":"2025-05-24","to":"2025-06-20","logged_days":0,"missing_days":28,"missing_days_pct":100},
	"prior_window":{"from":"2025-04-26","to":"2025-05-23","logged_days":0,"missing_days":28,"missing_days_pct":100},
	"metrics":{
		"duration_baseline":{"eligible":false,"sample_days":0,"p10_min":null,"p50_min":null,"p90_min":null,
			"iqr_min":null,"recent_out_of_range_incidence_pct":null},
		"day_type_timing_baseline":{"eligible":false,"weekday_sample_days":0,"weekend_sample_days":0,
			"weekday_bed_median_min":null,"weekday_wake_median_min":null,
			"weekend_bed_median_min":null,"weekend_wake_median_min":null,
			"midpoint_stable_across_windows":false,"recent_14_day_diverges_from_baseline":false},
		"social_jetlag":{"eligible":false,"weekend_sample_days":0,"current_delta_min":null,
			"prior_delta_min":null,"sustained_two_windows":false},
		"schedule_variability":{"eligible":false,"current_variability_min":null,"prior_variability_min":null,
			"sustained_two_windows":false,"high_data_gap":true},
		"quality_factor_ranking":{"eligible":false,"sessions_with_quality":0,"distinct_quality_values":0,
			"stable_across_adjacent_windows":false,"ranked_factors":[]}},
	"recommendations":[
		{"action_key":"personal_duration_warning_tuning","status":"suppressed","confidence":"low",
		 "rationale":"Replace static unusual-duration warning with personal duration tails",
		 "suppression_reasons":["needs at least 60 baseline sessions in prior window",
			"recent out-of-range incidence is below 5% trigger",
			"schedule disruption guardrail unavailable from current data (travel/shift period not inferred)"]},
		{"action_key":"day_type_default_prefill","status":"suppressed","confidence":"low",
		 "rationale":"Offer weekday/weekend usual-time defaults when day-type baselines are stable",
		 "suppression_reasons":["requires >=8 weekday and >=4 weekend sessions in current window",
			"day-type midpoint medians are not stable across adjacent windows"]},
		{"action_key":"social_jetlag_schedule_shift_insight","status":"suppressed","confidence":"low",
		 "rationale":"Show weekend-vs-weekday midpoint shift insight when phase shift persists",
		 "suppression_reasons":["weekend sample too small (<4 sessions)",
			"prior window weekend sample too small (<4 sessions)",
			"social jetlag delta is not >=30 min for two consecutive windows"]},
		{"action_key":"regularity_insight_priority","status":"suppressed","confidence":"low",
		 "rationale":"Prioritize regularity insight when timing dispersion is persistently high",
		 "suppression_reasons":["schedule variability is not >=60 minutes across two windows",
			"data gaps exceed 30% of current window"]},
		{"action_key":"quality_aligned_factor_explanation","status":"suppressed","confidence":"low",
		 "rationale":"Surface top associated factors for higher-quality nights using directional language",
		 "suppression_reasons":["requires at least 40 sessions with quality",
			"requires at least 3 distinct quality values",
			"factor effects are not stable across adjacent windows"]}]}`

func TestPersonalizationEmptyDatabase(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	for _, query := range []string{"", "?window_days=28", "?to=2025-06-20", "?window_days=28&to=2025-06-20"} {
		assertJSONEqual(t, getOK(t, c, "/api/trends/personalization"+query).Body, emptyPersonalization)
	}
}

func TestPersonalizationWindowDates(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	cases := []struct {
		query                                string
		asOf, curFrom, curTo, priFrom, priTo string
		days                                 int
	}{
		// SPEC §7.5.7 example.
		{"window_days=28&to=2025-06-28", "2025-06-28", "2025-06-01", "2025-06-28", "2025-05-04", "2025-05-31", 28},
		{"to=2025-06-28", "2025-06-28", "2025-06-01", "2025-06-28", "2025-05-04", "2025-05-31", 28},
		{"window_days=1&to=2025-03-01", "2025-03-01", "2025-03-01", "2025-03-01", "2025-02-28", "2025-02-28", 1},
		{"window_days=7&to=2024-03-01", "2024-03-01", "2024-02-24", "2024-03-01", "2024-02-17", "2024-02-23", 7},
		{"window_days=365&to=2025-01-01", "2025-01-01", "2024-01-03", "2025-01-01", "2023-01-03", "2024-01-02", 365},
		{"window_days=007&to=2025-06-28", "2025-06-28", "2025-06-22", "2025-06-28", "2025-06-15", "2025-06-21", 7},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			var body wirePersonalization
			getOK(t, c, "/api/trends/personalization?"+tc.query).JSON(t, &body)
			got := []string{body.AsOf, body.CurrentWindow.From, body.CurrentWindow.To, body.PriorWindow.From, body.PriorWindow.To}
			want := []string{tc.asOf, tc.curFrom, tc.curTo, tc.priFrom, tc.priTo}
			if !slices.Equal(got, want) || body.WindowDays != tc.days {
				t.Fatalf("as_of, windows %v, days %d; want %v, %d", got, body.WindowDays, want, tc.days)
			}
			if body.CurrentWindow.MissingDays != tc.days || body.PriorWindow.MissingDays != tc.days {
				t.Fatalf("missing days %d/%d, want %d", body.CurrentWindow.MissingDays, body.PriorWindow.MissingDays, tc.days)
			}
		})
	}
}

// TestTrendsDefaultToIsTodayInUserTimezone checks the default `to` of
// personalization and the friction backlog (SPEC §5.22, §5.25, §6.7).
func TestTrendsDefaultToIsTodayInUserTimezone(t *testing.T) {
	lateEvening := time.Date(2025, 6, 20, 23, 30, 0, 0, time.UTC)
	type step struct {
		name    string
		stored  string // user timezone to store first; "" stores nothing
		clockAt time.Time
		want    string
	}
	// Steps run in order on one server per APP_TZ: a stored zone cannot be
	// removed again through the API.
	servers := []struct {
		appTZ string // "" keeps the default UTC
		steps []step
	}{
		{"", []step{
			{"no stored zone, APP_TZ UTC", "", lateEvening, "2025-06-20"},
			{"stored UTC", "UTC", lateEvening, "2025-06-20"},
			{"Tokyo is already tomorrow", "Asia/Tokyo", lateEvening, "2025-06-21"},
			{"New York is still yesterday", "America/New_York", time.Date(2025, 6, 21, 3, 0, 0, 0, time.UTC), "2025-06-20"},
		}},
		{"Asia/Tokyo", []step{
			{"Tokyo from APP_TZ", "", lateEvening, "2025-06-21"},
			{"stored zone beats APP_TZ", "UTC", lateEvening, "2025-06-20"},
		}},
	}
	for _, server := range servers {
		options := []func(*config.Config){withYearLongSessions}
		if server.appTZ != "" {
			options = append(options, withAppTZ(server.appTZ))
		}
		ts := newTestServer(t, options...)
		c := ts.login(t)
		for _, st := range server.steps {
			t.Run(st.name, func(t *testing.T) {
				if st.stored != "" {
					switchUserTimezone(t, c, st.stored)
				}
				setClock(ts, st.clockAt)
				var personalization wirePersonalization
				getOK(t, c, "/api/trends/personalization").JSON(t, &personalization)
				var backlog wireBacklog
				getOK(t, c, "/api/personalization/friction-backlog").JSON(t, &backlog)
				for route, got := range map[string][2]string{
					"personalization":  {personalization.AsOf, personalization.CurrentWindow.To},
					"friction backlog": {backlog.AsOf, backlog.CurrentWindow.To},
				} {
					if got != [2]string{st.want, st.want} {
						t.Errorf("%s as_of, current_window.to = %v, want %s", route, got, st.want)
					}
				}
				if personalization.WindowDays != 28 || backlog.WindowDays != 28 {
					t.Errorf("default window_days %d/%d, want 28", personalization.WindowDays, backlog.WindowDays)
				}
				// An explicit `to` wins over the clock.
				getOK(t, c, "/api/trends/personalization?to=2024-02-29").JSON(t, &personalization)
				getOK(t, c, "/api/personalization/friction-backlog?to=2024-02-29").JSON(t, &backlog)
				if personalization.AsOf != "2024-02-29" || backlog.AsOf != "2024-02-29" {
					t.Errorf("explicit to: as_of %s / %s", personalization.AsOf, backlog.AsOf)
				}
			})
		}
	}
}

// wirePersonalization is the personalization body as a client decodes it;
// nullable numbers are pointers so a null is told apart from 0.
type wirePersonalization struct {
	AsOf          string       `json:"as_of"`
	WindowDays    int          `json:"window_days"`
	CurrentWindow wireCoverage `json:"current_window"`
	PriorWindow   wireCoverage `json:"prior_window"`
	Metrics       struct {
		DurationBaseline struct {
			Eligible   bool     `json:"eligible"`
			SampleDays int      `json:"sample_days"`
			P10        *float64 `json:"p10_min"`
			P50        *float64 `json:"p50_min"`
			P90        *float64 `json:"p90_min"`
			IQR        *float64 `json:"iqr_min"`
			Incidence  *float64 `json:"recent_out_of_range_incidence_pct"`
		} `json:"duration_baseline"`
		DayType struct {
			Eligible       bool     `json:"eligible"`
			WeekdayDays    int      `json:"weekday_sample_days"`
			WeekendDays    int      `json:"weekend_sample_days"`
			WeekdayBed     *float64 `json:"weekday_bed_median_min"`
			WeekdayWake    *float64 `json:"weekday_wake_median_min"`
			WeekendBed     *float64 `json:"weekend_bed_median_min"`
			WeekendWake    *float64 `json:"weekend_wake_median_min"`
			MidpointStable bool     `json:"midpoint_stable_across_windows"`
			RecentDiverges bool     `json:"recent_14_day_diverges_from_baseline"`
		} `json:"day_type_timing_baseline"`
		SocialJetlag struct {
			Eligible    bool     `json:"eligible"`
			WeekendDays int      `json:"weekend_sample_days"`
			Current     *float64 `json:"current_delta_min"`
			Prior       *float64 `json:"prior_delta_min"`
			Sustained   bool     `json:"sustained_two_windows"`
		} `json:"social_jetlag"`
		Variability struct {
			Eligible    bool     `json:"eligible"`
			Current     *float64 `json:"current_variability_min"`
			Prior       *float64 `json:"prior_variability_min"`
			Sustained   bool     `json:"sustained_two_windows"`
			HighDataGap bool     `json:"high_data_gap"`
		} `json:"schedule_variability"`
		Quality struct {
			Eligible bool `json:"eligible"`
			Sessions int  `json:"sessions_with_quality"`
			Distinct int  `json:"distinct_quality_values"`
			Stable   bool `json:"stable_across_adjacent_windows"`
			Ranked   []struct {
				Factor string  `json:"factor"`
				Effect float64 `json:"effect"`
			} `json:"ranked_factors"`
		} `json:"quality_factor_ranking"`
	} `json:"metrics"`
	Recommendations []wireRecommendation `json:"recommendations"`
}

type wireCoverage struct {
	From           string  `json:"from"`
	To             string  `json:"to"`
	LoggedDays     int     `json:"logged_days"`
	MissingDays    int     `json:"missing_days"`
	MissingDaysPct float64 `json:"missing_days_pct"`
}

type wireRecommendation struct {
	ActionKey  string   `json:"action_key"`
	Status     string   `json:"status"`
	Confidence string   `json:"confidence"`
	Reasons    []string `json:"suppression_reasons"`
}

// summary is a recommendation without its constant rationale, for compact
// comparisons.
func (r wireRecommendation) summary() string {
	return fmt.Sprintf("%s %s %s %q", r.ActionKey, r.Status, r.Confidence, r.Reasons)
}

// nullableEquals reports whether a nullable wire number is present and
// equal to want within floating-point noise.
func nullableEquals(got *float64, want float64) bool { return got != nil && closeTo(*got, want) }

// populationStdDev is sqrt(Σx²/n − (Σx/n)²), the hand-calculation form of
// the population standard deviation from a sum and a sum of squares.
func populationStdDev(sum, sumOfSquares, n float64) float64 {
	mean := sum / n
	return math.Sqrt(sumOfSquares/n - mean*mean)
}

// seedNight is one session posted through the API.
type seedNight struct {
	bed, wake string
	quality   int
}

// seedWeekdayWeekendNights posts one session for every wake date from
// first to last except skipped ones, choosing the session with nightFor.
func seedWeekdayWeekendNights(t testing.TB, c *testClient, first, last time.Time, nightFor func(time.Time) (seedNight, bool)) int {
	t.Helper()
	posted := 0
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		n, ok := nightFor(day)
		if !ok {
			continue
		}
		postSleep(t, c, sleepBody(day.Format("2006-01-02"), n.bed, n.wake, "quality", n.quality))
		posted++
	}
	return posted
}

// TestPersonalizationEightWeekScenario seeds eight weeks of nights with a
// weekday/weekend pattern and checks the metrics against a hand calculation.
//
// Windows for window_days=28&to=2025-06-28: current 06-01 (Sun)…06-28 (Sat),
// prior 05-04 (Sun)…05-31 (Sat); each has 20 weekdays and 8 weekend days.
//
// Every night (wake date → bed → wake, duration, quality, midpoint =
// wake − duration/2, bed_relative):
//
//	Mon 23:00 → 07:00  480  q3  mid 180  bedRel −60
//	Tue 23:30 → 07:00  450  q3  mid 195  bedRel −30
//	Wed 22:30 → 06:30  480  q4  mid 150  bedRel −90
//	Thu 23:00 → 07:30  510  q3  mid 195  bedRel −60
//	Fri 00:00 → 07:00  420  q3  mid 210  bedRel   0
//	current Sat 01:00 → 09:30  510  q5  mid 315  bedRel 60
//	current Sun 00:30 → 08:30  480  q5  mid 270  bedRel 30
//	prior   Sat 00:30 → 09:00  510  q5  mid 285  bedRel 30
//	prior   Sun 00:00 → 08:40  520  q5  mid 260  bedRel  0
//
// Exceptions: Fri 06-27 is 00:00 → 06:30 (390, mid 195); Wed 06-11 and Thu
// 06-12 are not logged. 05-03 and 06-29 lie outside both windows.
func TestPersonalizationEightWeekScenario(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	currentFrom := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	weekdayNights := map[time.Weekday]seedNight{
		time.Monday:    {bed: "23:00", wake: "07:00", quality: 3},
		time.Tuesday:   {bed: "23:30", wake: "07:00", quality: 3},
		time.Wednesday: {bed: "22:30", wake: "06:30", quality: 4},
		time.Thursday:  {bed: "23:00", wake: "07:30", quality: 3},
		time.Friday:    {bed: "00:00", wake: "07:00", quality: 3},
	}
	currentWeekend := map[time.Weekday]seedNight{
		time.Saturday: {bed: "01:00", wake: "09:30", quality: 5},
		time.Sunday:   {bed: "00:30", wake: "08:30", quality: 5},
	}
	priorWeekend := map[time.Weekday]seedNight{
		time.Saturday: {bed: "00:30", wake: "09:00", quality: 5},
		time.Sunday:   {bed: "00:00", wake: "08:40", quality: 5},
	}
	posted := seedWeekdayWeekendNights(t, c, time.Date(2025, 5, 3, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 29, 0, 0, 0, 0, time.UTC),
		func(day time.Time) (seedNight, bool) {
			switch day.Format("01-02") {
			case "06-11", "06-12":
				return seedNight{}, false
			case "06-27":
				return seedNight{bed: "00:00", wake: "06:30", quality: 3}, true
			}
			if n, ok := weekdayNights[day.Weekday()]; ok {
				return n, true
			}
			if day.Before(currentFrom) {
				return priorWeekend[day.Weekday()], true
			}
			return currentWeekend[day.Weekday()], true
		})
	if posted != 56 { // 58 days minus the two skipped
		t.Fatalf("posted %d nights", posted)
	}

	resp := getOK(t, c, "/api/trends/personalization?window_days=28&to=2025-06-28")
	var shape, template any
	resp.JSON(t, &shape)
	if err := json.Unmarshal([]byte(emptyPersonalization), &template); err != nil {
		t.Fatal(err)
	}
	assertSameKeys(t, "body", shape, template)
	var body wirePersonalization
	resp.JSON(t, &body)
	m := body.Metrics

	// Coverage: current has 26 logged days (2 missing → 2·100/28 %), prior 28.
	wantCurrent := wireCoverage{"2025-06-01", "2025-06-28", 26, 2, 200.0 / 28}
	wantPrior := wireCoverage{"2025-05-04", "2025-05-31", 28, 0, 0}
	if body.CurrentWindow != wantCurrent || body.PriorWindow != wantPrior {
		t.Errorf("windows %+v %+v, want %+v %+v", body.CurrentWindow, body.PriorWindow, wantCurrent, wantPrior)
	}

	// Duration baseline from the 28 prior durations, sorted:
	// 420×4, 450×4, 480×8, 510×8, 520×4 (indices 0…27).
	// p10: rank 2.7 → [2],[3] = 420; p25: 6.75 → 450; p50: 13.5 → 480;
	// p75: 20.25 → 510; p90: 24.3 → 520; iqr = 510 − 450 = 60.
	// Current nights outside [420, 520]: only the 390 of 06-27 → 1/26.
	d := m.DurationBaseline
	if d.Eligible || d.SampleDays != 28 || !nullableEquals(d.P10, 420) || !nullableEquals(d.P50, 480) ||
		!nullableEquals(d.P90, 520) || !nullableEquals(d.IQR, 60) || !nullableEquals(d.Incidence, 100.0/26) {
		t.Errorf("duration baseline %+v", d)
	}

	// Day types, current window: 18 weekdays (4 Mon, 4 Tue, 3 Wed, 3 Thu,
	// 4 Fri) and 8 weekend days.
	// Weekday beds 22:30×3, 23:00×7, 23:30×4, 00:00×4 unwrap around 23:00 to
	// 1350×3, 1380×7, 1410×4, 1440×4; median of 18 = mean of [8],[9] = 1380.
	// Weekday wakes 390×4, 420×11, 450×3 → 420.
	// Weekend beds 60×4, 30×4 → 45; wakes 570×4, 510×4 → 540.
	dt := m.DayType
	if dt.WeekdayDays != 18 || dt.WeekendDays != 8 || !nullableEquals(dt.WeekdayBed, 1380) ||
		!nullableEquals(dt.WeekdayWake, 420) || !nullableEquals(dt.WeekendBed, 45) || !nullableEquals(dt.WeekendWake, 540) {
		t.Errorf("day-type medians %+v", dt)
	}
	// Midpoint medians. Current weekday 150×3, 180×4, 195×8, 210×3 → 195;
	// prior weekday 150×4, 180×4, 195×8, 210×4 → 195 (difference 0).
	// Current weekend 315×4, 270×4 → 292.5; prior 285×4, 260×4 → 272.5
	// (difference 20 ≤ 30): stable. The last 14 samples (06-15…06-28) have
	// weekday 195 and weekend 292.5, within 90 of the prior: no divergence.
	if !dt.MidpointStable || dt.RecentDiverges || !dt.Eligible {
		t.Errorf("day-type flags %+v", dt)
	}

	// Social jetlag: current 292.5 − 195 = 97.5, prior 272.5 − 195 = 77.5;
	// both ≥ 30 and both windows have 8 weekend days.
	sj := m.SocialJetlag
	if !sj.Eligible || sj.WeekendDays != 8 || !nullableEquals(sj.Current, 97.5) || !nullableEquals(sj.Prior, 77.5) || !sj.Sustained {
		t.Errorf("social jetlag %+v", sj)
	}

	// Variability = (sd(bed_relative) + sd(wake_relative)) / 2.
	// Current (n=26): bedRel −60×4, −30×4, −90×3, −60×3, 0×4, 60×4, 30×4 →
	//   Σ = −450, Σx² = 71100. wake − 420: 0×8, −30×3, 30×3, 0×3, −30, 150×4,
	//   90×4 → Σ = 930, Σx² = 128700.
	// Prior (n=28): bedRel −60×4, −30×4, −90×4, −60×4, 0×4, 30×4, 0×4 →
	//   Σ = −840, Σx² = 68400. wake − 420: 0×4, 0×4, −30×4, 30×4, 0×4, 120×4,
	//   100×4 → Σ = 880, Σx² = 104800.
	currentVariability := (populationStdDev(-450, 71100, 26) + populationStdDev(930, 128700, 26)) / 2 // ≈ 54.97
	priorVariability := (populationStdDev(-840, 68400, 28) + populationStdDev(880, 104800, 28)) / 2   // ≈ 45.88
	v := m.Variability
	if !v.Eligible || !nullableEquals(v.Current, currentVariability) || !nullableEquals(v.Prior, priorVariability) ||
		v.Sustained || v.HighDataGap {
		t.Errorf("variability %+v, want current %v prior %v", v, currentVariability, priorVariability)
	}

	// Quality: 26 current sessions, qualities {3, 4, 5}. Duration in range:
	// the current P10/P90 are 420/510, so only one night is unfavorable → no
	// effect → not stable. Mid-sleep timing: M = 195 in both windows; the
	// weekdays are within 60 (favorable), the weekend midpoints are 75…120
	// away (unfavorable) → effect = 57/18 − 5 (current), 64/20 − 5 (prior),
	// same sign. Weekday alignment: 270 is within 90 of 195, so the current
	// window has only 4 unfavorable nights → no effect.
	q := m.Quality
	if q.Eligible || q.Sessions != 26 || q.Distinct != 3 || q.Stable || len(q.Ranked) != 1 ||
		q.Ranked[0].Factor != "consistent_mid_sleep_timing" || !closeTo(q.Ranked[0].Effect, 57.0/18-5) {
		t.Errorf("quality ranking %+v", q)
	}

	want := []string{
		`personal_duration_warning_tuning suppressed low ["needs at least 60 baseline sessions in prior window" "recent out-of-range incidence is below 5% trigger" "schedule disruption guardrail unavailable from current data (travel/shift period not inferred)"]`,
		`day_type_default_prefill recommended medium []`,
		`social_jetlag_schedule_shift_insight recommended high []`,
		`regularity_insight_priority suppressed low ["schedule variability is not >=60 minutes across two windows"]`,
		`quality_aligned_factor_explanation suppressed low ["requires at least 40 sessions with quality" "factor effects are not stable across adjacent windows"]`,
	}
	assertRecommendations(t, body.Recommendations, want)
}

func assertRecommendations(t testing.TB, got []wireRecommendation, want []string) {
	t.Helper()
	var summaries []string
	for _, r := range got {
		if r.Reasons == nil {
			t.Errorf("%s: suppression_reasons is null", r.ActionKey)
		}
		summaries = append(summaries, r.summary())
	}
	if !slices.Equal(summaries, want) {
		t.Errorf("recommendations\n%q\nwant\n%q", summaries, want)
	}
}

// TestPersonalizationWithLittleData: three weekday nights give numbers where
// they exist and "not enough data" reasons everywhere.
func TestPersonalizationWithLittleData(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	for _, date := range []string{"2025-06-18", "2025-06-19", "2025-06-20"} { // Wed, Thu, Fri
		postSleep(t, c, sleepBody(date, "23:00", "07:00", "quality", 4))
	}
	var body wirePersonalization
	getOK(t, c, "/api/trends/personalization").JSON(t, &body) // as_of 2025-06-20
	m := body.Metrics

	if body.CurrentWindow.LoggedDays != 3 || body.CurrentWindow.MissingDays != 25 ||
		!closeTo(body.CurrentWindow.MissingDaysPct, 2500.0/28) || body.PriorWindow.LoggedDays != 0 {
		t.Errorf("coverage %+v %+v", body.CurrentWindow, body.PriorWindow)
	}
	// No prior data: no percentiles, but the incidence is 0 % (not null)
	// because the current window has data.
	d := m.DurationBaseline
	if d.P10 != nil || d.P50 != nil || d.P90 != nil || d.IQR != nil || !nullableEquals(d.Incidence, 0) {
		t.Errorf("duration baseline %+v", d)
	}
	dt := m.DayType
	if dt.WeekdayDays != 3 || dt.WeekendDays != 0 || !nullableEquals(dt.WeekdayBed, 1380) ||
		!nullableEquals(dt.WeekdayWake, 420) || dt.WeekendBed != nil || dt.WeekendWake != nil || dt.MidpointStable {
		t.Errorf("day type %+v", dt)
	}
	if sj := m.SocialJetlag; sj.Current != nil || sj.Prior != nil || sj.Eligible {
		t.Errorf("social jetlag %+v", sj)
	}
	// Three identical nights: spread 0; no prior spread → not eligible.
	if v := m.Variability; !nullableEquals(v.Current, 0) || v.Prior != nil || v.Eligible || !v.HighDataGap {
		t.Errorf("variability %+v", v)
	}
	if q := m.Quality; q.Sessions != 3 || q.Distinct != 1 || q.Ranked == nil || len(q.Ranked) != 0 {
		t.Errorf("quality %+v", q)
	}

	var empty struct {
		Recommendations []wireRecommendation `json:"recommendations"`
	}
	if err := json.Unmarshal([]byte(emptyPersonalization), &empty); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range empty.Recommendations {
		want = append(want, r.summary())
	}
	assertRecommendations(t, body.Recommendations, want)
}
