package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"sleeptracker/internal/liveserver"
	"sleeptracker/internal/sleep"
)

func TestPercentileIsNearestRank(t *testing.T) {
	r := result{}
	for i := 1; i <= 200; i++ {
		r.latencies = append(r.latencies, time.Duration(i)*time.Millisecond)
	}
	cases := []struct {
		p    float64
		want time.Duration
	}{
		{50, 100 * time.Millisecond},
		{99, 198 * time.Millisecond},
		{100, 200 * time.Millisecond},
		{0, 1 * time.Millisecond},
	}
	for _, tc := range cases {
		if got := r.percentile(tc.p); got != tc.want {
			t.Errorf("p%v = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := (result{}).percentile(50); got != 0 {
		t.Errorf("p50 of nothing = %v, want 0", got)
	}
}

// The seeded history must be valid API input, or seeding fails half-way.
func TestSeededNightsAreValidAndDeterministic(t *testing.T) {
	first := firstSeededNight()
	for i := range seededNights {
		date := first.AddDate(0, 0, i)
		body, err := json.Marshal(night(date))
		if err != nil {
			t.Fatal(err)
		}
		var fields sleep.Fields
		if err := json.Unmarshal(body, &fields); err != nil {
			t.Fatal(err)
		}
		in, err := sleep.ParseSleepInput(fields)
		if err != nil {
			t.Fatalf("night %s: %v (%s)", date.Format(time.DateOnly), err, body)
		}
		if _, _, err := sleep.ComputeDuration(in.Date, in.Bed, in.Wake, time.UTC); err != nil {
			t.Fatalf("night %s: %v", date.Format(time.DateOnly), err)
		}
		again, _ := json.Marshal(night(date))
		if string(again) != string(body) {
			t.Fatalf("night %s differs between calls", date.Format(time.DateOnly))
		}
	}
}

// A scenario counts every answer it waited for, and an unexpected status or
// a failed body check as an error.
func TestScenarioCountsErrors(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := served.Add(1)
		switch {
		case r.URL.Path == "/bad-body":
			_, _ = w.Write([]byte("short"))
		case n%2 == 0:
			w.WriteHeader(http.StatusInternalServerError)
		default:
			_, _ = w.Write([]byte("long enough"))
		}
	}))
	defer srv.Close()
	client := liveserver.NewClient(srv.URL, nil)

	cases := []struct {
		path        string
		wantErrors  func(r result) bool
		description string
	}{
		{"/flaky", func(r result) bool { return r.errors > 0 && r.errors < r.requests }, "some but not all requests fail"},
		{"/bad-body", func(r result) bool { return r.errors == r.requests }, "every body check fails"},
	}
	for _, tc := range cases {
		s := scenario{name: tc.path, client: client, next: func(*rand.Rand) request {
			return request{method: http.MethodGet, path: tc.path, wantStatus: http.StatusOK,
				check: func(body []byte) bool { return len(body) > 5 }}
		}}
		r := s.run(context.Background(), 2, 200*time.Millisecond)
		if r.requests == 0 || !tc.wantErrors(r) {
			t.Errorf("%s: %d requests, %d errors; want: %s", tc.path, r.requests, r.errors, tc.description)
		}
		if r.errors > 0 && r.firstErr == "" {
			t.Errorf("%s: errors without a first error message", tc.path)
		}
	}
}

func TestSplitNonEmpty(t *testing.T) {
	got := splitNonEmpty(" GOMEMLIMIT=48MiB, ,GOGC=50,")
	if len(got) != 2 || got[0] != "GOMEMLIMIT=48MiB" || got[1] != "GOGC=50" {
		t.Errorf("splitNonEmpty = %q", got)
	}
	if got := splitNonEmpty(""); len(got) != 0 {
		t.Errorf("splitNonEmpty(\"\") = %q", got)
	}
}

func TestMergeAddsRounds(t *testing.T) {
	a := result{requests: 2, errors: 1, elapsed: time.Second, latencies: []time.Duration{1, 3}, firstErr: "first"}
	b := result{requests: 1, elapsed: time.Second, latencies: []time.Duration{2}, firstErr: "second"}
	m := result{}.merge(a).merge(b)
	if m.requests != 3 || m.errors != 1 || m.elapsed != 2*time.Second || m.firstErr != "first" {
		t.Errorf("merged = %+v", m)
	}
	if m.perSecond() != 1.5 || m.percentile(50) != 2 {
		t.Errorf("merged rate %v, p50 %v; want 1.5 and 2", m.perSecond(), m.percentile(50))
	}
	if len(a.latencies) != 2 {
		t.Error("merge changed its receiver's latencies")
	}
}
