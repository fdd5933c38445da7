package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sleeptracker/internal/auth"
)

// loginRequest is a decoded login body, JSON or form.
type loginRequest struct {
	email, password string
	next            string // safe next path, form logins only; "" means "/"
	browserForm     bool   // a form post whose Accept includes text/html
}

// handleLogin serves POST /api/login and POST /login (SPEC §4.2).
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	s.login(w, r, true)
}

// handleLoginJSON serves the deprecated POST /api/login.json (JSON only).
func (s *Server) handleLoginJSON(w http.ResponseWriter, r *http.Request) {
	s.login(w, r, false)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, formAllowed bool) {
	// 1. Cross-site login attempts are refused before anything else.
	if site, ok := r.Header["Sec-Fetch-Site"]; ok && len(site) > 0 &&
		strings.EqualFold(strings.TrimSpace(site[0]), "cross-site") {
		writeError(w, r, forbidden(auth.CSRFCrossSite))
		return
	}
	isForm := formAllowed && isFormContentType(r.Header.Get("Content-Type"))
	browserForm := isForm && strings.Contains(r.Header.Get("Accept"), "text/html")
	ip := s.clientIP(r)

	// 2. Throttle, without running argon2 and without counting a failure.
	if wait := s.throttle.RetryAfter(ip); wait > 0 {
		next := ""
		if browserForm {
			next = blockedFormNext(w, r)
		}
		writeThrottled(w, r, wait, browserForm, next)
		return
	}

	// 3. Content type, size, decoding and fields.
	req, err := s.decodeLogin(w, r, formAllowed, isForm)
	if err != nil {
		writeError(w, r, err)
		return
	}
	req.browserForm = browserForm

	// 4 + 5. A password-check slot, then the credential check.
	ok, wait, err := s.checkCredentials(r.Context(), ip, req.email, req.password)
	if err != nil {
		if errors.Is(err, auth.ErrVerifierBusy) {
			w.Header().Set("Retry-After", "5")
			writeError(w, r, errUnavailable)
			return
		}
		writeError(w, r, err)
		return
	}
	if wait > 0 {
		writeThrottled(w, r, wait, req.browserForm, req.next)
		return
	}
	if !ok {
		s.throttle.RecordFailure(ip)
		if req.browserForm {
			redirectToLogin(w, "invalid_credentials", req.next)
			return
		}
		writeError(w, r, &apiError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "invalid email or password"})
		return
	}
	s.throttle.Clear(ip)
	if err := s.startSession(w, r); err != nil {
		writeError(w, r, err)
		return
	}
	if isForm {
		target := req.next
		if target == "" {
			target = "/"
		}
		// Not http.Redirect: it cleans the path ("/x/../api/y" → "/api/y"),
		// so the Location would differ from the next that safeNext approved.
		redirect(w, target)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (s *Server) decodeLogin(w http.ResponseWriter, r *http.Request, formAllowed, isForm bool) (loginRequest, error) {
	if isForm {
		body, err := readLimitedBody(w, r)
		if err != nil {
			return loginRequest{}, err
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return loginRequest{}, badRequest("request body is not a valid form")
		}
		req := loginRequest{next: formNext(form, r)}
		if _, ok := form["email"]; !ok {
			return loginRequest{}, badRequest("email is required")
		}
		if _, ok := form["password"]; !ok {
			return loginRequest{}, badRequest("password is required")
		}
		req.email, req.password = form.Get("email"), form.Get("password")
		return req, nil
	}
	if !isJSONContentType(r.Header.Get("Content-Type")) {
		if formAllowed {
			return loginRequest{}, &apiError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
				Message: "Content-Type must be application/json or application/x-www-form-urlencoded"}
		}
		return loginRequest{}, errNotJSON
	}
	fields, err := decodeJSONObject(w, r)
	if err != nil {
		return loginRequest{}, err
	}
	email, err := fields.RequiredString("email")
	if err != nil {
		return loginRequest{}, err
	}
	password, err := fields.RequiredString("password")
	if err != nil {
		return loginRequest{}, err
	}
	return loginRequest{email: email, password: password}, nil
}

