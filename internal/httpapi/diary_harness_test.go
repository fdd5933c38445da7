package httpapi

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Test scaffolding shared by the diary route tests (sleep, exercise, notes,
// settings): request bodies, shape and error assertions, a goroutine-safe
// sender for the concurrency tests and a full dump of the database.

// sleepBody is a valid SleepInput for the given wake date and clock times;
// extra name/value pairs override or add fields.
func sleepBody(date, bed, wake string, extra ...any) map[string]any {
	body := map[string]any{
		"date": date, "bed_time": bed, "wake_time": wake,
		"latency_min": 10, "awakenings": 1, "quality": 4,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i].(string)] = extra[i+1]
	}
	return body
}

// createdID asserts a 201 {"id": n} response with exactly that one key and returns n.
func createdID(t testing.TB, resp *testResponse) int64 {
	t.Helper()
	resp.mustStatus(t, http.StatusCreated)
	assertKeys(t, resp.Body, "id")
	var created struct{ ID int64 }
	resp.JSON(t, &created)
	if created.ID <= 0 {
		t.Fatalf("created id %d, want > 0", created.ID)
	}
	return created.ID
}

// postSleep creates a session and returns its id.
func postSleep(t testing.TB, c *testClient, body any) int64 {
	t.Helper()
	return createdID(t, c.do(t, http.MethodPost, "/api/sleep", body))
}

// mustError asserts an error response with the envelope of SPEC §3.2.
func mustError(t testing.TB, resp *testResponse, status int, code, message string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, status, resp.Body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q, want application/json", ct)
	}
	e := resp.errorEnvelope(t)
	if e.Code != code || e.Message != message {
		t.Fatalf("error {%q, %q}, want {%q, %q}", e.Code, e.Message, code, message)
	}
}

// dailyRowKeys are the eight fields of a SleepListItem daily row (SPEC §5.2).
var dailyRowKeys = []string{"id", "date", "bed_time", "wake_time", "latency_min", "awakenings", "quality", "duration_min"}

// sessionKeys are the fields of a SleepSession: the eight of §5.2, the diary
// items of §12.1 and the derived values of §12.2.
var sessionKeys = append(slices.Clone(dailyRowKeys), "in_bed_time", "waso_min", "out_of_bed_time", "rested",
	"alcohol_drinks", "caffeine_drinks", "medication", "tib_min", "tst_min", "se_pct", "terminal_wake_min")

// assertKeys fails unless the JSON object body has exactly the given keys.
func assertKeys(t testing.TB, body []byte, want ...string) {
	t.Helper()
	var object map[string]any
	if err := json.Unmarshal(body, &object); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	assertObjectKeys(t, object, want...)
}

func assertObjectKeys(t testing.TB, object map[string]any, want ...string) {
	t.Helper()
	var got []string
	for k := range object {
		got = append(got, k)
	}
	slices.Sort(got)
	sorted := slices.Sorted(slices.Values(want))
	if !slices.Equal(got, sorted) {
		t.Fatalf("keys %v, want %v", got, sorted)
	}
}

// jsonList decodes a JSON array of objects, failing on null (lists are [] when
// empty, SPEC §1.3) and on elements whose keys are not exactly keys.
func jsonList(t testing.TB, resp *testResponse, keys ...string) []map[string]any {
	t.Helper()
	resp.mustStatus(t, http.StatusOK)
	if bytes.HasPrefix(bytes.TrimSpace(resp.Body), []byte("null")) {
		t.Fatalf("list encoded as null")
	}
	var list []map[string]any
	resp.JSON(t, &list)
	for _, item := range list {
		assertObjectKeys(t, item, keys...)
	}
	return list
}

// sessionsAt reads /api/sleep/date/{date} into typed sessions.
func sessionsAt(t testing.TB, c *testClient, date string) []wireSession {
	t.Helper()
	return decodeSessions(t, c.do(t, http.MethodGet, "/api/sleep/date/"+date, nil))
}

// wireSession is a SleepSession as the client sees it.
type wireSession struct {
	ID          int64  `json:"id"`
	Date        string `json:"date"`
	BedTime     string `json:"bed_time"`
	WakeTime    string `json:"wake_time"`
	LatencyMin  int    `json:"latency_min"`
	Awakenings  int    `json:"awakenings"`
	Quality     int    `json:"quality"`
	DurationMin int    `json:"duration_min"`
}

// decodeSessions checks the list shape of a session list response and decodes it.
func decodeSessions(t testing.TB, resp *testResponse) []wireSession {
	t.Helper()
	jsonList(t, resp, sessionKeys...)
	var sessions []wireSession
	resp.JSON(t, &sessions)
	return sessions
}

// decodeDailyRows checks the list shape of /api/sleep/recent and decodes it.
func decodeDailyRows(t testing.TB, resp *testResponse) []wireSession {
	t.Helper()
	jsonList(t, resp, dailyRowKeys...)
	var rows []wireSession
	resp.JSON(t, &rows)
	return rows
}

// sessionIDs lists the ids of sessions in order.
func sessionIDs(sessions []wireSession) []int64 {
	ids := make([]int64, len(sessions))
	for i, s := range sessions {
		ids[i] = s.ID
	}
	return ids
}

// rawResult is one response of send: safe to produce on any goroutine.
type rawResult struct {
	status int
	body   []byte
	err    error
}

// send is do for goroutines other than the test's: it never calls t.Fatal
// and never touches the client's cookie jar, so many can run at once. A body
// that is not a *strings.Reader or *bytes.Reader is sent chunked.
func (c *testClient) send(method, path string, body io.Reader) rawResult {
	req, err := http.NewRequest(method, c.ts.URL+path, body)
	if err != nil {
		return rawResult{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return rawResult{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return rawResult{status: resp.StatusCode, body: data, err: err}
}

// sendAtOnce sends the same request from n goroutines released together by a
// start barrier, and returns every result.
func sendAtOnce(c *testClient, n int, method, path, body string) []rawResult {
	results := make([]rawResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = c.send(method, path, strings.NewReader(body))
		}()
	}
	close(start)
	wg.Wait()
	return results
}

// dumpDatabase renders every row of every table of the test database, in a
// stable order, so a test can assert that a failed request changed nothing.
// It reads through its own connection: committed data only.
func dumpDatabase(t testing.TB, ts *testServer) string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+ts.Cfg.DatabasePath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var tables []string
	rows, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(tables) < 6 {
		t.Fatalf("dump found only tables %v", tables)
	}
	var out strings.Builder
	for _, table := range tables {
		fmt.Fprintf(&out, "== %s\n", table)
		rows, err := conn.Query(`SELECT * FROM "` + table + `" ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		columns, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		values := make([]any, len(columns))
		pointers := make([]any, len(columns))
		for i := range values {
			pointers[i] = &values[i]
		}
		for rows.Next() {
			if err := rows.Scan(pointers...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "%#v\n", values)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out.String()
}
