package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/config"
	"sleeptracker/internal/store"
)

// fixedEnv is an environment made of exactly these variables.
func fixedEnv(vars map[string]string) environment {
	return func() (map[string]string, error) { return vars, nil }
}

// runCommand runs the command line to completion and returns its exit status
// and outputs.
func runCommand(t *testing.T, env environment, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, env, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, stdout, stderr := runCommand(t, fixedEnv(nil), "version")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !regexp.MustCompile(`^sleep-api dev \((unknown|[0-9a-f]{7}), go1\.\d+[^)]*\)\n$`).MatchString(stdout) {
		t.Fatalf("version line %q, want \"sleep-api dev (<commit>, go…)\"", stdout)
	}
}

func TestHelp(t *testing.T) {
	variables := []string{"DATABASE_URL", "ADMIN_EMAIL", "ADMIN_PASSWORD_HASH", "SESSION_SECRET", "COOKIE_SECURE",
		"ENABLE_HSTS", "SESSION_TTL_HOURS", "APP_TZ", "API_BIND_ADDR", "LOG_LEVEL", "TRUSTED_PROXY"}
	for _, arg := range []string{"--help", "-h", "help"} {
		code, stdout, stderr := runCommand(t, fixedEnv(nil), arg)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, usage) {
			t.Fatalf("%s: exit %d, stderr %q, stdout %q; want 0 and the usage", arg, code, stderr, stdout)
		}
		for _, v := range variables {
			if !strings.Contains(stdout, v) {
				t.Errorf("%s: the help does not list %s", arg, v)
			}
		}
		for _, def := range []string{"sqlite://./data/sleep.db", "admin@example.com", "0.0.0.0:8080", "UTC"} {
			if !strings.Contains(stdout, def) {
				t.Errorf("%s: the help does not show the default %s", arg, def)
			}
		}
		if n := strings.Count(stdout, "Environment variables"); n != 1 {
			t.Errorf("%s: %d \"Environment variables\" headings, want 1", arg, n)
		}
	}
}

func TestUnknownCommandOrFlag(t *testing.T) {
	for _, args := range [][]string{{"bogus"}, {"--bogus"}, {"serve", "extra"}, {"version", "extra"},
		{"healthcheck", "--nope"}, {"healthcheck", "extra"}} {
		code, stdout, stderr := runCommand(t, fixedEnv(nil), args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, usage) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 with the usage on stderr", args, code, stdout, stderr)
		}
	}
}

func TestServeConfigErrors(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		env  environment
		want string
	}{
		{"time zone", fixedEnv(map[string]string{"APP_TZ": "Not/AZone"}),
			`sleep-api: config: APP_TZ: unknown time zone "Not/AZone"`},
		{"boolean", fixedEnv(map[string]string{"COOKIE_SECURE": "maybe"}),
			`sleep-api: config: COOKIE_SECURE: want one of 1,true,yes,on,0,false,no,off; got "maybe"`},
		{"database scheme", fixedEnv(map[string]string{"DATABASE_URL": "postgres://db/sleep"}),
			`sleep-api: config: DATABASE_URL: unsupported scheme "postgres"`},
		{".env syntax", func() (map[string]string, error) {
			return nil, &config.Error{Variable: ".env line 3", Problem: "want KEY=value"}
		}, `sleep-api: config: .env line 3: want KEY=value`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCommand(t, tc.env, "serve")
			if code != 1 || stdout != "" || stderr != tc.want+"\n" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 1 and the one line %q", code, stdout, stderr, tc.want)
			}
		})
	}
	t.Run("database cannot be created", func(t *testing.T) {
		code, _, stderr := runCommand(t, fixedEnv(map[string]string{"DATABASE_URL": filepath.Join(blocker, "sub", "sleep.db")}))
		prefix := "sleep-api: config: DATABASE_URL: cannot open " + filepath.Join(blocker, "sub", "sleep.db") + ": "
		if code != 1 || !strings.HasPrefix(stderr, prefix) || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("exit %d, stderr %q; want 1 and one line starting %q", code, stderr, prefix)
		}
	})
}

// logWatcher collects a running server's stderr and lets the test wait for
// a line; it is safe for the server's goroutines to write to.
type logWatcher struct {
	mu      sync.Mutex
	text    bytes.Buffer
	changed chan struct{} // closed at the next write
}

func newLogWatcher() *logWatcher { return &logWatcher{changed: make(chan struct{})} }

