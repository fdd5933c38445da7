package httpapi

import (
	"net/http"
	"testing"
	"time"

	"sleeptracker/internal/store"
)

func TestSessionCacheServesOnlyFreshUnrevokedEntries(t *testing.T) {
	c := newSessionCache()
	start := time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC)
	ls := store.LoginSession{IDHash: []byte("0123456789abcdef0123456789abcdef"), CSRFToken: "t"}

	if _, ok := c.get(ls.IDHash, start); ok {
		t.Fatal("empty cache served an entry")
	}
	c.put(ls, start)
	if got, ok := c.get(ls.IDHash, start.Add(sessionCacheTTL-time.Millisecond)); !ok || got.CSRFToken != "t" {
		t.Fatalf("fresh entry not served: %v %v", got, ok)
	}
	if _, ok := c.get(ls.IDHash, start.Add(sessionCacheTTL)); ok {
		t.Fatal("entry served after its TTL")
	}
	if _, ok := c.get(ls.IDHash, start.Add(-time.Second)); ok {
		t.Fatal("entry served to a clock that went backwards")
	}

	c.revoke(ls.IDHash)
	if _, ok := c.get(ls.IDHash, start); ok {
		t.Fatal("revoked entry served")
	}
	// A request that read the row just before logout deleted it must not
	// bring the session back.
	c.put(ls, start)
	if _, ok := c.get(ls.IDHash, start); ok {
		t.Fatal("put after revoke resurrected the session")
	}
}

func TestLogoutRevokesACachedSessionAtOnce(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	// Two reads in the same instant: the second is served from the cache.
	for range 2 {
		c.do(t, http.MethodGet, "/api/settings/timezone", nil).mustStatus(t, http.StatusOK)
	}
	cookies := map[string]string{}
	for k, v := range c.cookies {
		cookies[k] = v
	}
	c.do(t, http.MethodPost, "/api/logout", nil).mustStatus(t, http.StatusNoContent)

	replay := ts.anonymous()
	replay.cookies = cookies
	replay.do(t, http.MethodGet, "/api/settings/timezone", nil).mustStatus(t, http.StatusUnauthorized)
}
