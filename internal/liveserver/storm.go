package liveserver

import (
	"context"
	"sync"
	"time"
)

// StormResult is what a login storm observed.
type StormResult struct {
	// Statuses counts the answers to the wrong-password logins by status.
	Statuses map[int]int
	// NoAnswer counts wrong-password logins that got no HTTP answer at all.
	NoAnswer int
	// RightPasswordStatus is the answer to the correct login sent from the
	// other source address while the storm ran (0: no answer).
	RightPasswordStatus int
	// Elapsed is the time until every login had its answer.
	Elapsed time.Duration
	// PeakRSSKiB is the server's VmHWM after the storm.
	PeakRSSKiB int64
}

// OnlyRejections reports whether every wrong-password login was answered 401
// or 429 — no 5xx (in particular no 503 from a full password-check queue)
// and no dropped connection.
func (r StormResult) OnlyRejections() bool {
	total := 0
	for status, n := range r.Statuses {
		if status != 401 && status != 429 {
			return false
		}
		total += n
	}
	return r.NoAnswer == 0 && total > 0
}

// LoginStorm sends attempts wrong-password logins for admin at once, each on
// its own connection from 127.0.0.1, and — released at the same moment — one
// correct login from otherSourceIP (another loopback address such as
// 127.0.0.2, so the storm's throttle block on 127.0.0.1 does not apply to
// it). It waits for every answer.
func LoginStorm(ctx context.Context, p *Process, admin Admin, attempts int, otherSourceIP string) (StormResult, error) {
	storm := NewClient(p.URL, NewTransport("127.0.0.1", attempts))
	other := NewClient(p.URL, NewTransport(otherSourceIP, 1))
	result := StormResult{Statuses: map[int]int{}}
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		release = make(chan struct{})
	)
	for range attempts {
		wg.Go(func() {
			<-release
			status, err := storm.Login(ctx, admin.Email, admin.Password+"-wrong")
			mu.Lock()
			defer mu.Unlock()
			if err != nil || status == 0 {
				result.NoAnswer++
				return
			}
			result.Statuses[status]++
		})
	}
	wg.Go(func() {
		<-release
		status, _ := other.Login(ctx, admin.Email, admin.Password)
		mu.Lock()
		defer mu.Unlock()
		result.RightPasswordStatus = status
	})
	start := time.Now()
	close(release)
	wg.Wait()
	result.Elapsed = time.Since(start)
	rss, err := p.PeakRSSKiB()
	result.PeakRSSKiB = rss
	return result, err
}
