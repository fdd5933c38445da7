package auth

import (
	"crypto/sha256"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var tokenShape = regexp.MustCompile(`^st_[A-Za-z0-9_-]{43}$`)

func TestNewTokenShapeAndHash(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		token, hash := NewToken()
		if !tokenShape.MatchString(token) {
			t.Fatalf("token %q does not match st_ + 43 base64url characters", token)
		}
		if !WellFormedToken(token) {
			t.Fatalf("WellFormedToken(%q) = false for a token NewToken made", token)
		}
		if want := sha256.Sum256([]byte(token)); hash != want {
			t.Fatalf("hash of %q is not its SHA-256", token)
		}
		if seen[token] {
			t.Fatalf("token %q repeated: not random", token)
		}
		seen[token] = true
	}
}

func TestWellFormedToken(t *testing.T) {
	good, _ := NewToken()
	for _, tt := range []struct {
		token string
		want  bool
	}{
		{good, true},
		{"st_" + strings.Repeat("A", 43), true},
		{"st_" + strings.Repeat("A", 42), false},
		{"st_" + strings.Repeat("A", 44), false},
		{"ST_" + strings.Repeat("A", 43), false},
		{"xx_" + strings.Repeat("A", 43), false},
		{strings.Repeat("A", 46), false},
		{"st_" + strings.Repeat("A", 42) + "=", false},
		{"st_" + strings.Repeat("A", 42) + "+", false},
		{"st_" + strings.Repeat("A", 42) + "/", false},
		// 43 characters carry 258 bits: the last one's two spare bits must be zero.
		{"st_" + strings.Repeat("A", 42) + "B", false},
		{"st_" + strings.Repeat("A", 42) + "E", true},
		{"", false},
		{"st_", false},
	} {
		if got := WellFormedToken(tt.token); got != tt.want {
			t.Errorf("WellFormedToken(%q) = %v, want %v", tt.token, got, tt.want)
		}
	}
}

func TestTokenHashEqual(t *testing.T) {
	token, hash := NewToken()
	again := HashToken(token)
	if !hash.Equal(again[:]) {
		t.Fatal("a hash does not equal itself")
	}
	other := HashToken(token + "x")
	if hash.Equal(other[:]) || hash.Equal(hash[:31]) || hash.Equal(nil) {
		t.Fatal("different hashes compare equal")
	}
}

func TestParseTokenScope(t *testing.T) {
	for in, ok := range map[string]bool{"read": true, "write": true, "Read": false, "admin": false, "": false, " read": false} {
		scope, got := ParseTokenScope(in)
		if got != ok || (ok && string(scope) != in) {
			t.Errorf("ParseTokenScope(%q) = %q, %v", in, scope, got)
		}
	}
}

func TestTokenScopeAllows(t *testing.T) {
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete}
	for _, method := range methods {
		reads := method == http.MethodGet || method == http.MethodHead
		if got := ScopeRead.Allows(method); got != reads {
			t.Errorf("read allows %s = %v, want %v", method, got, reads)
		}
		if !ScopeWrite.Allows(method) {
			t.Errorf("write does not allow %s", method)
		}
		if TokenScope("admin").Allows(method) || TokenScope("").Allows(method) {
			t.Errorf("an unknown scope allows %s", method)
		}
	}
}

func TestBearerCredentials(t *testing.T) {
	token := "st_" + strings.Repeat("A", 43)
	for _, tt := range []struct {
		name        string
		headers     []string
		wantToken   string
		wantPresent bool
	}{
		{"none", nil, "", false},
		{"bearer", []string{"Bearer " + token}, token, true},
		{"scheme is case-insensitive", []string{"bEaReR " + token}, token, true},
		{"tab and extra spaces", []string{"  Bearer\t  " + token + "  "}, token, true},
		{"empty bearer", []string{"Bearer"}, "", true},
		{"bearer with blanks", []string{"Bearer    "}, "", true},
		{"basic is ignored", []string{"Basic dXNlcjpwYXNz"}, "", false},
		{"basic then bearer", []string{"Basic dXNlcjpwYXNz", "Bearer " + token}, token, true},
		{"two equal bearers", []string{"Bearer " + token, "Bearer " + token}, token, true},
		{"two different bearers", []string{"Bearer " + token, "Bearer st_other"}, "", true},
		{"bearer prefix of another scheme", []string{"Bearerx " + token}, "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.headers {
				h.Add("Authorization", v)
			}
			gotToken, gotPresent := BearerCredentials(h)
			if gotToken != tt.wantToken || gotPresent != tt.wantPresent {
				t.Fatalf("BearerCredentials = %q, %v; want %q, %v", gotToken, gotPresent, tt.wantToken, tt.wantPresent)
			}
		})
	}
}

// TestBearerThrottlePolicy runs the bearer policy through the shared
// throttle: 19 failures pass, the 20th blocks for 60 s, then the blocks
// double up to 15 minutes. The login policy is unaffected.
func TestBearerThrottlePolicy(t *testing.T) {
	clock := &manualClock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	th := NewBearerThrottle(clock.Now)
	failTimes(th, "ip", 19)
	if wait := th.RetryAfter("ip"); wait != 0 {
		t.Fatalf("blocked after 19 failures (retry after %v)", wait)
	}
	th.RecordFailure("ip")
	if wait := th.RetryAfter("ip"); wait != 60*time.Second {
		t.Fatalf("after 20 failures: retry after %v, want 60s", wait)
	}
	for _, want := range []time.Duration{120, 240, 480, 900} {
		clock.Advance(th.RetryAfter("ip"))
		if block, _ := failUntilBlocked(th, "ip"); block != want*time.Second {
			t.Fatalf("next block %v, want %v", block, want*time.Second)
		}
	}
	// Failures older than 15 minutes no longer count.
	fresh := NewBearerThrottle(clock.Now)
	failTimes(fresh, "ip", 19)
	clock.Advance(15 * time.Minute)
	fresh.RecordFailure("ip")
	if wait := fresh.RetryAfter("ip"); wait != 0 {
		t.Fatalf("old failures still counted (retry after %v)", wait)
	}

	login := NewLoginThrottle(clock.Now)
	failTimes(login, "ip", 5)
	if wait := login.RetryAfter("ip"); wait != 60*time.Second {
		t.Fatalf("login policy: retry after %v after 5 failures, want 60s", wait)
	}
}

func TestThrottlePolicyBlockLength(t *testing.T) {
	for level, want := range []time.Duration{60, 120, 240, 480, 900, 900, 900} {
		if got := LoginPolicy.blockLength(level); got != want*time.Second {
			t.Errorf("level %d: %v, want %v", level, got, want*time.Second)
		}
	}
	if got := LoginPolicy.blockLength(1 << 20); got != 900*time.Second {
		t.Errorf("a huge level: %v, want the 900s cap", got)
	}
}
