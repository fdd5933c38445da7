package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// manualClock is a clock the test moves by hand.
type manualClock struct{ now time.Time }

func (c *manualClock) Now() time.Time          { return c.now }
func (c *manualClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

func newThrottle() (*FailureThrottle, *manualClock) {
	clock := &manualClock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	return NewLoginThrottle(clock.Now), clock
}

// failTimes records n failures for ip.
func failTimes(th *FailureThrottle, ip string, n int) {
	for range n {
		th.RecordFailure(ip)
	}
}

func TestThrottleBlocksOnFifthFailure(t *testing.T) {
	th, clock := newThrottle()
	for i := 1; i <= 4; i++ {
		th.RecordFailure("192.0.2.1")
		if wait := th.RetryAfter("192.0.2.1"); wait != 0 {
			t.Fatalf("blocked after %d failures (retry after %v)", i, wait)
		}
	}
	th.RecordFailure("192.0.2.1")
	if wait := th.RetryAfter("192.0.2.1"); wait != 60*time.Second {
		t.Fatalf("after 5 failures: retry after %v, want 60s", wait)
	}
	if wait := th.RetryAfter("192.0.2.2"); wait != 0 {
		t.Fatalf("another IP is blocked too (retry after %v)", wait)
	}
	clock.Advance(59*time.Second + 500*time.Millisecond)
	if wait := th.RetryAfter("192.0.2.1"); wait != 500*time.Millisecond {
		t.Fatalf("retry after %v, want the remaining 500ms", wait)
	}
	clock.Advance(500 * time.Millisecond)
	if wait := th.RetryAfter("192.0.2.1"); wait != 0 {
		t.Fatalf("still blocked when the block ended (retry after %v)", wait)
	}
}

// failUntilBlocked records failures for ip until it is blocked and returns
// the block length and how many failures it took.
func failUntilBlocked(th *FailureThrottle, ip string) (block time.Duration, failures int) {
	for th.RetryAfter(ip) == 0 {
		th.RecordFailure(ip)
		failures++
	}
	return th.RetryAfter(ip), failures
}

func TestThrottleEscalates(t *testing.T) {
	th, clock := newThrottle()
	// Right after a block the IP still has four failures within 15 minutes,
	// so one more failure blocks again, one level longer.
	cases := []struct {
		block    time.Duration
		failures int
	}{{60, 5}, {120, 1}, {240, 1}, {480, 1}, {900, 2}}
	for i, want := range cases {
		block, failures := failUntilBlocked(th, "ip")
		if block != want.block*time.Second || failures != want.failures {
			t.Fatalf("block %d: %v after %d failures, want %v after %d",
				i+1, block, failures, want.block*time.Second, want.failures)
		}
		clock.Advance(block)
	}
	// The 900 s block ends 15 minutes after the last failure, when the state
	// is forgotten (SPEC §4.3): the next block starts again at 60 s.
	if block, failures := failUntilBlocked(th, "ip"); block != 60*time.Second || failures != 5 {
		t.Fatalf("after the longest block: %v after %d failures, want 60s after 5", block, failures)
	}
}

func TestThrottleWindowAndForgetting(t *testing.T) {
	t.Run("failures older than 15 minutes do not count", func(t *testing.T) {
		th, clock := newThrottle()
		failTimes(th, "ip", 4)
		clock.Advance(15 * time.Minute)
		th.RecordFailure("ip")
		if wait := th.RetryAfter("ip"); wait != 0 {
			t.Fatalf("blocked by failures outside the window (retry after %v)", wait)
		}
	})
	t.Run("failures inside the window count", func(t *testing.T) {
		th, clock := newThrottle()
		failTimes(th, "ip", 4)
		clock.Advance(15*time.Minute - time.Second)
		th.RecordFailure("ip")
		if wait := th.RetryAfter("ip"); wait != 60*time.Second {
			t.Fatalf("retry after %v, want 60s", wait)
		}
	})
	t.Run("state is forgotten 15 minutes after the last failure", func(t *testing.T) {
		th, clock := newThrottle()
		failTimes(th, "ip", 5) // first block, 60 s
		clock.Advance(15 * time.Minute)
		failTimes(th, "ip", 5)
		// A remembered state would escalate to 120 s.
		if wait := th.RetryAfter("ip"); wait != 60*time.Second {
			t.Fatalf("retry after %v, want a first-level 60s block", wait)
		}
	})
	t.Run("state is remembered just before", func(t *testing.T) {
		th, clock := newThrottle()
		failTimes(th, "ip", 5)
		clock.Advance(15*time.Minute - time.Second)
		th.RecordFailure("ip")
		if wait := th.RetryAfter("ip"); wait != 120*time.Second {
			t.Fatalf("retry after %v, want the escalated 120s", wait)
		}
	})
	t.Run("a long block is not forgotten while active", func(t *testing.T) {
		th, clock := newThrottle()
		for range 4 { // 60, 120, 240, 480 s
			block, _ := failUntilBlocked(th, "ip")
			clock.Advance(block)
		}
		if block, _ := failUntilBlocked(th, "ip"); block != 900*time.Second {
			t.Fatalf("fifth block %v, want 900s", block)
		}
		clock.Advance(899 * time.Second)
		if wait := th.RetryAfter("ip"); wait != time.Second {
			t.Fatalf("retry after %v, want 1s", wait)
		}
	})
}

func TestThrottleClear(t *testing.T) {
	th, _ := newThrottle()
	failTimes(th, "ip", 5)
	th.Clear("ip")
	if wait := th.RetryAfter("ip"); wait != 0 {
		t.Fatalf("still blocked after Clear (retry after %v)", wait)
	}
	failTimes(th, "ip", 4)
	if wait := th.RetryAfter("ip"); wait != 0 {
		t.Fatalf("old failures survived Clear (retry after %v)", wait)
	}
	th.RecordFailure("ip")
	if wait := th.RetryAfter("ip"); wait != 60*time.Second {
		t.Fatalf("retry after %v, want a first-level 60s block after Clear", wait)
	}
}

func TestThrottleTracksAtMost10000Clients(t *testing.T) {
	th, clock := newThrottle()
	// The oldest client is one failure short of a block.
	failTimes(th, "oldest", 4)
	for i := range LoginPolicy.MaxClients - 1 {
		clock.Advance(time.Millisecond)
		th.RecordFailure(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	if len(th.clients) != LoginPolicy.MaxClients {
		t.Fatalf("tracking %d clients, want %d", len(th.clients), LoginPolicy.MaxClients)
	}
	clock.Advance(time.Millisecond)
	th.RecordFailure("newcomer") // the table is full: "oldest" is dropped
	if len(th.clients) != LoginPolicy.MaxClients {
		t.Fatalf("tracking %d clients after overflow, want %d", len(th.clients), LoginPolicy.MaxClients)
	}
	th.RecordFailure("oldest")
	if wait := th.RetryAfter("oldest"); wait != 0 {
		t.Fatalf("the oldest client kept its failures (retry after %v); it should have been dropped", wait)
	}
	// The newest entries survived: "newcomer" still counts its failures.
	failTimes(th, "newcomer", 4)
	if wait := th.RetryAfter("newcomer"); wait != 60*time.Second {
		t.Fatalf("newcomer: retry after %v, want 60s", wait)
	}
}

func TestVerifierSlots(t *testing.T) {
	t.Run("at most n run at once", func(t *testing.T) {
		slots := NewVerifierSlots(2, time.Minute)
		var running, peak atomic.Int32
		release := make(chan struct{})
		var wg sync.WaitGroup
		started := make(chan struct{}, 5)
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := slots.Run(context.Background(), func() {
					n := running.Add(1)
					for {
						p := peak.Load()
						if n <= p || peak.CompareAndSwap(p, n) {
							break
						}
					}
					started <- struct{}{}
					<-release
					running.Add(-1)
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		<-started
		<-started
		close(release)
		wg.Wait()
		if p := peak.Load(); p != 2 {
			t.Fatalf("peak concurrency %d, want 2", p)
		}
	})
	t.Run("busy when no slot frees up in time", func(t *testing.T) {
		slots := NewVerifierSlots(1, 10*time.Millisecond)
		release := make(chan struct{})
		held := make(chan struct{})
		go func() { _ = slots.Run(context.Background(), func() { close(held); <-release }) }()
		<-held
		ran := false
		err := slots.Run(context.Background(), func() { ran = true })
		close(release)
		if !errors.Is(err, ErrVerifierBusy) || ran {
			t.Fatalf("Run = %v (ran %v), want ErrVerifierBusy without running", err, ran)
		}
	})
	t.Run("a cancelled caller gives up", func(t *testing.T) {
		slots := NewVerifierSlots(1, time.Minute)
		release := make(chan struct{})
		held := make(chan struct{})
		go func() { _ = slots.Run(context.Background(), func() { close(held); <-release }) }()
		<-held
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := slots.Run(ctx, func() {})
		close(release)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v, want context.Canceled", err)
		}
	})
}
