package auth

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ThrottlePolicy says when a FailureThrottle blocks a client: once a failure
// brings the client's failures within Window to FailuresBeforeBlock, it is
// blocked for min(FirstBlock × 2^level, LongestBlock), where level counts the
// blocks imposed since its state was last cleared. At most MaxClients are
// tracked; when full, the one with the oldest last failure is dropped.
type ThrottlePolicy struct {
	Window              time.Duration
	FailuresBeforeBlock int
	FirstBlock          time.Duration
	LongestBlock        time.Duration
	MaxClients          int
}

// LoginPolicy is the login throttle of SPEC §4.3: 5 failures in 15 minutes,
// then 60 s doubling to 15 minutes.
var LoginPolicy = ThrottlePolicy{
	Window:              15 * time.Minute,
	FailuresBeforeBlock: 5,
	FirstBlock:          60 * time.Second,
	LongestBlock:        900 * time.Second,
	MaxClients:          10000,
}

// BearerPolicy is the throttle of failed bearer requests (SPEC §16): 20
// failures in 15 minutes, then 60 s doubling to 15 minutes. It is more
// lenient than logins because a forgotten cron job with a revoked token
// fails on every run, and a separate throttle so that it never locks its
// owner out of the login page.
var BearerPolicy = ThrottlePolicy{
	Window:              15 * time.Minute,
	FailuresBeforeBlock: 20,
	FirstBlock:          60 * time.Second,
	LongestBlock:        900 * time.Second,
	MaxClients:          10000,
}

// FailureThrottle counts failures per client IP and blocks an IP with an
// escalating lock-out by its policy. State is in memory only. It is safe for
// concurrent use.
type FailureThrottle struct {
	mu      sync.Mutex
	now     func() time.Time
	policy  ThrottlePolicy
	clients map[string]*throttleState
}

type throttleState struct {
	failures     []time.Time // within the policy's window, oldest first
	lastFailure  time.Time
	blockedUntil time.Time
	blocks       int // blocks imposed since the state was last cleared
}

// NewFailureThrottle returns an empty throttle with policy; now is the clock
// (time.Now in production).
func NewFailureThrottle(now func() time.Time, policy ThrottlePolicy) *FailureThrottle {
	return &FailureThrottle{now: now, policy: policy, clients: map[string]*throttleState{}}
}

// NewLoginThrottle returns an empty throttle with LoginPolicy.
func NewLoginThrottle(now func() time.Time) *FailureThrottle {
	return NewFailureThrottle(now, LoginPolicy)
}

// NewBearerThrottle returns an empty throttle with BearerPolicy.
func NewBearerThrottle(now func() time.Time) *FailureThrottle {
	return NewFailureThrottle(now, BearerPolicy)
}

// RetryAfter returns how long ip remains blocked, or 0 when it may try now.
func (t *FailureThrottle) RetryAfter(ip string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	st := t.current(ip, now)
	if st == nil || !now.Before(st.blockedUntil) {
		return 0
	}
	return st.blockedUntil.Sub(now)
}

// RecordFailure counts a failure for ip and blocks it when this failure
// brings it to the policy's count within the policy's window.
func (t *FailureThrottle) RecordFailure(ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	st := t.current(ip, now)
	if st == nil {
		if len(t.clients) >= t.policy.MaxClients {
			t.evictOldest()
		}
		st = &throttleState{}
		t.clients[ip] = st
	}
	st.failures = append(t.recentFailures(st.failures, now), now)
	st.lastFailure = now
	if len(st.failures) >= t.policy.FailuresBeforeBlock {
		st.blockedUntil = now.Add(t.policy.blockLength(st.blocks))
		st.blocks++
	}
}

// Clear forgets ip's state, as after a successful login.
func (t *FailureThrottle) Clear(ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.clients, ip)
}

// current returns ip's state, dropping it first when it has gone stale: no
// active block and no failure within the policy's window.
func (t *FailureThrottle) current(ip string, now time.Time) *throttleState {
	st, ok := t.clients[ip]
	if !ok {
		return nil
	}
	if !now.Before(st.blockedUntil) && now.Sub(st.lastFailure) >= t.policy.Window {
		delete(t.clients, ip)
		return nil
	}
	return st
}

func (t *FailureThrottle) evictOldest() {
	var oldestIP string
	var oldest time.Time
	for ip, st := range t.clients {
		if oldestIP == "" || st.lastFailure.Before(oldest) {
			oldestIP, oldest = ip, st.lastFailure
		}
	}
	delete(t.clients, oldestIP)
}

func (t *FailureThrottle) recentFailures(failures []time.Time, now time.Time) []time.Time {
	cut := 0
	for cut < len(failures) && now.Sub(failures[cut]) >= t.policy.Window {
		cut++
	}
	return failures[cut:]
}

// blockLength is min(FirstBlock × 2^level, LongestBlock).
func (p ThrottlePolicy) blockLength(level int) time.Duration {
	block := p.FirstBlock
	for range level {
		if block >= p.LongestBlock {
			break
		}
		block *= 2
	}
	return min(block, p.LongestBlock)
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
