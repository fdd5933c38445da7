// Command importbench measures imports against the real sleep-api binary
// (SPEC §13.4, §14 performance):
//
//   - json: a ten-year SleepTracker export (3,650 nights, notes, exercise)
//     uploaded to POST /api/imports — time to the job's `ready` (the preview)
//     and the time of the commit, each run on a fresh database;
//   - apple: a synthetic Apple Health export.xml (internal/imports/
//     applehealthgen, deterministic from -seed, never committed) of each
//     -apple-mib size, uploaded until the job is `ready`, alternating with
//     the floor: the same upload to a bare server (this program re-executed
//     with -serve-floor) that writes the body to a temporary file in the same
//     folder and reads it back once — the I/O any import needs. It prints
//     both times, the ratio (target ≤ 3×) and the server's peak RSS (VmHWM;
//     a fresh server per size, target < 150 MB and not growing with the size).
//
// Usage (from the repository root; the shared machine is noisy, so runs
// alternate and the medians are compared):
//
//	go run ./cmd/importbench [-only json,apple] [-runs 3] [-apple-mib 256,1024] [-seed 1] [-keep]
//
// It uses only loopback addresses, stops its child processes and removes its
// temp folder on exit (-keep leaves it).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"sleeptracker/internal/imports/applehealthgen"
	"sleeptracker/internal/liveserver"
)

func main() {
	only := flag.String("only", "json,apple", "benchmarks to run: json, apple")
	runs := flag.Int("runs", 3, "runs per measurement (floor and import alternate)")
	appleMiB := flag.String("apple-mib", "256,1024", "sizes of the Apple Health files in MiB")
	seed := flag.Uint64("seed", 1, "generator seed")
	keep := flag.Bool("keep", false, "keep the temp folder")
	floorDir := flag.String("serve-floor", "", "internal: serve the upload floor, spooling into this folder")
	floorAddr := flag.String("floor-addr", "", "internal: the floor's listen address")
	flag.Parse()
	if *floorDir != "" {
		if err := serveFloor(*floorDir, *floorAddr); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, strings.Split(*only, ","), *runs, *appleMiB, *seed, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "importbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, only []string, runs int, appleMiB string, seed uint64, keep bool) error {
	dir, err := os.MkdirTemp("", "importbench-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("temp folder:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	binary, err := liveserver.Build(ctx, dir)
	if err != nil {
		return err
	}
	admin, err := liveserver.NewAdmin()
	if err != nil {
		return err
	}
	if slices.Contains(only, "json") {
		if err := benchJSON(ctx, dir, binary, admin, runs); err != nil {
			return err
		}
	}
	if slices.Contains(only, "apple") {
		for _, s := range strings.Split(appleMiB, ",") {
			mib, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || mib < 1 {
				return fmt.Errorf("bad -apple-mib %q", s)
			}
			if err := benchApple(ctx, dir, binary, admin, runs, mib, seed); err != nil {
				return err
			}
		}
	}
	return nil
}

// session is a signed-in client of one server.
type session struct {
	base string
	http *http.Client
	csrf string
}

func signIn(ctx context.Context, base string, admin liveserver.Admin) (*session, error) {
	jar, _ := cookiejar.New(nil)
	s := &session{base: base, http: &http.Client{Jar: jar}}
	body, _ := json.Marshal(map[string]string{"email": admin.Email, "password": admin.Password})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("login: %d", resp.StatusCode)
	}
	u, _ := url.Parse(base)
	for _, c := range jar.Cookies(u) {
		if c.Name == "csrf" {
			s.csrf = c.Value
		}
	}
	return s, nil
}

type job struct {
	ID     string `json:"id"`
	State  string `json:"state"`
	Report *struct {
		Records  int `json:"records"`
		Sessions struct {
			New, Duplicate, Overlap, Invalid int
		} `json:"sessions"`
	} `json:"report"`
	Error *struct{ Message string } `json:"error"`
}

func (s *session) do(ctx context.Context, method, path string, body io.Reader, size int64, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, body)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.ContentLength = size
		req.Header.Set("Content-Type", "application/octet-stream")
	}
	req.Header.Set("X-CSRF-Token", s.csrf)
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
	}
	return resp.StatusCode, nil
}

