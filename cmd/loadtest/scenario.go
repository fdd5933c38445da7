package main

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"sleeptracker/internal/liveserver"
)

// request is one HTTP call a scenario makes, with the status that counts as
// success; anything else (or no answer) is an error.
type request struct {
	method     string
	path       string
	body       []byte
	wantStatus int
	// check, when set, must accept the answer's body too.
	check func(body []byte) bool
}

// scenario drives one kind of request from every client for the run time.
type scenario struct {
	key    string // short name for -only and the targets
	name   string // what the report prints
	skip   bool   // the route is not available on this server
	client *liveserver.Client
	// next returns the request a client sends next; rng is that client's own.
	next func(rng *rand.Rand) request
}

// result is what one scenario measured.
type result struct {
	name      string
	requests  int
	errors    int
	elapsed   time.Duration
	latencies []time.Duration // sorted
	firstErr  string
}

// perSecond is the throughput of successful and failed requests together.
func (r result) perSecond() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests) / r.elapsed.Seconds()
}

// merge adds the requests of other (the same scenario in another round).
func (r result) merge(other result) result {
	merged := result{
		name:      other.name,
		requests:  r.requests + other.requests,
		errors:    r.errors + other.errors,
		elapsed:   r.elapsed + other.elapsed,
		latencies: append(slices.Clone(r.latencies), other.latencies...),
		firstErr:  r.firstErr,
	}
	if merged.firstErr == "" {
		merged.firstErr = other.firstErr
	}
	slices.Sort(merged.latencies)
	return merged
}

// percentile returns the p-th percentile latency (nearest rank).
func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(r.latencies))+0.5) - 1
	return r.latencies[min(max(rank, 0), len(r.latencies)-1)]
}

// maxRequestsPerClient bounds a client's loop and its latency slice even on
// a much faster machine than this one.
const maxRequestsPerClient = 2_000_000

// run sends requests from clients concurrent loops for duration and collects
// every latency. Each client has its own random source (seeded by its index)
// so two scenarios with the same next function ask for the same windows.
func (s scenario) run(ctx context.Context, clients int, duration time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	type clientResult struct {
		latencies []time.Duration
		errors    int
		firstErr  string
	}
	perClient := make([]clientResult, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			out := &perClient[i]
			for range maxRequestsPerClient {
				req := s.next(rng)
				began := time.Now()
				resp, err := s.client.Do(ctx, req.method, req.path, req.body)
				if ctx.Err() != nil {
					return // the run ended mid-request: neither a success nor an error
				}
				out.latencies = append(out.latencies, time.Since(began))
				if err != nil || resp.Status != req.wantStatus || (req.check != nil && !req.check(resp.Body)) {
					out.errors++
					if out.firstErr == "" {
						out.firstErr = describeFailure(req, resp, err)
					}
				}
			}
		})
	}
	wg.Wait()
	r := result{name: s.name, elapsed: time.Since(start)}
	for _, c := range perClient {
		r.latencies = append(r.latencies, c.latencies...)
		r.errors += c.errors
		if r.firstErr == "" {
			r.firstErr = c.firstErr
		}
	}
	r.requests = len(r.latencies)
	slices.Sort(r.latencies)
	return r
}

func describeFailure(req request, resp liveserver.Response, err error) string {
	if err != nil {
		return req.method + " " + req.path + ": " + err.Error()
	}
	body := string(resp.Body)
	if len(body) > 200 {
		body = body[:200] + "…"
	}
	return req.method + " " + req.path + ": status " + strconv.Itoa(resp.Status) + ", body " + body
}
