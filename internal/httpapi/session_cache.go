package httpapi

import (
	"sync"
	"time"

	"sleeptracker/internal/store"
)

// sessionCacheTTL is how long a validated login session or API token is
// trusted without reading the database again. It is short, and expiry is
// still checked on every request, so the cache only spares a burst of
// requests (a page load fetches several resources at once, a script loops)
// the same lookup.
const sessionCacheTTL = time.Second

// sessionCacheLimit bounds memory; when full the cache simply starts over.
const sessionCacheLimit = 1024

// credentialCache remembers recently validated credentials by the hash that
// identifies them. Logout and token revocation forget the entry before they
// answer, so in this single-process server a revoked credential is refused
// at once.
type credentialCache[T any] struct {
	mu      sync.Mutex
	key     func(T) []byte // the hash a value is found by
	entries map[string]cachedCredential[T]
}

// sessionCache caches login sessions by the hash of their id.
type sessionCache = credentialCache[store.LoginSession]

// tokenCache caches API tokens by the hash of the token.
type tokenCache = credentialCache[store.APIToken]

type cachedCredential[T any] struct {
	value     T
	fetchedAt time.Time
	// revoked marks a logged-out session or a revoked token: it blocks a put
	// from a request that read the row just before it was deleted.
	revoked bool
}

func newSessionCache() *sessionCache {
	return newCredentialCache(func(ls store.LoginSession) []byte { return ls.IDHash })
}

func newTokenCache() *tokenCache {
	return newCredentialCache(func(t store.APIToken) []byte { return t.Hash })
}

func newCredentialCache[T any](key func(T) []byte) *credentialCache[T] {
	return &credentialCache[T]{key: key, entries: map[string]cachedCredential[T]{}}
}

// get returns the cached value for hash when it was read less than
// sessionCacheTTL before now.
func (c *credentialCache[T]) get(hash []byte, now time.Time) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[string(hash)]
	if !ok || e.revoked || now.Sub(e.fetchedAt) >= sessionCacheTTL || now.Before(e.fetchedAt) {
		var zero T
		return zero, false
	}
	return e.value, true
}

func (c *credentialCache[T]) put(v T, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := string(c.key(v))
	if e, ok := c.entries[key]; ok && e.revoked {
		return
	}
	if len(c.entries) >= sessionCacheLimit {
		clear(c.entries)
	}
	c.entries[key] = cachedCredential[T]{value: v, fetchedAt: now}
}

// revoke marks hash as revoked for good: it is never served or cached again.
func (c *credentialCache[T]) revoke(hash []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[string(hash)] = cachedCredential[T]{revoked: true}
}
