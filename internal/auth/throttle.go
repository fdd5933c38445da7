package auth

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Login throttle parameters (SPEC §4.3).
const (
	failureWindow       = 15 * time.Minute
	failuresBeforeBlock = 5
	firstBlock          = 60 * time.Second
	longestBlock        = 900 * time.Second
	maxTrackedClients   = 10000
)

// LoginThrottle counts failed logins per client IP and blocks an IP with an
// escalating lock-out once it reaches five failures in fifteen minutes.
// State is in memory only. It is safe for concurrent use.
type LoginThrottle struct {
	mu      sync.Mutex
	now     func() time.Time
	clients map[string]*throttleState
}

type throttleState struct {
	failures     []time.Time // within the last failureWindow, oldest first
	lastFailure  time.Time
	blockedUntil time.Time
	blocks       int // blocks imposed since the state was last cleared
}

// NewLoginThrottle returns an empty throttle; now is the clock (time.Now in production).
func NewLoginThrottle(now func() time.Time) *LoginThrottle {
	return &LoginThrottle{now: now, clients: map[string]*throttleState{}}
}

// RetryAfter returns how long ip remains blocked, or 0 when it may try now.
func (t *LoginThrottle) RetryAfter(ip string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	st := t.current(ip, now)
	if st == nil || !now.Before(st.blockedUntil) {
		return 0
	}
	return st.blockedUntil.Sub(now)
}

// RecordFailure counts a failed credential check for ip and blocks it when
// this failure brings it to five within fifteen minutes.
func (t *LoginThrottle) RecordFailure(ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	st := t.current(ip, now)
	if st == nil {
		if len(t.clients) >= maxTrackedClients {
			t.evictOldest()
		}
		st = &throttleState{}
		t.clients[ip] = st
	}
	st.failures = append(recentFailures(st.failures, now), now)
	st.lastFailure = now
	if len(st.failures) >= failuresBeforeBlock {
		st.blockedUntil = now.Add(blockLength(st.blocks))
		st.blocks++
	}
}

// Clear forgets ip's state, as after a successful login.
func (t *LoginThrottle) Clear(ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.clients, ip)
}

// current returns ip's state, dropping it first when it has gone stale: no
// active block and no failure in the last fifteen minutes.
func (t *LoginThrottle) current(ip string, now time.Time) *throttleState {
	st, ok := t.clients[ip]
	if !ok {
		return nil
	}
	if !now.Before(st.blockedUntil) && now.Sub(st.lastFailure) >= failureWindow {
		delete(t.clients, ip)
		return nil
	}
	return st
}

func (t *LoginThrottle) evictOldest() {
	var oldestIP string
	var oldest time.Time
	for ip, st := range t.clients {
		if oldestIP == "" || st.lastFailure.Before(oldest) {
			oldestIP, oldest = ip, st.lastFailure
		}
	}
	delete(t.clients, oldestIP)
}

func recentFailures(failures []time.Time, now time.Time) []time.Time {
	cut := 0
	for cut < len(failures) && now.Sub(failures[cut]) >= failureWindow {
		cut++
	}
	return failures[cut:]
}

// blockLength is min(60 s × 2^level, 900 s).
func blockLength(level int) time.Duration {
	if level >= 4 {
		return longestBlock
	}
	return min(firstBlock<<level, longestBlock)
}

// ErrVerifierBusy is returned when no password-check slot freed up in time.
var ErrVerifierBusy = errors.New("password verification queue is full")

// VerifierSlots bounds how many argon2 verifications run at once, so a login
// storm costs at most that many argon2 memory blocks. Waiters are served in
// arrival order (Go queues blocked channel senders FIFO).
type VerifierSlots struct {
	slots   chan struct{}
	maxWait time.Duration
}

// NewVerifierSlots allows n concurrent verifications; a caller waits at most maxWait.
func NewVerifierSlots(n int, maxWait time.Duration) *VerifierSlots {
	return &VerifierSlots{slots: make(chan struct{}, n), maxWait: maxWait}
}

// Run waits for a slot and runs fn in it, or returns ErrVerifierBusy after maxWait.
func (v *VerifierSlots) Run(ctx context.Context, fn func()) error {
	timer := time.NewTimer(v.maxWait)
	defer timer.Stop()
	select {
	case v.slots <- struct{}{}:
	case <-timer.C:
		return ErrVerifierBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-v.slots }()
	fn()
	return nil
}
