package httpapi

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/config"
	"sleeptracker/internal/store"
)

// idempotentRoutes are the POST routes of SPEC §15.1 with a valid body, a
// different valid body, and a count of the records each one creates.
var idempotentRoutes = []struct {
	path, body, other string
	count             func(t *testing.T, c *testClient) int
}{
	{"/api/sleep",
		`{"date":"2025-06-17","bed_time":"23:00","wake_time":"07:00","latency_min":10,"awakenings":1,"quality":4}`,
		`{"date":"2025-06-18","bed_time":"23:00","wake_time":"07:00","latency_min":10,"awakenings":1,"quality":4}`,
		func(t *testing.T, c *testClient) int { return countRows(t, c.ts, "sleep_sessions") }},
	{"/api/note",
		`{"date":"2025-06-17","body":"coffee at 16:00"}`,
		`{"date":"2025-06-17","body":"coffee at 17:00"}`,
		func(t *testing.T, c *testClient) int { return countRows(t, c.ts, "notes") }},
	{"/api/exercise",
		`{"date":"2025-06-17","intensity":"light","start_time":"07:00","duration_min":30}`,
		`{"date":"2025-06-17","intensity":"hard","start_time":"07:00","duration_min":30}`,
		func(t *testing.T, c *testClient) int { return countRows(t, c.ts, "exercise_events") }},
}

