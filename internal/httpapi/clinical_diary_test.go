package httpapi

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// specDiaryNight is the §12.2 example night with every diary item.
func specDiaryNight(date string) map[string]any {
	return sleepBody(date, "23:05", "06:30", "latency_min", 15, "awakenings", 2,
		"in_bed_time", "22:40", "waso_min", 20, "out_of_bed_time", "06:50", "rested", 3,
		"alcohol_drinks", 1, "caffeine_drinks", 2, "medication", "  melatonin 2 mg  ")
}

func getSession(t *testing.T, c *testClient, id int64) map[string]any {
	t.Helper()
	resp := c.do(t, http.MethodGet, fmt.Sprintf("/api/sleep/%d", id), nil).mustStatus(t, http.StatusOK)
	assertKeys(t, resp.Body, sessionKeys...)
	var s map[string]any
	resp.JSON(t, &s)
	return s
}

func assertFields(t *testing.T, got map[string]any, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if fmt.Sprint(got[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

func TestDiaryItemsRoundTripWithDerivedValues(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	id := postSleep(t, c, specDiaryNight("2025-06-17"))
	assertFields(t, getSession(t, c, id), map[string]any{
		"in_bed_time": "22:40:00", "waso_min": 20, "out_of_bed_time": "06:50:00", "rested": 3,
		"alcohol_drinks": 1, "caffeine_drinks": 2, "medication": "melatonin 2 mg",
		"duration_min": 445, "tib_min": 490, "tst_min": 410, "se_pct": 83.7, "terminal_wake_min": 20,
	})
	// Lists carry them too (routes 13 and 15), the daily rows do not (route 14).
	if got := jsonList(t, c.do(t, http.MethodGet, "/api/sleep/range?from=2025-06-17&to=2025-06-17", nil), sessionKeys...); got[0]["se_pct"] != 83.7 {
		t.Errorf("range se_pct %v", got[0]["se_pct"])
	}
	jsonList(t, c.do(t, http.MethodGet, "/api/sleep/date/2025-06-17", nil), sessionKeys...)
	jsonList(t, c.do(t, http.MethodGet, "/api/sleep/recent", nil), dailyRowKeys...)
}

func TestPutKeepsAbsentDiaryItemsAndClearsNulls(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	id := postSleep(t, c, specDiaryNight("2025-06-17"))
	path := fmt.Sprintf("/api/sleep/%d", id)
	// An old client's six fields: nothing of the diary is lost.
	c.do(t, http.MethodPut, path, sleepBody("2025-06-17", "23:15", "06:30", "latency_min", 5, "awakenings", 0)).
		mustStatus(t, http.StatusNoContent)
	assertFields(t, getSession(t, c, id), map[string]any{"bed_time": "23:15:00", "in_bed_time": "22:40:00",
		"waso_min": 20, "medication": "melatonin 2 mg", "rested": 3, "tib_min": 490})
	// Explicit nulls clear.
	c.do(t, http.MethodPut, path, sleepBody("2025-06-17", "23:15", "06:30", "waso_min", nil, "medication", nil)).
		mustStatus(t, http.StatusNoContent)
	assertFields(t, getSession(t, c, id), map[string]any{"waso_min": nil, "medication": nil, "in_bed_time": "22:40:00"})
	// A new bed_time that leaves the kept in_bed_time more than 12 h away is a 400 naming in_bed_time.
	before := dumpDatabase(t, ts)
	mustError(t, c.do(t, http.MethodPut, path, sleepBody("2025-06-17", "11:00", "12:00", "out_of_bed_time", nil)),
		http.StatusBadRequest, "bad_request", "in_bed_time must be at most 12 hours before bed_time")
	if after := dumpDatabase(t, ts); after != before {
		t.Fatalf("a refused PUT changed the database")
	}
	// Missing session: the body is still checked first, then 404.
	mustError(t, c.do(t, http.MethodPut, "/api/sleep/999", sleepBody("2025-06-17", "23:00", "07:00", "rested", 9)),
		http.StatusBadRequest, "bad_request", "rested must be between 1 and 5")
	mustError(t, c.do(t, http.MethodPut, "/api/sleep/999", sleepBody("2025-06-17", "23:00", "07:00")),
		http.StatusNotFound, "not_found", "not found")
}

func TestDiaryItemValidationStoresNothing(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	postSleep(t, c, sleepBody("2025-06-10", "23:00", "07:00"))
	before := dumpDatabase(t, ts)
	cases := []struct {
		field string
		value any
		want  string
	}{
		{"in_bed_time", "25:00", "in_bed_time must be a time in HH:MM or HH:MM:SS format"},
		{"in_bed_time", "10:00", "in_bed_time must be at most 12 hours before bed_time"},
		{"waso_min", 721, "waso_min must be between 0 and 720"},
		{"out_of_bed_time", "x", "out_of_bed_time must be a time in HH:MM or HH:MM:SS format"},
		{"out_of_bed_time", "20:00", "out_of_bed_time must be at most 12 hours after wake_time"},
		{"rested", 0, "rested must be between 1 and 5"},
		{"alcohol_drinks", 31, "alcohol_drinks must be between 0 and 30"},
		{"caffeine_drinks", -1, "caffeine_drinks must be between 0 and 30"},
		{"medication", strings.Repeat("x", 201), "medication must be at most 200 characters"},
	}
	for _, tc := range cases {
		resp := c.do(t, http.MethodPost, "/api/sleep", sleepBody("2025-06-17", "23:00", "07:00", tc.field, tc.value, "note", "kept?"))
		mustError(t, resp, http.StatusBadRequest, "bad_request", tc.want)
	}
	if after := dumpDatabase(t, ts); after != before {
		t.Fatalf("refused writes changed the database:\n%s\nvs\n%s", before, after)
	}
}

func TestDiaryJSON(t *testing.T) {
	ts := newTestServer(t) // today is 2025-06-20 in UTC
	c := ts.login(t)
	postSleep(t, c, specDiaryNight("2025-06-17"))
	postSleep(t, c, sleepBody("2025-06-17", "14:00", "14:35"))
	c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-06-17", "body": "late coffee"}).mustStatus(t, http.StatusCreated)
	c.do(t, http.MethodPost, "/api/exercise", map[string]any{"date": "2025-06-17", "intensity": "light"}).mustStatus(t, http.StatusCreated)

	resp := c.do(t, http.MethodGet, "/api/diary", nil).mustStatus(t, http.StatusOK)
	var d struct {
		From, To string
		Nights   []struct {
			Date              string
			Main              map[string]any
			Naps              struct{ Count, Minutes int }
			ExerciseIntensity *string `json:"exercise_intensity"`
			Notes             int
		}
		Summary map[string]any
		Weeks   []map[string]any
	}
	resp.JSON(t, &d)
	if d.From != "2025-06-07" || d.To != "2025-06-20" || len(d.Nights) != 14 || len(d.Weeks) != 2 {
		t.Fatalf("diary %s…%s with %d nights and %d weeks", d.From, d.To, len(d.Nights), len(d.Weeks))
	}
	n := d.Nights[10]
	if n.Date != "2025-06-17" || n.Main["duration_min"] != 445.0 || n.Naps.Count != 1 || n.Naps.Minutes != 35 ||
		n.ExerciseIntensity == nil || *n.ExerciseIntensity != "light" || n.Notes != 1 {
		t.Fatalf("night %+v", n)
	}
	if d.Summary["nights"] != 1.0 || d.Summary["se_pct"] != 83.7 || d.Summary["naps_per_week"] != 0.5 ||
		fmt.Sprint(d.Summary["flags"]) != "[se_below_85]" {
		t.Fatalf("summary %v", d.Summary)
	}
	if d.Weeks[0]["from"] != "2025-06-14" || d.Weeks[0]["naps_per_week"] != 1.0 || d.Weeks[1]["nights"] != 0.0 {
		t.Fatalf("weeks %v", d.Weeks)
	}

	for query, want := range map[string]string{
		"from=2025-6-1":                 "invalid from date",
		"to=x":                          "invalid to date",
		"from=2025-06-21":               "from must be <= to",
		"from=2025-03-20":               "range must be <= 92 days",
		"to=1900-01-05":                 "window would start before 1900-01-01",
		"format=xml":                    "format must be one of json, csv",
		"from=2025-03-21&to=2025-06-20": "",
	} {
		resp := c.do(t, http.MethodGet, "/api/diary?"+query, nil)
		if want == "" {
			resp.mustStatus(t, http.StatusOK)
			continue
		}
		mustError(t, resp, http.StatusBadRequest, "bad_request", want)
	}
}

func TestDiaryCSV(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	night := specDiaryNight("2025-06-17")
	night["medication"] = "=HYPERLINK(\"x\")"
	postSleep(t, c, night)
	c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-06-17", "body": "-2 coffee, late"}).mustStatus(t, http.StatusCreated)
	c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-06-17", "body": "line\nbreak"}).mustStatus(t, http.StatusCreated)

	resp := c.do(t, http.MethodGet, "/api/diary?from=2025-06-16&to=2025-06-17&format=csv", nil).mustStatus(t, http.StatusOK)
	mustHeader(t, resp, "Content-Type", "text/csv; charset=utf-8")
	mustHeader(t, resp, "Content-Disposition", `attachment; filename="sleep-diary-2025-06-16-to-2025-06-17.csv"`)
	body := string(resp.Body)
	// RFC 4180: every line ends in CRLF (encoding/csv also writes a line
	// break inside a quoted field as CRLF; readers give it back as one break).
	if !strings.HasSuffix(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
		t.Fatalf("want CRLF line ends only, got %q", body)
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := "date,in_bed_time,bed_time,latency_min,awakenings,waso_min,wake_time,out_of_bed_time,quality,rested,tib_min,tst_min,se_pct,naps_count,naps_min,alcohol_drinks,caffeine_drinks,medication,exercise_intensity,notes"
	if strings.Join(records[0], ",") != header {
		t.Fatalf("header %v", records[0])
	}
	if got := strings.Join(records[1], ","); got != "2025-06-16,,,,,,,,,,,,,0,0,,,,," {
		t.Fatalf("empty night row %q", got)
	}
	want := []string{"2025-06-17", "22:40", "23:05", "15", "2", "20", "06:30", "06:50", "4", "3", "490", "410", "83.7", "0", "0",
		"1", "2", `'=HYPERLINK("x")`, "", "'-2 coffee, late | line\nbreak"}
	if strings.Join(records[2], "|") != strings.Join(want, "|") {
		t.Fatalf("row\n %q\nwant\n %q", records[2], want)
	}
}

func TestSleepWindowRoutes(t *testing.T) {
	ts := newTestServer(t) // today 2025-06-20
	c := ts.login(t)
	for d := 14; d <= 20; d++ {
		postSleep(t, c, sleepBody(fmt.Sprintf("2025-06-%02d", d), "00:30", "06:30", "latency_min", 10))
	}
	resp := c.do(t, http.MethodGet, "/api/diary/sleep-window", nil).mustStatus(t, http.StatusOK)
	var advice struct {
		Current        map[string]any
		Recommendation map[string]any
		BasedOn        map[string]any `json:"based_on"`
		Reason         *string
	}
	resp.JSON(t, &advice)
	// TST 350 each night: initial window 345 minutes rising at 06:30.
	if advice.Current != nil || advice.Reason != nil || advice.Recommendation["window_min"] != 345.0 ||
		advice.Recommendation["wake_time"] != "06:30:00" || advice.Recommendation["bed_time"] != "00:45:00" ||
		advice.Recommendation["change_min"] != nil || advice.BasedOn["nights"] != 7.0 {
		t.Fatalf("initial advice %+v", advice)
	}
	before := dumpDatabase(t, ts)
	mustError(t, c.do(t, http.MethodPut, "/api/diary/sleep-window", map[string]any{"wake_time": "6:30", "window_min": 345}),
		http.StatusBadRequest, "bad_request", "wake_time must be a time in HH:MM or HH:MM:SS format")
	mustError(t, c.do(t, http.MethodPut, "/api/diary/sleep-window", map[string]any{"wake_time": "06:30", "window_min": 299}),
		http.StatusBadRequest, "bad_request", "window_min must be between 300 and 720")
	mustError(t, c.do(t, http.MethodPut, "/api/diary/sleep-window", map[string]any{"wake_time": "06:30"}),
		http.StatusBadRequest, "bad_request", "window_min is required")
	if dumpDatabase(t, ts) != before {
		t.Fatal("refused PUTs changed the database")
	}
	c.do(t, http.MethodPut, "/api/diary/sleep-window", map[string]any{"wake_time": "06:30", "window_min": 345}).mustStatus(t, http.StatusNoContent)
	resp = c.do(t, http.MethodGet, "/api/diary/sleep-window", nil).mustStatus(t, http.StatusOK)
	resp.JSON(t, &advice)
	if advice.Current["since"] != "2025-06-20" || advice.Current["bed_time"] != "00:45:00" ||
		advice.Recommendation["reason"] != "keep the window for a full week before changing it" || advice.Recommendation["change_min"] != 0.0 {
		t.Fatalf("advice after PUT %+v", advice)
	}
	// A week later (to = 06-26, since 06-20: 6 days) with too few nights.
	resp = c.do(t, http.MethodGet, "/api/diary/sleep-window?to=2025-06-26", nil).mustStatus(t, http.StatusOK)
	resp.JSON(t, &advice)
	if advice.Recommendation != nil || advice.Reason == nil || *advice.Reason != "at least 5 nights of the last 7 days are needed" {
		t.Fatalf("sparse week advice %+v", advice)
	}
	mustError(t, c.do(t, http.MethodGet, "/api/diary/sleep-window?to=1900-01-03", nil),
		http.StatusBadRequest, "bad_request", "window would start before 1900-01-01")
	for range 2 {
		c.do(t, http.MethodDelete, "/api/diary/sleep-window", nil).mustStatus(t, http.StatusNoContent)
	}
	resp = c.do(t, http.MethodGet, "/api/diary/sleep-window", nil).mustStatus(t, http.StatusOK)
	resp.JSON(t, &advice)
	if advice.Current != nil {
		t.Fatalf("window still set after DELETE: %+v", advice.Current)
	}
}

func TestRegularityRoute(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	for d := 14; d <= 20; d++ {
		bed, wake := "23:00", "07:00"
		if d%2 == 1 {
			bed, wake = "01:00", "09:00"
		}
		postSleep(t, c, sleepBody(fmt.Sprintf("2025-06-%02d", d), bed, wake, "latency_min", 0))
	}
	var got struct {
		From, To string
		SRI      *float64
		Pairs    int
		Reason   *string
	}
	c.do(t, http.MethodGet, "/api/trends/regularity", nil).mustStatus(t, http.StatusOK).JSON(t, &got)
	if got.From != "2025-05-24" || got.To != "2025-06-20" || got.SRI == nil || *got.SRI != 66.7 || got.Pairs != 6 || got.Reason != nil {
		t.Fatalf("regularity %+v", got)
	}
	c.do(t, http.MethodGet, "/api/trends/regularity?from=2025-06-17", nil).mustStatus(t, http.StatusOK).JSON(t, &got)
	if got.SRI != nil || got.Pairs != 3 || got.Reason == nil || *got.Reason != "at least 5 pairs of consecutive logged nights are needed" {
		t.Fatalf("short regularity %+v", got)
	}
	for query, want := range map[string]string{
		"from=x":          "invalid from date",
		"to=2025-13-01":   "invalid to date",
		"from=2025-06-21": "from must be <= to",
		"from=2024-06-19": "range must be <= 366 days",
		"to=1900-01-20":   "window would start before 1900-01-01",
	} {
		mustError(t, c.do(t, http.MethodGet, "/api/trends/regularity?"+query, nil), http.StatusBadRequest, "bad_request", want)
	}
	c.do(t, http.MethodGet, "/api/trends/regularity?from=2024-06-20", nil).mustStatus(t, http.StatusOK)
}

func TestWindowsBefore1900AreRefused(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	for _, path := range []string{
		"/api/trends/personalization?to=1900-01-01",
		"/api/personalization/friction-backlog?to=1900-01-01",
		"/api/trends/personalization?to=1900-02-24&window_days=28",
	} {
		mustError(t, c.do(t, http.MethodGet, path, nil), http.StatusBadRequest, "bad_request", "window would start before 1900-01-01")
	}
	// 1900-02-25 − 55 days = 1900-01-01: the earliest window allowed.
	c.do(t, http.MethodGet, "/api/trends/personalization?to=1900-02-25&window_days=28", nil).mustStatus(t, http.StatusOK)
	c.do(t, http.MethodGet, "/api/personalization/friction-backlog?to=1900-02-25&window_days=28", nil).mustStatus(t, http.StatusOK)
}
