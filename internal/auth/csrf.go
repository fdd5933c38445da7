package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

// NewCSRFToken returns 32 random bytes as base64url without padding (43 characters).
func NewCSRFToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// CSRF failure details, sent as the error envelope's detail (SPEC §4.7).
const (
	CSRFCrossSite     = "csrf: cross-site request rejected"
	CSRFMissingCookie = "csrf: missing cookie"
	CSRFMissingHeader = "csrf: missing header token"
	CSRFMismatch      = "csrf: token mismatch"
)

// CSRFRequest is what the double-submit check looks at.
type CSRFRequest struct {
	SecFetchSite        string // "" when the header is absent
	SecFetchSitePresent bool
	Cookie              string // percent-decoded CSRF cookie value, "" when absent
	Header              string // raw X-CSRF-Token header (first one)
	SessionToken        string // the token stored with the login session
}

// CheckCSRF runs the algorithm of SPEC §4.7 and returns "" when the request
// passes, else the failure detail of the first failing step.
func CheckCSRF(r CSRFRequest) string {
	if r.SecFetchSitePresent && !SameSiteFetch(r.SecFetchSite) {
		return CSRFCrossSite
	}
	if r.Cookie == "" {
		return CSRFMissingCookie
	}
	if r.Header == "" {
		return CSRFMissingHeader
	}
	header := PercentDecode(r.Header)
	// Both comparisons always run so timing does not say which one failed.
	headerMatches := subtle.ConstantTimeCompare([]byte(header), []byte(r.Cookie))
	cookieMatches := subtle.ConstantTimeCompare([]byte(r.Cookie), []byte(r.SessionToken))
	if headerMatches&cookieMatches != 1 {
		return CSRFMismatch
	}
	return ""
}

// SameSiteFetch reports whether a Sec-Fetch-Site value is same-origin or same-site.
func SameSiteFetch(value string) bool {
	v := strings.ToLower(strings.TrimSpace(value))
	return v == "same-origin" || v == "same-site"
}

// PercentDecode decodes %XX escapes leniently: "+" stays "+" and an invalid
// escape is kept as written (unlike url.QueryUnescape, which fails).
func PercentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, okHi := unhex(s[i+1])
			lo, okLo := unhex(s[i+2])
			if okHi && okLo {
				b.WriteByte(hi<<4 | lo)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
