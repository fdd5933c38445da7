package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/liveserver"
)

// Abuse handling of the real binary (SPEC §3.4 body limit, §3.9 connection
// limits, §4.3 login storms): every hostile request gets a 4xx or a closed
// connection, and the server keeps answering /health.

// requireHealthy fails the test unless /health answers 200 right now.
func requireHealthy(t *testing.T, p *liveserver.Process, after string) {
	t.Helper()
	resp, err := liveserver.NewClient(p.URL, nil).Do(context.Background(), http.MethodGet, "/health", nil)
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("after %s: /health status %d, err %v", after, resp.Status, err)
	}
}

// rawExchange writes request on a fresh connection (from a goroutine, so a
// server that answers before reading everything is not blocked by us) and
// returns the status of the answer, or 0 when the server closed the
// connection without one.
func rawExchange(t *testing.T, addr string, request []byte) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	go func() { _, _ = conn.Write(request) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0
		}
		t.Fatalf("reading the answer: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// requestWithHeaders is a GET of path with extra header lines.
func requestWithHeaders(path string, headers []string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n", path)
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func TestAbuseIsRejectedAndServerKeepsServing(t *testing.T) {
	p := startLive(t, liveBinary(t), filepath.Join(t.TempDir(), "abuse.db"))
	client := liveLogin(t, p)
	ctx := context.Background()

	manyHeaders := make([]string, 10_000)
	for i := range manyHeaders {
		manyHeaders[i] = fmt.Sprintf("X-Abuse-%05d: %d", i, i)
	}
	hugeHeader := []string{"Cookie: session=" + strings.Repeat("a", 70<<10)}
	longQuery := "/api/sleep/range?from=2025-01-01&to=2025-01-02&pad=" + strings.Repeat("x", 100_000)
	longPath := "/api/" + strings.Repeat("p", 100_000)

	deepArray := strings.Repeat("[", 60_000)                        // fits in 64 KiB, nests past encoding/json's limit
	deepInObject := `{"email":` + strings.Repeat("[", 60_000) + `}` // the same inside an object
	deepTooBig := strings.Repeat("[", 100_000)                      // over 64 KiB: the size check answers first
	bigJSON := `{"email":"a","password":"` + strings.Repeat("p", 100<<10) + `"}`

	headerCases := []struct {
		name    string
		request []byte
		want    []int // acceptable statuses
	}{
		{"10 000 headers", requestWithHeaders("/health", manyHeaders), []int{431}},
		{"one 70 KiB header", requestWithHeaders("/api/session", hugeHeader), []int{431}},
		{"100 KB query string", requestWithHeaders(longQuery, nil), []int{414, 431, 400}},
		{"100 KB path", requestWithHeaders(longPath, nil), []int{414, 431, 400}},
	}
	for _, tc := range headerCases {
		t.Run(tc.name, func(t *testing.T) {
			status := rawExchange(t, p.Addr, tc.request)
			t.Logf("%d bytes of request → %d", len(tc.request), status)
			if !containsStatus(tc.want, status) {
				t.Errorf("status %d, want one of %v", status, tc.want)
			}
			requireHealthy(t, p, tc.name)
		})
	}

	bodyCases := []struct {
		name        string
		client      *liveserver.Client
		path        string
		contentType string
		body        string
		chunked     bool // hide the length, so the limit must stop the read
		wantStatus  int
		wantCode    string
	}{
		{"100 KiB login body", liveserver.NewClient(p.URL, nil), "/api/login", "application/json", bigJSON, false, 413, "payload_too_large"},
		{"100 KiB login body, chunked", liveserver.NewClient(p.URL, nil), "/api/login", "application/json", bigJSON, true, 413, "payload_too_large"},
		{"100 KiB form login", liveserver.NewClient(p.URL, nil), "/login", "application/x-www-form-urlencoded",
			"email=a&password=" + strings.Repeat("p", 100<<10), false, 413, "payload_too_large"},
		{"100 KiB note, chunked", client, "/api/note", "application/json",
			`{"date":"2025-01-01","body":"` + strings.Repeat("n", 100<<10) + `"}`, true, 413, "payload_too_large"},
		{"60 000 nested arrays", liveserver.NewClient(p.URL, nil), "/api/login", "application/json", deepArray, false, 400, "bad_request"},
		{"60 000 nested arrays in an object", client, "/api/sleep", "application/json", deepInObject, false, 400, "bad_request"},
		{"100 000 nested arrays", client, "/api/sleep", "application/json", deepTooBig, true, 413, "payload_too_large"},
	}
	for _, tc := range bodyCases {
		t.Run(tc.name, func(t *testing.T) {
			resp := postRaw(t, tc.client, tc.path, tc.contentType, tc.body, tc.chunked)
			var envelope struct{ Code string }
			_ = json.Unmarshal(resp.Body, &envelope)
			if resp.Status != tc.wantStatus || envelope.Code != tc.wantCode {
				t.Errorf("status %d code %q, want %d %q; body %.200s", resp.Status, envelope.Code, tc.wantStatus, tc.wantCode, resp.Body)
			}
			requireHealthy(t, p, tc.name)
		})
	}

	t.Run("slow clients", func(t *testing.T) {
		slowClientsAreCutOff(t, p)
	})

	// The signed-in client still works after all of the above.
	if resp, err := client.Do(ctx, http.MethodGet, "/api/session", nil); err != nil || !bytes.Contains(resp.Body, []byte(`true`)) {
		t.Errorf("session after the abuse: %s, err %v", resp.Body, err)
	}
}

func containsStatus(statuses []int, status int) bool {
	for _, s := range statuses {
		if s == status {
			return true
		}
	}
	return false
}

// postRaw posts body with the given content type through c's cookies; a
// chunked post hides the length behind a reader the client cannot measure.
func postRaw(t *testing.T, c *liveserver.Client, path, contentType, body string, chunked bool) liveserver.Response {
	t.Helper()
	var reader io.Reader = strings.NewReader(body)
	if chunked {
		reader = io.MultiReader(reader) // not a *strings.Reader: Content-Length stays unknown
	}
	resp, err := c.DoRequest(context.Background(), http.MethodPost, path, contentType, reader)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	return resp
}

// slowClientsCount is how many slow-header and slow-body connections are held
// open at once: far more than a browser opens, so a server that spent a
// thread or a slot per connection would stop answering.
const slowClientsCount = 100

// slowClientsAreCutOff opens slowClientsCount connections that send their
// headers a line at a time (slowloris) and as many that announce a body and
// send it a byte at a time, checks that /health answers meanwhile, and that
// the server closes every slow-header connection (ReadHeaderTimeout, 10 s)
// while the client is still trickling. Slow bodies are bounded by the 30 s
// ReadTimeout, longer than this test waits; it checks only that they do not
// block anyone.
func slowClientsAreCutOff(t *testing.T, p *liveserver.Process) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	cutOff := make(chan error, slowClientsCount)
	for i := range slowClientsCount {
		wg.Go(func() {
			cutOff <- trickleHeaders(p.Addr, i, stop)
		})
		wg.Go(func() {
			trickleBody(p.Addr, stop)
		})
	}
	// While all of them hang on, the server answers everyone else.
	for range 5 {
		time.Sleep(200 * time.Millisecond)
		requireHealthy(t, p, "opening slow connections")
	}
	closed := 0
	for range slowClientsCount {
		if err := <-cutOff; err != nil {
			t.Error(err)
			continue
		}
		closed++
	}
	close(stop)
	wg.Wait()
	if closed != slowClientsCount {
		t.Errorf("%d of %d slow-header connections were closed by the server", closed, slowClientsCount)
	}
	requireHealthy(t, p, "slow clients")
}

// trickleHeaders sends a request's header lines one every 500 ms and never
// the blank line that ends them. It returns nil once the server has closed
// the connection without answering, or an error if the server answered, or
// let it trickle for 30 s (three times ReadHeaderTimeout).
func trickleHeaders(addr string, i int, stop <-chan struct{}) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	closedByServer := make(chan error, 1)
	go func() {
		_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		n, err := conn.Read(make([]byte, 1))
		switch {
		case n > 0:
			closedByServer <- fmt.Errorf("slow-header connection %d got an answer", i)
		case errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || isReset(err):
			closedByServer <- nil
		default:
			closedByServer <- fmt.Errorf("slow-header connection %d still open after 30 s: %v", i, err)
		}
	}()
	_, _ = fmt.Fprintf(conn, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	for line := 0; ; line++ {
		select {
		case err := <-closedByServer:
			return err
		case <-stop:
			return errors.New("stopped before the server closed the connection")
		case <-ticker.C:
			_, _ = fmt.Fprintf(conn, "X-Slow-%d: %d\r\n", line, line)
		}
	}
}

// trickleBody announces a 1000-byte login body and sends a byte every 500 ms
// until stop.
func trickleBody(addr string, stop <-chan struct{}) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return
	}
	defer conn.Close()
	_, _ = fmt.Fprintf(conn, "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ticker.C:
			if _, err := conn.Write([]byte(" ")); err != nil {
				return
			}
		}
	}
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