func (w *logWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.text.Write(p)
	close(w.changed)
	w.changed = make(chan struct{})
	return len(p), nil
}

func (w *logWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.text.String()
}

// runningServer is "sleep-api serve" running in the test process.
type runningServer struct {
	cancel  context.CancelFunc
	exit    chan int
	log     *logWatcher
	baseURL string
}

var listeningLine = regexp.MustCompile(`msg="sleep-api listening" addr=(\S+)`)

// startServe runs "sleep-api serve" with vars and waits for its listening
// line; the address comes from that line (API_BIND_ADDR uses port 0).
func startServe(t *testing.T, vars map[string]string) *runningServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &runningServer{cancel: cancel, exit: make(chan int, 1), log: newLogWatcher()}
	go func() { s.exit <- run(ctx, []string{"serve"}, fixedEnv(vars), io.Discard, s.log) }()
	t.Cleanup(func() {
		cancel()
		<-s.exit
	})
	deadline := time.After(60 * time.Second)
	for {
		s.log.mu.Lock()
		changed := s.log.changed
		m := listeningLine.FindStringSubmatch(s.log.text.String())
		s.log.mu.Unlock()
		if m != nil {
			s.baseURL = "http://" + m[1]
			return s
		}
		select {
		case <-changed:
		case code := <-s.exit:
			s.exit <- code // for the cleanup
			t.Fatalf("serve exited with %d before listening:\n%s", code, s.log)
		case <-deadline:
			t.Fatalf("no listening line:\n%s", s.log)
		}
	}
}

// stop cancels the server's context (SIGINT/SIGTERM in main) and returns its exit status.
func (s *runningServer) stop() int {
	s.cancel()
	code := <-s.exit
	s.exit <- code // for the cleanup
	return code
}

// serveEnv is a development-mode configuration on the database at dbPath,
// listening on a free loopback port.
func serveEnv(dbPath string, extra ...string) map[string]string {
	vars := map[string]string{
		"DATABASE_URL":  "sqlite:" + dbPath,
		"API_BIND_ADDR": "127.0.0.1:0",
		"COOKIE_SECURE": "false",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return vars
}

// login signs in with JSON and returns the response's cookies.
func login(t *testing.T, baseURL, email, password string) (int, []*http.Cookie) {
	t.Helper()
	body := `{"email":"` + email + `","password":"` + password + `"}`
	resp, err := http.Post(baseURL+"/api/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Cookies()
}

// authenticated asks GET /api/session whether the cookies are a valid session.
func authenticated(t *testing.T, baseURL string, cookies []*http.Cookie) bool {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, baseURL+"/api/session", nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return strings.Contains(buf.String(), `"authenticated":true`)
}

var bannerPassword = regexp.MustCompile(`(?m)^  password: (.*)$`)

// storedSetting reads a setting from the database file of a stopped server.
func storedSetting(t *testing.T, dbPath, key string) string {
	t.Helper()
	st, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, ok, err := st.Setting(context.Background(), key)
	if err != nil || !ok {
		t.Fatalf("setting %s: ok=%v err=%v", key, ok, err)
	}
	return v
}

func TestServeFirstRunAndRestart(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "data", "sleep.db")

	// First start: a generated password, shown once.
	first := startServe(t, serveEnv(dbPath))
	log := first.log.String()
	matches := bannerPassword.FindAllStringSubmatch(log, -1)
	if len(matches) != 1 {
		t.Fatalf("want exactly one password line in the first-run log:\n%s", log)
	}
	password := matches[0][1]
	if !regexp.MustCompile(`^[A-Za-z0-9]{24}$`).MatchString(password) {
		t.Fatalf("generated password %q is not 24 characters of A-Z a-z 0-9", password)
	}
	port := first.baseURL[strings.LastIndex(first.baseURL, ":")+1:]
	banner := strings.Repeat("=", 60) + "\n" +
		"SleepTracker first run: sign in at http://localhost:" + port + " with\n" +
		"  email:    admin@example.com\n" +
		"  password: " + password + "\n" +
		"This password is shown only once. To choose your own, run pw-hash and set\n" +
		"ADMIN_PASSWORD_HASH (in single quotes in .env) — it always takes precedence.\n" +
		strings.Repeat("=", 60) + "\n"
	if !strings.Contains(log, banner) {
		t.Fatalf("first-run banner missing or different; log:\n%s\nwant:\n%s", log, banner)
	}
	status, cookies := login(t, first.baseURL, "admin@example.com", password)
	if status != http.StatusOK || !authenticated(t, first.baseURL, cookies) {
		t.Fatalf("login with the generated password: %d", status)
	}
	if code := first.stop(); code != 0 {
		t.Fatalf("graceful shutdown exited %d:\n%s", code, first.log)
	}
	if !strings.Contains(first.log.String(), `msg="shutting down"`) {
		t.Fatalf("no shutdown line:\n%s", first.log)
	}

	// Only the hash is stored, and it verifies the shown password.
	storedHash := storedSetting(t, dbPath, store.SettingAdminPasswordHash)
	if strings.Contains(storedHash, password) {
		t.Fatal("the database holds the password itself")
	}
	hash, err := auth.ParsePasswordHash(storedHash)
	if err != nil || !hash.Verify(password) {
		t.Fatalf("stored hash %q does not verify the shown password (%v)", storedHash, err)
	}
	if secret, err := base64.StdEncoding.DecodeString(storedSetting(t, dbPath, store.SettingSessionSecret)); err != nil || len(secret) != 32 {
		t.Fatalf("stored session secret: %d bytes, %v; want 32", len(secret), err)
	}

	// Second start: nothing about the password; the persisted secret keeps
	// the first run's session cookie valid.
	second := startServe(t, serveEnv(dbPath))
	if strings.Contains(second.log.String(), "password") || strings.Contains(second.log.String(), "first run") {
		t.Fatalf("the second start talks about the password:\n%s", second.log)
	}
	if !authenticated(t, second.baseURL, cookies) {
		t.Fatal("the session cookie of the first run does not work after a restart")
	}
	if status, _ := login(t, second.baseURL, "admin@example.com", password); status != http.StatusOK {
		t.Fatalf("login after restart: %d", status)
	}
	if code := second.stop(); code != 0 {
		t.Fatalf("second shutdown exited %d", code)
	}

	// A set SESSION_SECRET wins over the stored one: old cookies stop working.
	rotated := startServe(t, serveEnv(dbPath, "SESSION_SECRET", base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))))
	if authenticated(t, rotated.baseURL, cookies) {
		t.Fatal("a cookie sealed under the stored secret works with another SESSION_SECRET")
	}
	rotated.stop()
	if got := storedSetting(t, dbPath, store.SettingAdminPasswordHash); got != storedHash {
		t.Fatal("a restart changed the stored admin hash")
	}
}

