package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// API tokens (SPEC §16) let scripts call the API without cookies or CSRF.
// A token is "st_" followed by 32 random bytes as base64url without padding
// (43 characters). The prefix makes a leaked token easy to recognise (secret
// scanners, logs); the server keeps only the SHA-256 of the whole string.
const (
	// TokenPrefix starts every API token.
	TokenPrefix = "st_"
	// tokenSecretBytes is the random part: 256 bits, far beyond guessing.
	tokenSecretBytes = 32
	// tokenSecretChars is the length of the random part in base64url.
	tokenSecretChars = 43
	// TokenLength is the length of a whole token.
	TokenLength = len(TokenPrefix) + tokenSecretChars
)

// TokenScope is what an API token may do.
type TokenScope string

// The two scopes of SPEC §16.
const (
	// ScopeRead allows GET and HEAD on the routes tokens may use.
	ScopeRead TokenScope = "read"
	// ScopeWrite also allows their POST, PUT and DELETE.
	ScopeWrite TokenScope = "write"
)

// ParseTokenScope accepts exactly "read" or "write".
func ParseTokenScope(s string) (TokenScope, bool) {
	switch TokenScope(s) {
	case ScopeRead, ScopeWrite:
		return TokenScope(s), true
	}
	return "", false
}

// Allows reports whether a token of scope s may make a request with method
// on a route that accepts tokens at all: read tokens only read (GET, HEAD),
// write tokens may also change data. Routes tokens never reach are the route
// table's decision, not the scope's.
func (s TokenScope) Allows(method string) bool {
	switch s {
	case ScopeWrite:
		return true
	case ScopeRead:
		return method == http.MethodGet || method == http.MethodHead
	}
	return false
}

// TokenHash is the SHA-256 of a whole token string, the only form stored.
type TokenHash [sha256.Size]byte

// HashToken hashes a token for storage and lookup. Hashing before the lookup
// is also what keeps the lookup from leaking timing about stored tokens: an
// attacker controls the token, never its hash.
func HashToken(token string) TokenHash {
	return sha256.Sum256([]byte(token))
}

// Equal compares two hashes in constant time.
func (h TokenHash) Equal(other []byte) bool {
	return subtle.ConstantTimeCompare(h[:], other) == 1
}

// NewToken returns a fresh token and its hash. The random part comes from
// crypto/rand, which never fails on supported platforms (it panics instead).
func NewToken() (string, TokenHash) {
	var secret [tokenSecretBytes]byte
	_, _ = rand.Read(secret[:])
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(secret[:])
	return token, HashToken(token)
}

// WellFormedToken reports whether s has the shape of a token: the prefix and
// exactly 43 canonical base64url characters. A malformed token is refused
// without a database lookup.
func WellFormedToken(s string) bool {
	if len(s) != TokenLength || !strings.HasPrefix(s, TokenPrefix) {
		return false
	}
	secret, err := base64.RawURLEncoding.Strict().DecodeString(s[len(TokenPrefix):])
	return err == nil && len(secret) == tokenSecretBytes
}

// BearerCredentials finds a Bearer credential among the request's
// Authorization headers. present is true when any header uses the Bearer
// scheme (case-insensitive, RFC 7235): such a request is judged by its token
// alone. Other schemes (a reverse proxy's Basic credentials, say) are not
// ours and are ignored. token is "" when the Bearer header carries nothing
// usable, or when several Bearer headers disagree.
func BearerCredentials(header http.Header) (token string, present bool) {
	for _, value := range header.Values("Authorization") {
		value = strings.TrimSpace(value)
		scheme, credentials := value, ""
		if i := strings.IndexAny(value, " \t"); i >= 0 {
			scheme, credentials = value[:i], strings.TrimSpace(value[i+1:])
		}
		if !strings.EqualFold(scheme, "Bearer") {
			continue
		}
		if present && credentials != token {
			return "", true
		}
		token, present = credentials, true
	}
	return token, present
}