// writeThrottled answers a login from a blocked IP: 429 with Retry-After, or
// for a browser form the redirect to the login page (SPEC §4.2, §4.3).
func writeThrottled(w http.ResponseWriter, r *http.Request, wait time.Duration, browserForm bool, next string) {
	err := throttledError(w, wait)
	if browserForm {
		redirectToLogin(w, "too_many_attempts", next)
		return
	}
	writeError(w, r, err)
}

// throttledError sets Retry-After (seconds, rounded up) and returns the 429
// envelope of SPEC §3.2. The login throttle, the password re-check of
// POST /api/tokens and the bearer throttle all answer with it.
func throttledError(w http.ResponseWriter, wait time.Duration) *apiError {
	seconds := strconv.Itoa(int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", seconds)
	return &apiError{Status: http.StatusTooManyRequests, Code: "too_many_requests",
		Message: "too many failed login attempts; try again later", Detail: "retry after " + seconds + " seconds"}
}

// checkCredentials always runs argon2 — against a dummy hash when the email is
// wrong — so timing does not reveal whether the email matched.
//
// The throttle is asked again once a password-check slot is free: in a storm
// of parallel attempts most of them pass the early check and then queue
// while the first failures block the IP. Those get blockedFor > 0 and no
// argon2 run, like any attempt made while blocked.
func (s *Server) checkCredentials(ctx context.Context, ip, email, password string) (ok bool, blockedFor time.Duration, err error) {
	given := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	want := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(s.cfg.AdminEmail))))
	emailMatches := subtle.ConstantTimeCompare(given[:], want[:]) == 1
	hash := s.dummyHash
	if emailMatches {
		hash = s.adminHash
	}
	var passwordOK bool
	err = s.verifiers.Run(ctx, func() {
		if blockedFor = s.throttle.RetryAfter(ip); blockedFor > 0 {
			return
		}
		passwordOK = hash.Verify(password)
	})
	if err != nil || blockedFor > 0 {
		return false, blockedFor, err
	}
	return emailMatches && passwordOK, 0, nil
}

// redirectToLogin answers a browser form login with 303 to the login page.
// url.Values encodes keys sorted, which puts error before next.
func redirectToLogin(w http.ResponseWriter, errorCode, next string) {
	q := url.Values{"error": {errorCode}}
	if next != "" {
		q.Set("next", next)
	}
	redirect(w, "/login?"+q.Encode())
}

// formNext is the safe next of a form login: the form field, else the
// request URL's next query parameter; "" when neither is safe.
func formNext(form url.Values, r *http.Request) string {
	if next := safeNext(form.Get("next")); next != "" {
		return next
	}
	return safeNext(r.URL.Query().Get("next"))
}

// blockedFormNext reads the safe next of a throttled browser form login, so
// the redirect keeps the user's destination. The body is read within the
// usual limit; a body that cannot be read or parsed just contributes nothing.
func blockedFormNext(w http.ResponseWriter, r *http.Request) string {
	var form url.Values
	if body, err := readLimitedBody(w, r); err == nil {
		form, _ = url.ParseQuery(string(body))
	}
	return formNext(form, r)
}

// safeNext returns next when it is a safe same-origin path (SPEC §4.2), else "".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	if strings.Contains(next, "\\") || strings.HasPrefix(next, "/api/") {
		return ""
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return ""
		}
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return next
}

// handleLogout serves POST /api/logout and POST /logout (SPEC §4.9).
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if ls, ok := s.currentSession(r); ok {
		if detail := s.csrfFailure(r, ls.CSRFToken); detail != "" {
			writeError(w, r, forbidden(detail))
			return
		}
		s.sessions.revoke(ls.IDHash)
		if err := s.store.DeleteLoginSession(r.Context(), ls.IDHash); err != nil {
			writeError(w, r, err)
			return
		}
	}
	s.clearSessionCookies(w)
	w.WriteHeader(http.StatusNoContent)
}

// handleSession serves GET /api/session: never 401, never touches cookies.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	_, ok := s.currentSession(r)
	writeJSON(w, http.StatusOK, map[string]bool{"authenticated": ok})
}

// handleHealth serves GET|HEAD /api/health and /health.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("health check: database unavailable", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{
			"status": "unavailable", "code": "unavailable", "message": "database unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleOpenAPI serves the embedded API document.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Length", strconv.Itoa(len(s.openAPI)))
	_, _ = w.Write(s.openAPI)
}
