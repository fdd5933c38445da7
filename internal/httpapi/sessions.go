package httpapi

import (
	"net/http"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/store"
)

// cookieNames are the cookie names of the active mode (SPEC §4.4); only these
// are read, so a dev-mode cookie is ignored in secure mode and vice versa.
type cookieNames struct {
	session, csrf string
	secure        bool
}

func cookieNamesFor(secure bool) cookieNames {
	if secure {
		return cookieNames{session: "__Host-session", csrf: "__Host-csrf", secure: true}
	}
	return cookieNames{session: "session", csrf: "csrf"}
}

// lastSeenEvery limits last_seen_at writes to one a minute per session.
const lastSeenEvery = time.Minute

// currentSession validates the request's session cookie (SPEC §4.5): unseal,
// hash, look up, require now < expires_at. Any failure is "no session".
// A request with a Bearer header never has a session: it is judged by its
// token alone (SPEC §16), also by the session probe and the page guard.
func (s *Server) currentSession(r *http.Request) (store.LoginSession, bool) {
	if _, bearer := auth.BearerCredentials(r.Header); bearer {
		return store.LoginSession{}, false
	}
	id, ok := s.sessionID(r)
	if !ok {
		return store.LoginSession{}, false
	}
	now := s.now()
	idHash := id.Hash()
	ls, found := s.sessions.get(idHash, now)
	if !found {
		var err error
		ls, found, err = s.store.LoginSessionByHash(r.Context(), idHash)
		if err != nil {
			s.log.Error("look up login session", "err", err)
			return store.LoginSession{}, false
		}
		if found && now.Sub(ls.LastSeenAt) >= lastSeenEvery {
			if err := s.store.TouchLoginSession(r.Context(), ls.IDHash, now); err != nil {
				s.log.Warn("update session last_seen_at", "err", err)
			} else {
				ls.LastSeenAt = now
			}
		}
		if found {
			s.sessions.put(ls, now)
		}
	}
	if !found || !now.Before(ls.ExpiresAt) {
		return store.LoginSession{}, false
	}
	return ls, true
}

func (s *Server) sessionID(r *http.Request) (auth.SessionID, bool) {
	c, err := r.Cookie(s.cookies.session)
	if err != nil || c.Value == "" {
		return auth.SessionID{}, false
	}
	return s.sealer.Unseal(s.cookies.session, auth.PercentDecode(c.Value))
}

// startSession creates a new, independent login session and sets both cookies.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request) error {
	now := s.now().UTC().Truncate(time.Second)
	id := auth.NewSessionID()
	ls := store.LoginSession{
		IDHash:     id.Hash(),
		CSRFToken:  auth.NewCSRFToken(),
		CreatedAt:  now,
		ExpiresAt:  now.Add(s.cfg.SessionLifetime()),
		LastSeenAt: now,
		UserAgent:  truncateRunes(r.UserAgent(), 256),
	}
	if err := s.store.CreateLoginSession(r.Context(), ls); err != nil {
		return err
	}
	maxAge := s.cfg.CookieMaxAge()
	http.SetCookie(w, s.cookie(s.cookies.session, s.sealer.Seal(s.cookies.session, id), maxAge, true))
	http.SetCookie(w, s.cookie(s.cookies.csrf, ls.CSRFToken, maxAge, false))
	return nil
}

// clearSessionCookies sends both removal cookies (SPEC §4.4).
func (s *Server) clearSessionCookies(w http.ResponseWriter) {
	for _, c := range []*http.Cookie{
		s.cookie(s.cookies.session, "", -1, true),
		s.cookie(s.cookies.csrf, "", -1, false),
	} {
		c.Expires = time.Unix(0, 0)
		http.SetCookie(w, c)
	}
}

// cookie builds a session or CSRF cookie; maxAge 0 omits Max-Age (a browser
// session cookie) and a negative maxAge sends Max-Age=0.
func (s *Server) cookie(name, value string, maxAge int, httpOnly bool) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: httpOnly,
		Secure:   s.cookies.secure,
		SameSite: http.SameSiteLaxMode,
	}
}

func truncateRunes(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}