// importToReady uploads body and polls until the job is ready; it returns
// the job, the upload time (until 202) and the time to ready.
func (s *session) importToReady(ctx context.Context, body func() (io.Reader, int64, error)) (job, time.Duration, time.Duration, error) {
	r, size, err := body()
	if err != nil {
		return job{}, 0, 0, err
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	start := time.Now()
	var j job
	status, err := s.do(ctx, http.MethodPost, "/api/imports", r, size, &j)
	upload := time.Since(start)
	if err != nil || status != http.StatusAccepted {
		return j, 0, 0, fmt.Errorf("upload: %d %v", status, err)
	}
	for j.State == "parsing" {
		time.Sleep(10 * time.Millisecond)
		if _, err := s.do(ctx, http.MethodGet, "/api/imports/"+j.ID, nil, 0, &j); err != nil {
			return j, 0, 0, err
		}
	}
	ready := time.Since(start)
	if j.State != "ready" {
		msg := ""
		if j.Error != nil {
			msg = j.Error.Message
		}
		return j, 0, 0, fmt.Errorf("job ended %s: %s", j.State, msg)
	}
	return j, upload, ready, nil
}

func startServer(dir, binary string, admin liveserver.Admin) (*liveserver.Process, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return liveserver.Start(liveserver.Config{Binary: binary, DatabasePath: filepath.Join(dir, "sleep.db"), Admin: admin})
}

func peakMB(p *liveserver.Process) float64 {
	kib, err := p.PeakRSSKiB()
	if err != nil {
		return -1
	}
	return float64(kib) / 1024
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

// tenYearExport is a SleepTracker export of 3,650 nights (with diary items
// on every other night), a note every third day and exercise every other.
func tenYearExport() []byte {
	var b bytes.Buffer
	b.WriteString(`{"format":"sleeptracker-export","version":1,"exported_at":"2026-01-01T07:00:00Z","timezone":"Europe/Berlin","sessions":[`)
	first := time.Date(2016, 1, 2, 0, 0, 0, 0, time.UTC)
	for i := range 3650 {
		d := first.AddDate(0, 0, i).Format("2006-01-02")
		if i > 0 {
			b.WriteByte(',')
		}
		bed := fmt.Sprintf("%02d:%02d:00", 22+i%2, (i*7)%60)
		diary := `"in_bed_time":null,"waso_min":null,"out_of_bed_time":null,"rested":null,"alcohol_drinks":null,"caffeine_drinks":null,"medication":null`
		if i%2 == 0 {
			diary = `"in_bed_time":"21:50:00","waso_min":15,"out_of_bed_time":"07:10:00","rested":3,"alcohol_drinks":0,"caffeine_drinks":2,"medication":null`
		}
		fmt.Fprintf(&b, `{"date":"%s","bed_time":"%s","wake_time":"06:45:00","latency_min":%d,"awakenings":%d,"quality":%d,"duration_min":%d,%s}`,
			d, bed, 5+i%30, i%4, 1+i%5, 420, diary)
	}
	b.WriteString(`],"exercise":[`)
	for i := 0; i < 3650; i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"date":"%s","intensity":"%s","start_time":null,"duration_min":null}`,
			first.AddDate(0, 0, i).Format("2006-01-02"), []string{"none", "light", "hard"}[i%3])
	}
	b.WriteString(`],"notes":[`)
	for i := 0; i < 3650; i += 3 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"date":"%s","body":"note %d: late coffee ☕"}`, first.AddDate(0, 0, i).Format("2006-01-02"), i)
	}
	b.WriteString(`],"sleep_window":null}` + "\n")
	return b.Bytes()
}

func benchJSON(ctx context.Context, dir, binary string, admin liveserver.Admin, runs int) error {
	doc := tenYearExport()
	fmt.Printf("JSON import of a ten-year export: %d bytes, 3650 sessions, 1825 exercise records, 1217 notes\n", len(doc))
	var uploads, readies, commits []time.Duration
	var rss []float64
	for i := range runs {
		p, err := startServer(filepath.Join(dir, fmt.Sprintf("json-%d", i)), binary, admin)
		if err != nil {
			return err
		}
		err = func() error {
			defer p.Stop()
			s, err := signIn(ctx, p.URL, admin)
			if err != nil {
				return err
			}
			base := peakMB(p) // after the login's argon2 block, before the import
			j, upload, ready, err := s.importToReady(ctx, func() (io.Reader, int64, error) {
				return bytes.NewReader(doc), int64(len(doc)), nil
			})
			if err != nil {
				return err
			}
			if j.Report.Sessions.New != 3650 {
				return fmt.Errorf("preview: %+v", j.Report.Sessions)
			}
			start := time.Now()
			var done job
			if status, err := s.do(ctx, http.MethodPost, "/api/imports/"+j.ID+"/commit", nil, 0, &done); err != nil || status != http.StatusOK {
				return fmt.Errorf("commit: %d %v", status, err)
			}
			commit := time.Since(start)
			uploads, readies, commits = append(uploads, upload), append(readies, ready), append(commits, commit)
			rss = append(rss, peakMB(p))
			fmt.Printf("  run %d: upload %s, ready %s after the upload began, commit %s, peak RSS %.1f MB after login → %.1f MB\n",
				i+1, ms(upload), ms(ready), ms(commit), base, peakMB(p))
			return nil
		}()
		if err != nil {
			return err
		}
	}
	fmt.Printf("  median: ready %s, commit %s, ready+commit %s; peak RSS max %.1f MB\n\n",
		ms(median(readies)), ms(median(commits)), ms(median(readies)+median(commits)), slices.Max(rss))
	return nil
}