// TestLoginStorm sends 100 concurrent wrong-password logins (SPEC §4.3):
// every answer is 401 or 429 — none 5xx, none dropped — the server's peak
// RSS stays under 150 MB because at most two argon2 checks run at once, and
// the right password still works from another client address meanwhile.
func TestLoginStorm(t *testing.T) {
	p := startLive(t, liveBinary(t), filepath.Join(t.TempDir(), "storm.db"))
	result, err := liveserver.LoginStorm(context.Background(), p, testAdmin(t), 100, "127.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("statuses %v, no answer %d, right password %d, peak RSS %d KiB", result.Statuses, result.NoAnswer,
		result.RightPasswordStatus, result.PeakRSSKiB)
	if !result.OnlyRejections() {
		t.Errorf("wrong-password logins answered %v (%d without answer); want only 401 and 429", result.Statuses, result.NoAnswer)
	}
	if result.RightPasswordStatus != http.StatusOK {
		t.Errorf("the right password from another client got %d, want 200", result.RightPasswordStatus)
	}
	if limitKiB := int64(150 << 10); result.PeakRSSKiB >= limitKiB {
		t.Errorf("peak RSS %d KiB, want under 150 MB", result.PeakRSSKiB)
	}
	requireHealthy(t, p, "the login storm")
}
