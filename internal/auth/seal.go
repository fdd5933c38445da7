package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// SessionIDSize is the length of a session id in bytes (SPEC §4.5).
const SessionIDSize = 32

// SessionID is the random secret a session cookie carries, sealed.
type SessionID [SessionIDSize]byte

// sealVersion is the first plaintext byte; a different version is refused so
// the format can change later without ambiguity.
const sealVersion = 0x01

const sealInfo = "sleeptracker session cookie v1"

// CookieSealer encrypts and authenticates session cookie values with
// AES-256-GCM under a key derived from the session secret (SPEC §4.6).
type CookieSealer struct {
	aead cipher.AEAD
}

// NewCookieSealer derives the cookie key from secret with HKDF-SHA256.
func NewCookieSealer(secret []byte) (*CookieSealer, error) {
	key, err := hkdf.Key(sha256.New, secret, nil, sealInfo, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &CookieSealer{aead: aead}, nil
}

// NewSessionID returns a fresh random session id.
func NewSessionID() SessionID {
	var id SessionID
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails on supported platforms
	return id
}

// Hash is the SHA-256 of the id, the only form stored in the database.
func (id SessionID) Hash() []byte {
	sum := sha256.Sum256(id[:])
	return sum[:]
}

// Seal returns the cookie value for id. The cookie name is the associated data,
// so a value cannot be replayed under another cookie name or mode.
func (s *CookieSealer) Seal(cookieName string, id SessionID) string {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+1+SessionIDSize+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	plaintext := append([]byte{sealVersion}, id[:]...)
	sealed := s.aead.Seal(nonce, nonce, plaintext, []byte(cookieName))
	return base64.RawURLEncoding.EncodeToString(sealed)
}

// Unseal returns the session id inside value; ok is false for anything that
// does not decode, is too short, fails authentication or has another version.
func (s *CookieSealer) Unseal(cookieName, value string) (id SessionID, ok bool) {
	// Strict: a non-canonical last character (other unused low bits) is
	// refused, so every change to a cookie value makes it invalid.
	raw, err := base64.RawURLEncoding.Strict().DecodeString(value)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return id, false
	}
	nonce, ciphertext := raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():]
	plaintext, err := s.aead.Open(nil, nonce, ciphertext, []byte(cookieName))
	if err != nil || len(plaintext) != 1+SessionIDSize || plaintext[0] != sealVersion {
		return id, false
	}
	copy(id[:], plaintext[1:])
	return id, true
}
