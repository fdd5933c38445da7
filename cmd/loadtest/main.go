// Command loadtest measures the real sleep-api binary on this machine.
//
// It builds ./cmd/sleep-api into a temp folder, starts it on a fresh SQLite
// file on 127.0.0.1, seeds ten years of nightly sessions through
// POST /api/sleep, signs in, and then, for a fixed time per scenario, drives
// from concurrent clients:
//
//	GET  /api/sleep/range (62 days)           vs the same query on a bare floor server
//	GET  /api/session (signed in)             vs GET /api/health (no session)
//	POST /api/sleep                           creates, each on a new date
//	GET  /api/trends/personalization (365 d)  if the route exists
//
// and finally a login storm (100 concurrent wrong passwords plus the right
// one from 127.0.0.2). It prints requests/s, p50/p99 latency and errors per
// scenario, the ratios against the floors, the server's peak RSS (VmHWM) and
// a verdict per target of docs/performance.md.
//
// The shared machine is noisy, so absolute numbers vary from run to run; the
// ratios are measured within one run, minutes apart, and vary less.
//
// Usage (from the repository root):
//
//	go run ./cmd/loadtest [-duration 10s] [-clients 8] [-storm 100]
//
// It uses only loopback addresses, stops its child processes itself, and
// removes its temp folder on exit (-keep leaves it for inspection).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"sleeptracker/internal/liveserver"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "measured time per scenario")
	warmup := flag.Duration("warmup", time.Second, "unmeasured time before each scenario")
	clients := flag.Int("clients", 8, "concurrent clients per scenario")
	storm := flag.Int("storm", 100, "concurrent wrong-password logins in the login storm (0 skips it)")
	logLevel := flag.String("log-level", "warn", "LOG_LEVEL of the server under test (info logs every request)")
	serverEnv := flag.String("server-env", "", "comma-separated NAME=value pairs added to the server's environment (e.g. GOMEMLIMIT=48MiB)")
	only := flag.String("only", "", "comma-separated scenarios to run: floor, range, health, session, create, personalization (default all)")
	rounds := flag.Int("rounds", 1, "run the scenario list this many times; targets use the totals")
	keep := flag.Bool("keep", false, "keep the temp folder (binary, databases) and print its path")
	gzip := flag.Bool("gzip", false, "clients send Accept-Encoding: gzip and decode the answers (compressed responses above 1 KiB); the default measures uncompressed")
	floorDB := flag.String("serve-floor", "", "internal: serve the floor from this database file")
	floorAddr := flag.String("floor-addr", "", "internal: the floor's listen address")
	flag.Parse()

	if *floorDB != "" {
		if err := serveFloor(*floorDB, *floorAddr); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	if *clients < 1 || *rounds < 1 || *duration <= 0 || *warmup < 0 || *storm < 0 {
		fmt.Fprintln(os.Stderr, "loadtest: -clients and -rounds must be ≥ 1, -duration > 0, -warmup and -storm ≥ 0")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout, options{duration: *duration, warmup: *warmup, clients: *clients,
		storm: *storm, logLevel: *logLevel, serverEnv: splitNonEmpty(*serverEnv),
		only: splitNonEmpty(*only), rounds: *rounds, keep: *keep, gzip: *gzip})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// options are the command-line settings of a run.
type options struct {
	duration, warmup time.Duration
	clients, storm   int
	rounds           int
	only             []string
	logLevel         string
	serverEnv        []string
	keep             bool
	gzip             bool // clients accept gzip (issue 11)
}

// Targets of the "Prove it" issue, reported as ok or MISS.
const (
	targetRangeVsFloor     = 0.70
	targetSessionVsHealth  = 0.80
	targetCreatesPerSecond = 500
	targetPeakRSSMB        = 60
	targetStormRSSMB       = 150
	targetPersonalizeP50Ms = 50
)

func run(ctx context.Context, out io.Writer, opt options) error {
	dir, err := os.MkdirTemp("", "sleep-loadtest-")
	if err != nil {
		return err
	}
	if opt.keep {
		fmt.Fprintln(out, "temp folder:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	fmt.Fprintf(out, "sleep-api load test: %d CPUs, %s, load average %s at start\n",
		runtime.NumCPU(), runtime.Version(), loadAverage())
	if opt.gzip {
		fmt.Fprintln(out, "clients send Accept-Encoding: gzip (-gzip): JSON above 1 KiB is compressed and decoded")
	}

	binary, err := liveserver.Build(ctx, dir)
	if err != nil {
		return err
	}
	admin, err := liveserver.NewAdmin()
	if err != nil {
		return err
	}
	dbPath := filepath.Join(dir, "load.db")
	server, err := liveserver.Start(liveserver.Config{Binary: binary, DatabasePath: dbPath, Admin: admin,
		LogLevel: opt.logLevel, ExtraEnv: opt.serverEnv})
	if err != nil {
		return err
	}
	defer server.Stop()
	startRSS := peakRSS(server)

	client := liveserver.NewClient(server.URL, loadTransport(opt))
	if status, err := client.Login(ctx, admin.Email, admin.Password); err != nil || status != http.StatusOK {
		return fmt.Errorf("login: status %d, err %v", status, err)
	}
	loginRSS := peakRSS(server)
	seedTime, err := seedHistory(ctx, client)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d nights (%s … %s) through POST /api/sleep with %d clients in %.1f s (%.0f creates/s)\n",
		seededNights, firstSeededNight().Format(time.DateOnly), lastSeededNight.Format(time.DateOnly),
		seedWriters, seedTime.Seconds(), seededNights/seedTime.Seconds())
	fmt.Fprintf(out, "server peak RSS: %.1f MB after start, %.1f MB after one login (argon2id, 19 MiB), %.1f MB after seeding\n",
		startRSS, loginRSS, peakRSS(server))

	floorPath := filepath.Join(dir, "floor.db")
	if err := copyDatabase(ctx, dbPath, floorPath); err != nil {
		return fmt.Errorf("copy the database for the floor: %w", err)
	}
	floor, err := startFloor(floorPath)
	if err != nil {
		return err
	}
	defer floor.Stop()
	floorClient := liveserver.NewClient(floor.URL, loadTransport(opt))

	personalization := "/api/trends/personalization?window_days=365&to=" + lastSeededNight.Format(time.DateOnly)
	probe, err := client.Do(ctx, http.MethodGet, personalization, nil)
	personalizationWired := err == nil && probe.Status == http.StatusOK
	scenarios := selectScenarios(opt.only, []scenario{
		{key: keyFloorRange, name: "floor: bare net/http GET range 62 d", client: floorClient, next: rangeRequest},
		{key: keyRange, name: "GET /api/sleep/range 62 d", client: client, next: rangeRequest},
		{key: keyHealth, name: "GET /api/health (no session)", client: client, next: fixed(http.MethodGet, "/api/health", http.StatusOK, nil)},
		{key: keySession, name: "GET /api/session (signed in)", client: client, next: fixed(http.MethodGet, "/api/session", http.StatusOK,
			func(body []byte) bool { return bytes.Contains(body, []byte("true")) })},
		{key: keyCreate, name: "POST /api/sleep (new dates)", client: client, next: createRequest()},
		{key: keyPersonalization, name: "GET /api/trends/personalization 365 d", client: client,
			next: fixed(http.MethodGet, personalization, http.StatusOK, nil), skip: !personalizationWired},
	})

	fmt.Fprintf(out, "%d clients, %s per scenario after %s of warm-up, %d round(s), 127.0.0.1, server LOG_LEVEL=%s %s\n\n",
		opt.clients, opt.duration, opt.warmup, opt.rounds, opt.logLevel, strings.Join(opt.serverEnv, " "))
	table := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(table, "scenario\trequests\treq/s\tp50 ms\tp99 ms\terrors\tserver peak RSS MB\t")
	totals := map[string]result{}
	var firstErrors []string
	for range opt.rounds {
		for _, s := range scenarios {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if opt.warmup > 0 {
				s.run(ctx, opt.clients, opt.warmup)
			}
			r := s.run(ctx, opt.clients, opt.duration)
			totals[s.key] = totals[s.key].merge(r)
			rss := peakRSS(server)
			if s.client == floorClient {
				rss = peakRSS(floor)
			}
			fmt.Fprintf(table, "%s\t%d\t%.0f\t%.2f\t%.2f\t%d\t%.1f\t\n", s.name, r.requests, r.perSecond(),
				ms(r.percentile(50)), ms(r.percentile(99)), r.errors, rss)
			if r.firstErr != "" {
				firstErrors = append(firstErrors, s.name+": "+r.firstErr)
			}
		}
	}
	table.Flush()
	for _, e := range firstErrors {
		fmt.Fprintln(out, "  first error —", e)
	}
	if !personalizationWired {
		fmt.Fprintf(out, "  personalization not measured: GET %s answered %d\n", personalization, probe.Status)
	}
	reportTargets(out, totals, peakRSS(server))

	if opt.storm > 0 {
		if err := reportStorm(ctx, out, server, admin, opt.storm); err != nil {
			return err
		}
	}
	return nil
}

// Scenario keys, for -only and for the targets.
const (
	keyFloorRange      = "floor"
	keyRange           = "range"
	keyHealth          = "health"
	keySession         = "session"
	keyCreate          = "create"
	keyPersonalization = "personalization"
)

// selectScenarios keeps the scenarios not skipped and, when only is not
// empty, named in it (comma-separated keys).
// loadTransport is the clients' transport: without compression unless -gzip,
// when Go's transport asks for gzip and decodes it, as a browser would. The
// floor gets the same transport (and never compresses).
func loadTransport(opt options) *http.Transport {
	t := liveserver.NewTransport("", opt.clients)
	t.DisableCompression = !opt.gzip
	return t
}

func selectScenarios(only []string, all []scenario) []scenario {
	var kept []scenario
	for _, s := range all {
		if !s.skip && (len(only) == 0 || slices.Contains(only, s.key)) {
			kept = append(kept, s)
		}
	}
	return kept
}

// reportTargets prints a verdict for every target whose scenarios ran, from
// the totals over all rounds.
func reportTargets(out io.Writer, totals map[string]result, loadRSS float64) {
	fmt.Fprintln(out, "\ntargets (measured in this run)")
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	defer w.Flush()
	ran := func(keys ...string) bool {
		for _, k := range keys {
			if totals[k].requests == 0 {
				return false
			}
		}
		return true
	}
	if ran(keyRange, keyFloorRange) {
		r := ratio(totals[keyRange], totals[keyFloorRange])
		verdict(w, "range reads / floor", fmt.Sprintf("%.2f", r), fmt.Sprintf("≥ %.2f", targetRangeVsFloor), r >= targetRangeVsFloor)
	}
	if ran(keySession, keyHealth) {
		r := ratio(totals[keySession], totals[keyHealth])
		verdict(w, "session check / health check", fmt.Sprintf("%.2f", r), fmt.Sprintf("≥ %.2f", targetSessionVsHealth), r >= targetSessionVsHealth)
	}
	if ran(keyCreate) {
		creates := totals[keyCreate].perSecond()
		verdict(w, "creates", fmt.Sprintf("%.0f/s", creates), fmt.Sprintf("> %d/s", targetCreatesPerSecond), creates > targetCreatesPerSecond)
	}
	if ran(keyPersonalization) {
		p50 := ms(totals[keyPersonalization].percentile(50))
		verdict(w, "personalization 365 d, p50", fmt.Sprintf("%.1f ms", p50), fmt.Sprintf("well under %d ms", targetPersonalizeP50Ms), p50 < targetPersonalizeP50Ms)
	}
	verdict(w, "server peak RSS after the load", fmt.Sprintf("%.1f MB", loadRSS), fmt.Sprintf("< %d MB", targetPeakRSSMB), loadRSS < targetPeakRSSMB)
}

// reportStorm runs the login storm on the loaded server and prints it.
func reportStorm(ctx context.Context, out io.Writer, server *liveserver.Process, admin liveserver.Admin, attempts int) error {
	storm, err := liveserver.LoginStorm(ctx, server, admin, attempts, "127.0.0.2")
	if err != nil {
		return fmt.Errorf("login storm: %w", err)
	}
	fmt.Fprintf(out, "\nlogin storm: %d concurrent wrong-password logins from 127.0.0.1 + the right one from 127.0.0.2\n", attempts)
	fmt.Fprintf(out, "  answers %v, no answer %d, all answered in %.1f s\n", storm.Statuses, storm.NoAnswer, storm.Elapsed.Seconds())
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	verdict(w, "  only 401/429, no 5xx", fmt.Sprint(storm.OnlyRejections()), "true", storm.OnlyRejections())
	verdict(w, "  right password from 127.0.0.2", fmt.Sprint(storm.RightPasswordStatus), "200", storm.RightPasswordStatus == http.StatusOK)
	stormMB := float64(storm.PeakRSSKiB) / 1024
	verdict(w, "  server peak RSS (whole run)", fmt.Sprintf("%.1f MB", stormMB), fmt.Sprintf("< %d MB", targetStormRSSMB), stormMB < targetStormRSSMB)
	return w.Flush()
}

// rangeRequest asks for a random 62-day window of the seeded history.
func rangeRequest(rng *rand.Rand) request {
	from := firstSeededNight().AddDate(0, 0, rng.IntN(seededNights-61))
	to := from.AddDate(0, 0, 61)
	return request{method: http.MethodGet, wantStatus: http.StatusOK,
		path: "/api/sleep/range?from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly),
		// 62 nights are about 8 KB of JSON; an empty list would mean a wrong query.
		check: func(body []byte) bool { return len(body) > 1000 }}
}

// fixed always sends the same bodiless request.
func fixed(method, path string, want int, check func([]byte) bool) func(*rand.Rand) request {
	return func(*rand.Rand) request {
		return request{method: method, path: path, wantStatus: want, check: check}
	}
}

// createRequest posts a night on the next unused date after the history, so
// no create is refused as an overlap.
func createRequest() func(*rand.Rand) request {
	var next atomic.Int64
	return func(*rand.Rand) request {
		date := lastSeededNight.AddDate(0, 0, int(next.Add(1)))
		body, _ := json.Marshal(night(date))
		return request{method: http.MethodPost, path: "/api/sleep", body: body, wantStatus: http.StatusCreated}
	}
}

func verdict(w io.Writer, what, measured, target string, ok bool) {
	mark := "ok"
	if !ok {
		mark = "MISS"
	}
	fmt.Fprintf(w, "%s\t%s\t(target %s)\t%s\n", what, measured, target, mark)
}

func ratio(ours, floor result) float64 {
	if floor.perSecond() == 0 {
		return 0
	}
	return ours.perSecond() / floor.perSecond()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// peakRSS is the process's VmHWM in MB, or -1 when it cannot be read.
func peakRSS(p *liveserver.Process) float64 {
	kib, err := p.PeakRSSKiB()
	if err != nil {
		return -1
	}
	return float64(kib) / 1024
}

// splitNonEmpty splits a comma-separated list, dropping empty items.
func splitNonEmpty(list string) []string {
	var items []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// loadAverage is the first three fields of /proc/loadavg, to record how busy
// the shared machine was.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}
