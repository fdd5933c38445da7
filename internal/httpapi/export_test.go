package httpapi

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// GET /api/export (SPEC §13.1) over real HTTP on a real database file.

// fillExportSample writes one of each kind of record through the API.
func fillExportSample(t *testing.T, c *testClient) {
	t.Helper()
	postSleep(t, c, sleepBody("2025-06-17", "13:00", "13:35"))
	postSleep(t, c, sleepBody("2025-06-17", "23:05", "06:30", "in_bed_time", "22:40", "waso_min", 20,
		"out_of_bed_time", "06:50", "rested", 3, "alcohol_drinks", 0, "caffeine_drinks", 2,
		"medication", "@melatonin", "exercise_intensity", "light", "note", "=HYPERLINK(\"http://x\")"))
	createdID(t, c.do(t, http.MethodPost, "/api/exercise", map[string]any{"date": "2025-06-16", "intensity": "hard",
		"start_time": "18:00", "duration_min": 30}))
	createdID(t, c.do(t, http.MethodPost, "/api/note", map[string]any{"date": "2025-06-17", "body": "second, \"quoted\""}))
	c.do(t, http.MethodPost, "/api/settings/timezone", map[string]any{"timezone": "Pacific/Honolulu"}).mustStatus(t, http.StatusNoContent)
	c.do(t, http.MethodPut, "/api/diary/sleep-window", map[string]any{"wake_time": "06:30", "window_min": 345}).
		mustStatus(t, http.StatusNoContent)
}

