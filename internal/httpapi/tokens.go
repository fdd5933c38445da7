package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// API tokens (SPEC §16): the three /api/tokens routes, and the bearer check
// that dispatch runs instead of the cookie checks when a request carries an
// Authorization: Bearer header.

// lastUsedEvery limits last_used_at writes to one a minute per token.
const lastUsedEvery = time.Minute

var (
	// errTokenScope answers a valid token on a route its scope does not
	// cover or that tokens never reach.
	errTokenScope = &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: "this token's scope does not allow this request"}
	// errPasswordIncorrect answers a wrong password on POST /api/tokens.
	errPasswordIncorrect = &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: "password is incorrect"}
)

// tokenExpiryDays is the range of expires_in_days.
var tokenExpiryDays = sleep.IntRange{Min: 1, Max: 3650}

// authorizeBearer judges a bearer request by its token alone, in place of
// the session and CSRF checks, and answers it when it fails: 429 while the
// client IP is blocked by the bearer throttle, 401 with WWW-Authenticate for
// a missing, malformed, unknown, expired or revoked token (counted by that
// throttle, never by the login throttle), 403 when the route or the token's
// scope does not allow the request. Cookies are never consulted.
func (s *Server) authorizeBearer(w http.ResponseWriter, r *http.Request, rt route, token string) bool {
	ip := s.clientIP(r)
	if wait := s.bearerThrottle.RetryAfter(ip); wait > 0 {
		writeThrottled(w, r, wait, false, "")
		return false
	}
	t, ok, err := s.validToken(r.Context(), token)
	if err != nil {
		writeError(w, r, err)
		return false
	}
	if !ok {
		s.bearerThrottle.RecordFailure(ip)
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeError(w, r, errUnauthorized)
		return false
	}
	if !rt.access.acceptsTokens() || !auth.TokenScope(t.Scope).Allows(r.Method) {
		writeError(w, r, errTokenScope)
		return false
	}
	return true
}

// validToken finds the unexpired stored token for a bearer credential. A
// credential that does not have the token's shape is refused without a
// lookup. Validated tokens are cached for a second like login sessions;
// revocation forgets them first, so a revoked token fails at once.
func (s *Server) validToken(ctx context.Context, token string) (store.APIToken, bool, error) {
	if !auth.WellFormedToken(token) {
		return store.APIToken{}, false, nil
	}
	hash := auth.HashToken(token)
	now := s.now()
	t, found := s.tokens.get(hash[:], now)
	if !found {
		var err error
		t, found, err = s.store.APITokenByHash(ctx, hash[:])
		if err != nil {
			return store.APIToken{}, false, err
		}
		// The lookup already matched the hash; comparing again in constant
		// time costs nothing and does not rely on how SQLite compares blobs.
		found = found && hash.Equal(t.Hash)
		if found && !tokenExpired(t, now) && (t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= lastUsedEvery) {
			if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
				s.log.Warn("update token last_used_at", "err", err)
			} else {
				used := now.UTC().Truncate(time.Second)
				t.LastUsedAt = &used
			}
		}
		if found {
			s.tokens.put(t, now)
		}
	}
	if !found || tokenExpired(t, now) {
		return store.APIToken{}, false, nil
	}
	return t, true, nil
}

// tokenExpired reports whether t has expired at now (expiry is absolute,
// like a login session's).
func tokenExpired(t store.APIToken, now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// tokenJSON is a token in GET /api/tokens.
type tokenJSON struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Scope      string  `json:"scope"`
	CreatedAt  string  `json:"created_at"`
	ExpiresAt  *string `json:"expires_at"`
	LastUsedAt *string `json:"last_used_at"`
}

// createdTokenJSON is the answer of POST /api/tokens, the only place the
// token itself ever appears.
type createdTokenJSON struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Scope     string  `json:"scope"`
	CreatedAt string  `json:"created_at"`
	ExpiresAt *string `json:"expires_at"`
	Token     string  `json:"token"`
}

