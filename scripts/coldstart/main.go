// Command coldstart measures what issue 11 promises about start-up and
// memory, against the real sleep-api binary (not part of CI: the figures
// depend on the machine; docs/performance.md records them):
//
//   - cold start: from exec to the first 200 of GET /api/health, each run on
//     a fresh database file (ADMIN_PASSWORD_HASH set, as in production);
//   - idle RSS: VmRSS of the server one second after that first 200;
//   - memory after a login burst: VmRSS at rest, right after a burst of
//     logins (each one argon2id derivation of 19 MiB), then every few
//     seconds for a minute.
//
// Run it with scripts/coldstart.sh (which builds the binary) or
// go run ./scripts/coldstart -binary path/to/sleep-api.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"sleeptracker/internal/liveserver"
)

func main() {
	binary := flag.String("binary", "", "sleep-api binary (default: build ./cmd/sleep-api into a temp folder)")
	runs := flag.Int("runs", 21, "cold starts to measure (the median is reported)")
	burst := flag.Int("burst", 20, "logins in the burst (0 skips the memory-after-burst phase)")
	concurrency := flag.Int("concurrency", 4, "concurrent clients of the burst")
	watch := flag.Duration("watch", time.Minute, "how long to sample RSS after the burst")
	flag.Parse()
	if err := run(*binary, *runs, *burst, *concurrency, *watch); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(binary string, runs, burst, concurrency int, watch time.Duration) error {
	dir, err := os.MkdirTemp("", "sleep-coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if binary == "" {
		if binary, err = liveserver.Build(context.Background(), dir); err != nil {
			return err
		}
	}
	admin, err := liveserver.NewAdmin()
	if err != nil {
		return err
	}
	fmt.Printf("coldstart: %s, load average %s\n", binary, loadAverage())

	var starts []time.Duration
	var idleRSS, peakRSS, anonRSS, fileRSS []float64
	for i := range runs {
		db := filepath.Join(dir, fmt.Sprintf("cold-%d", i), "sleep.db")
		if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
			return err
		}
		s, err := start(binary, db, admin)
		if err != nil {
			return err
		}
		starts = append(starts, s.coldStart)
		time.Sleep(time.Second)
		idleRSS = append(idleRSS, s.rss("VmRSS"))
		peakRSS = append(peakRSS, s.rss("VmHWM"))
		anonRSS = append(anonRSS, s.rss("RssAnon"))
		fileRSS = append(fileRSS, s.rss("RssFile"))
		s.stop()
	}
	slices.Sort(starts)
	fmt.Printf("cold start (exec → first 200 of /api/health, fresh database), %d runs: median %.1f ms, min %.1f ms, max %.1f ms\n",
		runs, ms(starts[len(starts)/2]), ms(starts[0]), ms(starts[len(starts)-1]))
	fmt.Printf("idle RSS 1 s after start: median %.1f MB = %.1f MB anonymous (heap, stacks) + %.1f MB file-backed (binary text and data); peak VmHWM median %.1f MB\n",
		median(idleRSS), median(anonRSS), median(fileRSS), median(peakRSS))

	if burst == 0 {
		return nil
	}
	db := filepath.Join(dir, "burst", "sleep.db")
	if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		return err
	}
	s, err := start(binary, db, admin)
	if err != nil {
		return err
	}
	defer s.stop()
	time.Sleep(2 * time.Second)
	rest := s.rss("VmRSS")
	fmt.Printf("login burst: RSS at rest %.1f MB\n", rest)
	began := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	next := make(chan struct{})
	for range concurrency {
		wg.Go(func() {
			for range next {
				// A fresh client per login: the right password, one argon2id derivation each.
				c := liveserver.NewClient(s.url, liveserver.NewTransport("", 1))
				status, err := c.Login(context.Background(), admin.Email, admin.Password)
				if err != nil {
					status = -1
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		})
	}
	for range burst {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	fmt.Printf("login burst: %d logins from %d clients in %.1f s, statuses %v; RSS right after %.1f MB (peak %.1f MB)\n",
		burst, concurrency, time.Since(began).Seconds(), statuses, s.rss("VmRSS"), s.rss("VmHWM"))
	end := time.Now()
	var samples []string
	returned := time.Duration(-1)
	for t := 5 * time.Second; t <= watch; t += 5 * time.Second {
		time.Sleep(time.Until(end.Add(t)))
		rss := s.rss("VmRSS")
		samples = append(samples, fmt.Sprintf("%ds %.1f", int(t.Seconds()), rss))
		if returned < 0 && rss <= rest*1.25 {
			returned = t
		}
	}
	fmt.Printf("RSS after the burst (MB): %s\n", strings.Join(samples, ", "))
	if returned >= 0 {
		fmt.Printf("back within 25 %% of rest (%.1f MB) after %s\n", rest, returned)
	} else {
		fmt.Printf("not back within 25 %% of rest (%.1f MB) after %s\n", rest, watch)
	}
	return nil
}

type server struct {
	cmd       *exec.Cmd
	url       string
	coldStart time.Duration
}

// start execs the binary on a free port and polls /api/health every 200 µs
// until it answers 200; coldStart is the time from exec to that answer.
func start(binary, db string, admin liveserver.Admin) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(binary)
	cmd.Dir = filepath.Dir(db)
	cmd.Env = []string{
		"DATABASE_URL=sqlite:" + db,
		"API_BIND_ADDR=" + addr,
		"COOKIE_SECURE=0",
		"ADMIN_EMAIL=" + admin.Email,
		"ADMIN_PASSWORD_HASH=" + admin.PasswordHash,
		"LOG_LEVEL=warn",
	}
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	url := "http://" + addr
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, url: url}
	for time.Since(began) < 10*time.Second {
		if resp, err := client.Get(url + "/api/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.coldStart = time.Since(began)
				return s, nil
			}
		}
		time.Sleep(200 * time.Microsecond)
	}
	s.stop()
	return nil, fmt.Errorf("%s did not answer /api/health within 10 s", binary)
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// rss reads a VmRSS/VmHWM line of /proc/<pid>/status, in MB.
func (s *server) rss(field string) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}