// countRows counts the committed rows of table (timed exercise events appear
// in no API list one by one, so every route is counted the same way).
func countRows(t *testing.T, ts *testServer, table string) int {
	t.Helper()
	var n int
	if err := rawDB(t, ts).QueryRow(`SELECT count(*) FROM "` + table + `"`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIdempotencyKeyReplaysTheFirstResponse(t *testing.T) {
	for _, route := range idempotentRoutes {
		t.Run(route.path, func(t *testing.T) {
			ts := newTestServer(t)
			c := ts.login(t)
			first := c.do(t, http.MethodPost, route.path, route.body, "Idempotency-Key", "key-1")
			first.mustStatus(t, http.StatusCreated)
			if got := first.Header.Get("Idempotent-Replayed"); got != "" {
				t.Fatalf("first response has Idempotent-Replayed %q", got)
			}
			for range 2 {
				again := c.do(t, http.MethodPost, route.path, route.body, "Idempotency-Key", "key-1")
				again.mustStatus(t, http.StatusCreated)
				if got := again.Header.Get("Idempotent-Replayed"); got != "true" {
					t.Fatalf("replay has Idempotent-Replayed %q, want true", got)
				}
				if !bytes.Equal(again.Body, first.Body) {
					t.Fatalf("replayed body %q, want %q", again.Body, first.Body)
				}
			}
			if n := route.count(t, c); n != 1 {
				t.Fatalf("%d records after three requests with one key, want 1", n)
			}
			// Without a key the route is not idempotent: a second record.
			c.do(t, http.MethodPost, route.path, route.other).mustStatus(t, http.StatusCreated)
			if n := route.count(t, c); n != 2 {
				t.Fatalf("%d records, want 2", n)
			}
		})
	}
}

func TestIdempotencyKeyReusedForAnotherRequestIs422(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	sleepRoute := idempotentRoutes[0]
	c.do(t, http.MethodPost, "/api/sleep", sleepRoute.body, "Idempotency-Key", "k").mustStatus(t, http.StatusCreated)
	before := dumpDatabase(t, ts)
	cases := []struct{ name, path, body string }{
		{"another body", "/api/sleep", sleepRoute.other},
		// Same JSON value, other bytes: the hash is over the raw body.
		{"same value, other bytes", "/api/sleep", strings.Replace(sleepRoute.body, ",", ", ", 1)},
		{"another route", "/api/note", `{"date":"2025-06-17","body":"x"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.do(t, http.MethodPost, tc.path, tc.body, "Idempotency-Key", "k")
			mustError(t, resp, http.StatusUnprocessableEntity, "idempotency_key_reused",
				"Idempotency-Key was already used for a different request")
			if after := dumpDatabase(t, ts); after != before {
				t.Fatalf("a refused reuse changed the database:\n%s", after)
			}
		})
	}
}

func TestIdempotencyKeySyntax(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	const message = "Idempotency-Key must be 1-100 characters of A-Z, a-z, 0-9, - and _"
	bad := []string{"a b", "a.b", "ключ", "a/b", "a+b", strings.Repeat("k", 101), "a\tb"}
	for _, key := range bad {
		for _, route := range idempotentRoutes {
			resp := c.do(t, http.MethodPost, route.path, route.body, "Idempotency-Key", key)
			mustError(t, resp, http.StatusBadRequest, "bad_request", message)
			// The key is checked before the body.
			resp = c.do(t, http.MethodPost, route.path, "{", "Idempotency-Key", key)
			mustError(t, resp, http.StatusBadRequest, "bad_request", message)
		}
	}
	// Present but empty: sent by hand, since the helper drops empty headers.
	for _, route := range idempotentRoutes {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+route.path, strings.NewReader(route.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", c.csrf)
		req.Header["Idempotency-Key"] = []string{""}
		for name, value := range c.cookies {
			req.AddCookie(&http.Cookie{Name: name, Value: value})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), message) {
			t.Fatalf("empty key: %d %s", resp.StatusCode, body)
		}
	}
	for _, route := range idempotentRoutes {
		if n := route.count(t, c); n != 0 {
			t.Fatalf("%s: %d records stored by refused requests", route.path, n)
		}
	}
	// The edges of the syntax are accepted.
	for _, key := range []string{"A", strings.Repeat("z", 100), "Az09-_"} {
		c.do(t, http.MethodPost, "/api/note", `{"date":"2025-06-17","body":"x"}`, "Idempotency-Key", key).
			mustStatus(t, http.StatusCreated)
	}
	// Access checks come first: 401 and 403 beat a malformed key.
	mustError(t, ts.anonymous().do(t, http.MethodPost, "/api/sleep", "{}", "Idempotency-Key", "a b"),
		http.StatusUnauthorized, "unauthorized", "authentication required")
	if resp := c.do(t, http.MethodPost, "/api/sleep", "{}", "Idempotency-Key", "a b", "X-CSRF-Token", "wrong"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("bad CSRF with a bad key: %d", resp.StatusCode)
	}
}

// TestIdempotencyFailuresLeaveTheKeyUnused: a 4xx stores nothing, so the
// corrected retry with the same key is processed (SPEC §15.1).
func TestIdempotencyFailuresLeaveTheKeyUnused(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	c.do(t, http.MethodPost, "/api/sleep", idempotentRoutes[0].body).mustStatus(t, http.StatusCreated)
	overlapping := `{"date":"2025-06-17","bed_time":"22:00","wake_time":"06:00","latency_min":10,"awakenings":1,"quality":4}`
	for range 2 {
		mustError(t, c.do(t, http.MethodPost, "/api/sleep", overlapping, "Idempotency-Key", "queued-1"),
			http.StatusBadRequest, "bad_request", "sleep session overlaps existing session")
	}
	mustError(t, c.do(t, http.MethodPost, "/api/sleep", `{"date":"2025-06-18"}`, "Idempotency-Key", "queued-1"),
		http.StatusBadRequest, "bad_request", "bed_time is required")
	resp := c.do(t, http.MethodPost, "/api/sleep", idempotentRoutes[0].other, "Idempotency-Key", "queued-1")
	resp.mustStatus(t, http.StatusCreated)
	if resp.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("the corrected retry was answered as a replay")
	}
	if n := idempotentRoutes[0].count(t, c); n != 2 {
		t.Fatalf("%d sessions, want 2", n)
	}
}

// TestIdempotencyConcurrentRequestsMakeOneEffect: 16 requests with one key at
// once → one session; every response is the same 201 body, 15 of them
// replays.
func TestIdempotencyConcurrentRequestsMakeOneEffect(t *testing.T) {
	for _, route := range idempotentRoutes {
		t.Run(route.path, func(t *testing.T) {
			ts := newTestServer(t)
			c := ts.login(t)
			const n = 16
			type result struct {
				status   int
				body     string
				replayed string
				err      error
			}
			results := make([]result, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req, err := http.NewRequest(http.MethodPost, ts.URL+route.path, strings.NewReader(route.body))
					if err != nil {
						results[i].err = err
						return
					}
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-CSRF-Token", c.csrf)
					req.Header.Set("Idempotency-Key", "same-key")
					for name, value := range c.cookies {
						req.AddCookie(&http.Cookie{Name: name, Value: value})
					}
					<-start
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						results[i].err = err
						return
					}
					defer resp.Body.Close()
					body, err := io.ReadAll(resp.Body)
					results[i] = result{resp.StatusCode, string(body), resp.Header.Get("Idempotent-Replayed"), err}
				}()
			}
			close(start)
			wg.Wait()
			replays := 0
			for i, r := range results {
				if r.err != nil || r.status != http.StatusCreated || r.body != results[0].body {
					t.Fatalf("request %d: %d %q %v; want 201 %q", i, r.status, r.body, r.err, results[0].body)
				}
				if r.replayed == "true" {
					replays++
				}
			}
			if replays != n-1 {
				t.Fatalf("%d replays, want %d", replays, n-1)
			}
			if got := route.count(t, c); got != 1 {
				t.Fatalf("%d records from %d requests with one key, want 1", got, n)
			}
			if keys := countRows(t, ts, "idempotency_keys"); keys != 1 {
				t.Fatalf("%d idempotency rows, want 1", keys)
			}
		})
	}
}

// TestIdempotencyReplaysAfterRestart: the response of the first request is
// lost (the client never reads it) and the server restarts; the retry with
// the same key replays it from the database instead of storing a second
// session. The store-level test proves the key commits with the session.
func TestIdempotencyReplaysAfterRestart(t *testing.T) {
	first := newTestServer(t)
	c := first.login(t)
	lost := c.do(t, http.MethodPost, "/api/sleep", idempotentRoutes[0].body, "Idempotency-Key", "lost-response")
	lost.mustStatus(t, http.StatusCreated)
	first.Close()
	if err := first.Store.Close(); err != nil {
		t.Fatal(err)
	}

	second := newTestServer(t, func(cfg *config.Config) { cfg.DatabasePath = first.Cfg.DatabasePath })
	retry := c.on(second).do(t, http.MethodPost, "/api/sleep", idempotentRoutes[0].body, "Idempotency-Key", "lost-response")
	retry.mustStatus(t, http.StatusCreated)
	if retry.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(retry.Body, lost.Body) {
		t.Fatalf("retry after restart: %q replayed=%q, want the replay of %q", retry.Body, retry.Header.Get("Idempotent-Replayed"), lost.Body)
	}
	if n := idempotentRoutes[0].count(t, c.on(second)); n != 1 {
		t.Fatalf("%d sessions after the retry, want 1", n)
	}
}

// TestIdempotencyKeysExpireAfter30Days: after the retention period the key
// is unused again, and the prune loop removes it.
func TestIdempotencyKeysExpireAfter30Days(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	c.do(t, http.MethodPost, "/api/note", `{"date":"2025-06-17","body":"a"}`, "Idempotency-Key", "month").mustStatus(t, http.StatusCreated)
	ts.Clock.Advance(store.IdempotencyRetention - time.Minute)
	// Login sessions last hours, not a month: sign in again.
	c = ts.login(t)
	mustError(t, c.do(t, http.MethodPost, "/api/note", `{"date":"2025-06-17","body":"b"}`, "Idempotency-Key", "month"),
		http.StatusUnprocessableEntity, "idempotency_key_reused", "Idempotency-Key was already used for a different request")
	ts.Clock.Advance(time.Minute)
	// The hourly prune loop's first pass runs at once.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ts.API.PruneSessionsEvery(ctx, time.Hour); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for countRows(t, ts, "idempotency_keys") != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the prune loop left the expired key")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	resp := c.do(t, http.MethodPost, "/api/note", `{"date":"2025-06-17","body":"b"}`, "Idempotency-Key", "month")
	resp.mustStatus(t, http.StatusCreated)
	if resp.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("an expired key was replayed")
	}
}

// rawDB is a read-only connection to the test database, for counting rows
// that no API lists.
func rawDB(t *testing.T, ts *testServer) *sql.DB {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+ts.Cfg.DatabasePath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// TestIdempotencyImportCommitReplays: a commit retried with its key (its
// answer was lost) gets the committed job again instead of 409.
func TestIdempotencyImportCommitReplays(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	job := settled(t, c, startedJob(t, c.upload(t, "", octet, exportDoc)).ID)
	path := "/api/imports/" + job.ID + "/commit"
	mustError(t, c.do(t, http.MethodPost, path, nil, "Idempotency-Key", "a b"), http.StatusBadRequest, "bad_request",
		"Idempotency-Key must be 1-100 characters of A-Z, a-z, 0-9, - and _")
	first := c.do(t, http.MethodPost, path, nil, "Idempotency-Key", "commit-1").mustStatus(t, http.StatusOK)
	again := c.do(t, http.MethodPost, path, nil, "Idempotency-Key", "commit-1").mustStatus(t, http.StatusOK)
	if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
		t.Fatalf("replay %q (replayed=%q), want %q", again.Body, again.Header.Get("Idempotent-Replayed"), first.Body)
	}
	mustError(t, c.do(t, http.MethodPost, path, nil), http.StatusConflict, "conflict",
		"import is not ready to commit (state committed)")
	mustError(t, c.do(t, http.MethodPost, "/api/note", `{"date":"2025-06-17","body":"x"}`, "Idempotency-Key", "commit-1"),
		http.StatusUnprocessableEntity, "idempotency_key_reused", "Idempotency-Key was already used for a different request")
	if n := countRows(t, ts, "sleep_sessions"); n != 2 {
		t.Fatalf("%d sessions after a replayed commit, want 2", n)
	}
}