func benchApple(ctx context.Context, dir, binary string, admin liveserver.Admin, runs int, mib int64, seed uint64) error {
	folder := filepath.Join(dir, fmt.Sprintf("apple-%d", mib))
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return err
	}
	// The file lives outside the servers' folder, as an upload would.
	path := filepath.Join(dir, fmt.Sprintf("export-%d.xml", mib))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	genStart := time.Now()
	st, err := applehealthgen.Generate(f, applehealthgen.Options{Seed: seed, Size: mib << 20})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	defer os.Remove(path)
	fmt.Printf("Apple Health export.xml of %d MiB (%d bytes, %d records, %d sleep samples, %d nights; generated in %s)\n",
		mib, st.Bytes, st.Records, st.SleepSamples, st.Nights(), ms(time.Since(genStart)))

	p, err := startServer(folder, binary, admin)
	if err != nil {
		return err
	}
	defer p.Stop()
	floor, err := startFloor(folder)
	if err != nil {
		return err
	}
	defer floor.Stop()
	s, err := signIn(ctx, p.URL, admin)
	if err != nil {
		return err
	}
	base := peakMB(p) // after the login's argon2 block, before any import
	file := func() (io.Reader, int64, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, err
		}
		info, err := f.Stat()
		return f, info.Size(), err
	}
	var floors, readies []time.Duration
	for i := range runs {
		r, size, err := file()
		if err != nil {
			return err
		}
		start := time.Now()
		fs := &session{base: floor.URL, http: http.DefaultClient}
		status, err := fs.do(ctx, http.MethodPost, "/upload", r, size, nil)
		r.(io.Closer).Close()
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("floor upload: %d %v", status, err)
		}
		fl := time.Since(start)
		j, upload, ready, err := s.importToReady(ctx, file)
		if err != nil {
			return err
		}
		if _, err := s.do(ctx, http.MethodDelete, "/api/imports/"+j.ID, nil, 0, nil); err != nil {
			return err
		}
		floors, readies = append(floors, fl), append(readies, ready)
		fmt.Printf("  run %d: floor %s | import: upload %s, ready %s (%.2f× the floor), %d nights new, %d duplicate\n",
			i+1, ms(fl), ms(upload), ms(ready), float64(ready)/float64(fl), j.Report.Sessions.New, j.Report.Sessions.Duplicate)
	}
	ratio := float64(median(readies)) / float64(median(floors))
	fmt.Printf("  median: floor %s, ready %s, ratio %.2f× (target ≤ 3×) %s; sleep-api peak RSS %.1f MB after login → %.1f MB (target < 150 MB) %s\n\n",
		ms(median(floors)), ms(median(readies)), ratio, okText(ratio <= 3), base, peakMB(p), okText(peakMB(p) < 150))
	return nil
}

func okText(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

// startFloor re-executes this program as the bare upload server.
func startFloor(folder string) (*liveserver.Process, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return liveserver.StartOnFreePort(func(addr string) *exec.Cmd {
		return exec.Command(self, "-serve-floor", folder, "-floor-addr", addr)
	})
}

// serveFloor is the floor of SPEC §14: POST /upload writes the body to a
// temporary file in folder and reads it back once; GET /health answers 200.
func serveFloor(folder, addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		if err := spoolAndReadBack(folder, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	server := &http.Server{Addr: addr, Handler: mux}
	return server.ListenAndServe()
}

func spoolAndReadBack(folder string, body io.Reader) error {
	f, err := os.CreateTemp(folder, ".floor-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	buf := make([]byte, 256<<10)
	if _, err := io.CopyBuffer(f, body, buf); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	n, err := io.CopyBuffer(io.Discard, f, buf)
	if err == nil && n == 0 {
		err = errors.New("empty upload")
	}
	return err
}