// instant formats a stored instant as RFC 3339 UTC ("2025-06-18T07:00:00Z").
func instant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optionalInstant(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := instant(*t)
	return &s
}

// createToken serves POST /api/tokens (SPEC §16). The password is asked
// again because a token outlives the login session that made it; it is
// checked before the other fields and a wrong one counts as a failed login.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return err
	}
	password, err := fields.RequiredString("password")
	if err != nil {
		return err
	}
	if err := s.recheckPassword(w, r, password); err != nil {
		return err
	}
	name, err := fields.RequiredString("name")
	if err != nil {
		return err
	}
	// Surrounding blanks are dropped so that a name is never invisible.
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 100 {
		return badRequest("name must be 1-100 characters")
	}
	scopeText, err := fields.RequiredString("scope")
	if err != nil {
		return err
	}
	scope, ok := auth.ParseTokenScope(scopeText)
	if !ok {
		return badRequest("scope must be one of read, write")
	}
	days, err := fields.OptionalInt("expires_in_days", tokenExpiryDays)
	if err != nil {
		return err
	}

	now := s.now().UTC().Truncate(time.Second)
	token, hash := auth.NewToken()
	t := store.APIToken{Hash: hash[:], Name: name, Scope: string(scope), CreatedAt: now}
	if days != nil {
		expires := now.Add(time.Duration(*days) * 24 * time.Hour)
		t.ExpiresAt = &expires
	}
	id, err := s.store.CreateAPIToken(r.Context(), t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdTokenJSON{
		ID: id, Name: t.Name, Scope: t.Scope, CreatedAt: instant(t.CreatedAt), ExpiresAt: optionalInstant(t.ExpiresAt), Token: token,
	})
	return nil
}

// recheckPassword verifies the admin password for a signed-in request with
// the login throttle and the password-check slots of SPEC §4.3: 429 while the
// client IP is blocked, 503 when no slot frees up, 403 for a wrong password,
// which counts as a failed login.
func (s *Server) recheckPassword(w http.ResponseWriter, r *http.Request, password string) error {
	ip := s.clientIP(r)
	var ok bool
	var blockedFor time.Duration
	blockedFor = s.throttle.RetryAfter(ip)
	if blockedFor == 0 {
		err := s.verifiers.Run(r.Context(), func() {
			if blockedFor = s.throttle.RetryAfter(ip); blockedFor > 0 {
				return
			}
			ok = s.adminHash.Verify(password)
		})
		if errors.Is(err, auth.ErrVerifierBusy) {
			w.Header().Set("Retry-After", "5")
			return errUnavailable
		}
		if err != nil {
			return err
		}
	}
	if blockedFor > 0 {
		return throttledError(w, blockedFor)
	}
	if !ok {
		s.throttle.RecordFailure(ip)
		return errPasswordIncorrect
	}
	return nil
}

// listTokens serves GET /api/tokens: every token, newest first, never the
// token itself.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := s.store.APITokens(r.Context())
	if err != nil {
		return err
	}
	out := make([]tokenJSON, 0, len(tokens))
	for _, t := range tokens {
		out = append(out, tokenJSON{
			ID: t.ID, Name: t.Name, Scope: t.Scope, CreatedAt: instant(t.CreatedAt),
			ExpiresAt: optionalInstant(t.ExpiresAt), LastUsedAt: optionalInstant(t.LastUsedAt),
		})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// deleteToken serves DELETE /api/tokens/{id}: idempotent, and the token
// stops working before the answer, also for requests that would have been
// served from the token cache.
func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	hash, found, err := s.store.APITokenHash(r.Context(), id)
	if err != nil {
		return err
	}
	if found {
		s.tokens.revoke(hash)
		if err := s.store.DeleteAPIToken(r.Context(), id); err != nil {
			return err
		}
	}
	writeNoContent(w)
	return nil
}