func TestExportJSON(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	fillExportSample(t, c)
	resp := c.do(t, http.MethodGet, "/api/export", nil).mustStatus(t, http.StatusOK)
	// The clock is 2025-06-20T08:00Z: in Honolulu (UTC−10) it is still the 19th.
	mustHeader(t, resp, "Content-Disposition", `attachment; filename="sleeptracker-export-2025-06-19.json"`)
	mustHeader(t, resp, "Content-Type", "application/json")
	mustHeader(t, resp, "Cache-Control", "no-store")
	body := string(resp.Body)
	for _, want := range []string{
		`{"format":"sleeptracker-export","version":1,"exported_at":"2025-06-20T08:00:00Z","timezone":"Pacific/Honolulu","sessions":[`,
		`{"date":"2025-06-17","bed_time":"23:05:00","wake_time":"06:30:00","latency_min":10,"awakenings":1,"quality":4,"duration_min":445,` +
			`"in_bed_time":"22:40:00","waso_min":20,"out_of_bed_time":"06:50:00","rested":3,"alcohol_drinks":0,"caffeine_drinks":2,"medication":"@melatonin"},` +
			`{"date":"2025-06-17","bed_time":"13:00:00"`,
		`"exercise":[{"date":"2025-06-16","intensity":"hard","start_time":"18:00:00","duration_min":30},{"date":"2025-06-17","intensity":"light","start_time":null,"duration_min":null}]`,
		`"notes":[{"date":"2025-06-17","body":"=HYPERLINK(\"http://x\")"},{"date":"2025-06-17","body":"second, \"quoted\""}]`,
		`"sleep_window":{"wake_time":"06:30:00","window_min":345,"since":"2025-06-19"}}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("export lacks %s\nin %s", want, body)
		}
	}
	if strings.Contains(body, `"id"`) {
		t.Error("the export carries ids")
	}
}

// TestExportHoldsNoSecrets: the password hash, the session secret, login
// sessions (their CSRF tokens) and friction telemetry never appear.
func TestExportHoldsNoSecrets(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	fillExportSample(t, c)
	c.do(t, http.MethodPost, "/api/personalization/friction-telemetry", map[string]any{"form_time_ms": 4321,
		"error_kind": "validation", "retry_count": 1, "immediate_edit": true, "follow_up_failure": false})
	if err := ts.Store.PutSetting(t.Context(), "admin_password_hash", "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0$aGFzaA"); err != nil {
		t.Fatal(err)
	}
	secret := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("s", 32)))
	if err := ts.Store.PutSetting(t.Context(), "session_secret", secret); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "csv"} {
		body := string(c.do(t, http.MethodGet, "/api/export?format="+format, nil).mustStatus(t, http.StatusOK).Body)
		for _, secretText := range []string{"argon2", secret, c.csrf, "4321", "validation", "session_secret"} {
			if strings.Contains(body, secretText) {
				t.Errorf("%s export contains %q", format, secretText)
			}
		}
	}
}

func TestExportCSV(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	fillExportSample(t, c)
	resp := c.do(t, http.MethodGet, "/api/export?format=csv", nil).mustStatus(t, http.StatusOK)
	mustHeader(t, resp, "Content-Type", "text/csv; charset=utf-8")
	mustHeader(t, resp, "Content-Disposition", `attachment; filename="sleeptracker-export-2025-06-19.csv"`)
	want := "date,bed_time,wake_time,duration_min,latency_min,awakenings,quality,in_bed_time,waso_min,out_of_bed_time," +
		"rested,alcohol_drinks,caffeine_drinks,medication,exercise_intensity,notes\r\n" +
		"2025-06-17,23:05:00,06:30:00,445,10,1,4,22:40:00,20,06:50:00,3,0,2,'@melatonin,light," +
		"\"'=HYPERLINK(\"\"http://x\"\") | second, \"\"quoted\"\"\"\r\n" +
		"2025-06-17,13:00:00,13:35:00,35,10,1,4,,,,,,,,light," +
		"\"'=HYPERLINK(\"\"http://x\"\") | second, \"\"quoted\"\"\"\r\n"
	if string(resp.Body) != want {
		t.Fatalf("CSV:\n got %q\nwant %q", resp.Body, want)
	}
	if _, err := csv.NewReader(strings.NewReader(want)).ReadAll(); err != nil {
		t.Fatal(err)
	}
}

func TestExportChecks(t *testing.T) {
	ts := newTestServer(t)
	mustError(t, ts.anonymous().do(t, http.MethodGet, "/api/export", nil), http.StatusUnauthorized,
		"unauthorized", "authentication required")
	c := ts.login(t)
	for _, q := range []string{"?format=xml", "?format=", "?format=JSON", "?format=csvx"} {
		mustError(t, c.do(t, http.MethodGet, "/api/export"+q, nil), http.StatusBadRequest,
			"bad_request", "format must be one of json, csv")
	}
	// A repeated parameter uses its first occurrence.
	resp := c.do(t, http.MethodGet, "/api/export?format=csv&format=xml", nil).mustStatus(t, http.StatusOK)
	mustHeader(t, resp, "Content-Type", "text/csv; charset=utf-8")
	head := c.do(t, http.MethodHead, "/api/export", nil).mustStatus(t, http.StatusOK)
	if len(head.Body) != 0 || head.Header.Get("Content-Disposition") == "" {
		t.Fatalf("HEAD: %d bytes, headers %v", len(head.Body), head.Header)
	}
	empty := c.do(t, http.MethodGet, "/api/export", nil).mustStatus(t, http.StatusOK)
	var doc map[string]json.RawMessage
	empty.JSON(t, &doc)
	if string(doc["sessions"]) != "[]" || string(doc["timezone"]) != "null" || string(doc["sleep_window"]) != "null" {
		t.Fatalf("empty export %s", empty.Body)
	}
}

// TestExportOutlivesTheWriteTimeout: on a server whose whole-request
// timeouts are far shorter than the download, a slowly read export still
// arrives complete, because file routes extend the deadlines as bytes move
// (Part II intro). Small socket buffers on both ends make the server wait for
// the reader instead of handing the whole body to the kernel at once.
func TestExportOutlivesTheWriteTimeout(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	insertNotes(t, ts.Cfg.DatabasePath, 2000, 1000)
	resp := slowGet(t, ts, c, "/api/export", 300*time.Millisecond)
	var doc struct{ Notes []json.RawMessage }
	if err := json.Unmarshal(resp, &doc); err != nil || len(doc.Notes) != 2000 {
		t.Fatalf("slow export incomplete: %d notes, %v", len(doc.Notes), err)
	}
}

// insertNotes writes n notes of size bytes straight into the database file
// in one transaction (2000 API calls would each wait for an fsync).
func insertNotes(t testing.TB, path string, n, size int) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		body := fmt.Sprintf("%0*d", size, i)
		if _, err := tx.Exec("INSERT INTO notes (date, body) VALUES (?, ?)", "2024-01-01", body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// slowGet serves ts's handler from a server with the given whole-request
// read and write timeouts and 16 KiB socket buffers, reads path with c's
// cookies 16 KiB every 20 ms, and returns the body. It fails unless the read
// outlasts the timeout several times over.
func slowGet(t *testing.T, ts *testServer, c *testClient, path string, timeout time.Duration) []byte {
	t.Helper()
	slow := httptest.NewUnstartedServer(ts.API.Handler())
	slow.Config.WriteTimeout = timeout
	slow.Config.ReadTimeout = timeout
	slow.Listener = smallBufferListener{slow.Listener}
	slow.Start()
	defer slow.Close()
	dialer := &net.Dialer{Control: func(_, _ string, raw syscall.RawConn) error {
		return raw.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10)
		})
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
	req, _ := http.NewRequest(http.MethodGet, slow.URL+path, nil)
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	start := time.Now()
	var got bytes.Buffer
	buf := make([]byte, 16<<10)
	for {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %s and %d bytes: %v", time.Since(start), got.Len(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if took := time.Since(start); took < 3*timeout {
		t.Fatalf("the read took only %s; the test needs it to outlast the %s timeout", took, timeout)
	}
	return got.Bytes()
}

// smallBufferListener gives every accepted connection a 16 KiB send buffer.
type smallBufferListener struct{ net.Listener }

func (l smallBufferListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetWriteBuffer(16 << 10)
	}
	return conn, err
}