func TestServeWithAdminPasswordHash(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "sleep.db")
	first := startServe(t, serveEnv(dbPath))
	first.stop()
	storedHash := storedSetting(t, dbPath, store.SettingAdminPasswordHash)

	const chosen = "my own chosen password"
	phc, err := auth.HashPassword(chosen)
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, serveEnv(dbPath, "ADMIN_PASSWORD_HASH", phc, "ADMIN_EMAIL", "me@example.com"))
	if strings.Contains(s.log.String(), "password:") {
		t.Fatalf("a banner with ADMIN_PASSWORD_HASH set:\n%s", s.log)
	}
	if status, _ := login(t, s.baseURL, "me@example.com", chosen); status != http.StatusOK {
		t.Fatalf("login with the ADMIN_PASSWORD_HASH password: %d", status)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("shutdown exited %d", code)
	}
	if got := storedSetting(t, dbPath, store.SettingAdminPasswordHash); got != storedHash {
		t.Fatal("ADMIN_PASSWORD_HASH overwrote the stored first-run hash")
	}
}

func TestServeInMemoryIsAlwaysAFirstRun(t *testing.T) {
	for range 2 {
		s := startServe(t, map[string]string{"DATABASE_URL": "sqlite::memory:", "API_BIND_ADDR": "127.0.0.1:0"})
		if len(bannerPassword.FindAllString(s.log.String(), -1)) != 1 {
			t.Fatalf("in-memory start without a banner:\n%s", s.log)
		}
		if !strings.Contains(s.log.String(), "db=:memory:") {
			t.Fatalf("listening line does not name the in-memory database:\n%s", s.log)
		}
		if code := s.stop(); code != 0 {
			t.Fatalf("shutdown exited %d", code)
		}
	}
}

func TestServePortInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	code, _, stderr := runCommand(t, fixedEnv(serveEnv(filepath.Join(t.TempDir(), "sleep.db"), "API_BIND_ADDR", taken.Addr().String())), "serve")
	if code != 1 || !strings.Contains(stderr, "sleep-api: listen: ") {
		t.Fatalf("exit %d, stderr %q; want 1 with \"sleep-api: listen: …\"", code, stderr)
	}
	if strings.Contains(stderr, "password:") {
		t.Fatal("the banner was printed although the server never listened")
	}
}

func TestHealthURL(t *testing.T) {
	cases := []struct{ bind, want string }{
		{"", "http://127.0.0.1:8080/health"},
		{"0.0.0.0:8080", "http://127.0.0.1:8080/health"},
		{":9000", "http://127.0.0.1:9000/health"},
		{"[::]:8080", "http://[::1]:8080/health"},
		{"127.0.0.1:3000", "http://127.0.0.1:3000/health"},
		{"192.0.2.7:80", "http://192.0.2.7:80/health"},
		{"[2001:db8::1]:8443", "http://[2001:db8::1]:8443/health"},
		{"localhost:8080", "http://localhost:8080/health"},
	}
	for _, tc := range cases {
		got, err := healthURL(tc.bind)
		if err != nil || got != tc.want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", tc.bind, got, err, tc.want)
		}
	}
	for _, bad := range []string{"8080", "host", "[::1"} {
		if _, err := healthURL(bad); err == nil {
			t.Errorf("healthURL(%q) accepted a bad address", bad)
		}
	}
}

func TestHealthcheck(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	defer healthy.Close()
	unhealthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer unhealthy.Close()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	host := func(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		code    int
		problem string // substring of the one stderr line
	}{
		{"healthy via API_BIND_ADDR", map[string]string{"API_BIND_ADDR": host(healthy)}, nil, 0, ""},
		{"healthy, 0.0.0.0 becomes loopback", map[string]string{"API_BIND_ADDR": "0.0.0.0:" + healthy.URL[strings.LastIndex(healthy.URL, ":")+1:]}, nil, 0, ""},
		{"healthy via --url", nil, []string{"--url", healthy.URL + "/health"}, 0, ""},
		{"other configuration is not read", map[string]string{"API_BIND_ADDR": host(healthy), "APP_TZ": "Not/AZone"}, nil, 0, ""},
		{"closed port", map[string]string{"API_BIND_ADDR": closedAddr}, nil, 1, "healthcheck: "},
		{"503", map[string]string{"API_BIND_ADDR": host(unhealthy)}, nil, 1, "answered 503"},
		{"bad API_BIND_ADDR", map[string]string{"API_BIND_ADDR": "nonsense"}, nil, 1, `healthcheck: API_BIND_ADDR: want host:port; got "nonsense"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCommand(t, fixedEnv(tc.env), append([]string{"healthcheck"}, tc.args...)...)
			if code != tc.code || stdout != "" {
				t.Fatalf("exit %d (stdout %q, stderr %q), want %d", code, stdout, stderr, tc.code)
			}
			if tc.code == 0 && stderr != "" {
				t.Fatalf("a healthy check printed %q", stderr)
			}
			if tc.code != 0 && (!strings.HasPrefix(stderr, "healthcheck: ") || !strings.Contains(stderr, tc.problem) || strings.Count(stderr, "\n") != 1) {
				t.Fatalf("stderr %q, want one line starting \"healthcheck: \" containing %q", stderr, tc.problem)
			}
		})
	}
	t.Run("environment error", func(t *testing.T) {
		env := func() (map[string]string, error) { return nil, errors.New("config: .env: permission denied") }
		code, _, stderr := runCommand(t, env, "healthcheck")
		if code != 1 || stderr != "healthcheck: config: .env: permission denied\n" {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
	})
}

// TestHealthcheckAgainstServe checks the real pair: a running server and the
// healthcheck command pointed at its bind address.
func TestHealthcheckAgainstServe(t *testing.T) {
	s := startServe(t, map[string]string{"DATABASE_URL": "sqlite::memory:", "API_BIND_ADDR": "127.0.0.1:0"})
	code, _, stderr := runCommand(t, fixedEnv(map[string]string{"API_BIND_ADDR": strings.TrimPrefix(s.baseURL, "http://")}), "healthcheck")
	if code != 0 || stderr != "" {
		t.Fatalf("healthcheck against a live server: exit %d, stderr %q", code, stderr)
	}
	s.stop()
}
