package httpapi

import (
	"sync"
	"time"

	"sleeptracker/internal/store"
)

// sessionCacheTTL is how long a validated login session is trusted without
// reading the database again. It is short, and expiry is still checked on
// every request, so the cache only spares a burst of requests from one
// browser (a page load fetches several resources at once) the same lookup.
const sessionCacheTTL = time.Second

// sessionCacheLimit bounds memory; when full the cache simply starts over.
const sessionCacheLimit = 1024

// sessionCache remembers recently validated login sessions by the hash of
// their id. Logout forgets the entry before it answers, so in this
// single-process server a revoked session is refused at once.
type sessionCache struct {
	mu      sync.Mutex
	entries map[string]cachedSession
}

type cachedSession struct {
	session   store.LoginSession
	fetchedAt time.Time
	// revoked marks a logged-out session: it blocks a put from a request
	// that read the row just before logout deleted it.
	revoked bool
}

func newSessionCache() *sessionCache {
	return &sessionCache{entries: map[string]cachedSession{}}
}

// get returns the cached session for idHash when it was read less than
// sessionCacheTTL before now.
func (c *sessionCache) get(idHash []byte, now time.Time) (store.LoginSession, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[string(idHash)]
	if !ok || e.revoked || now.Sub(e.fetchedAt) >= sessionCacheTTL || now.Before(e.fetchedAt) {
		return store.LoginSession{}, false
	}
	return e.session, true
}

func (c *sessionCache) put(ls store.LoginSession, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[string(ls.IDHash)]; ok && e.revoked {
		return
	}
	if len(c.entries) >= sessionCacheLimit {
		clear(c.entries)
	}
	c.entries[string(ls.IDHash)] = cachedSession{session: ls, fetchedAt: now}
}

// revoke marks idHash as logged out for good: it is never served or cached again.
func (c *sessionCache) revoke(idHash []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[string(idHash)] = cachedSession{revoked: true}
}
