package auth

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

var (
	testSecret  = bytes.Repeat([]byte{0x42}, 32)
	otherSecret = bytes.Repeat([]byte{0x43}, 32)
)

func mustSealer(t *testing.T, secret []byte) *CookieSealer {
	t.Helper()
	s, err := NewCookieSealer(secret)
	if err != nil {
		t.Fatalf("NewCookieSealer: %v", err)
	}
	return s
}

func TestSealRoundTrip(t *testing.T) {
	s := mustSealer(t, testSecret)
	id := NewSessionID()
	value := s.Seal("__Host-session", id)
	got, ok := s.Unseal("__Host-session", value)
	if !ok || got != id {
		t.Fatalf("Unseal = %x, %v; want %x, true", got, ok, id)
	}
	// A fresh nonce per seal: two cookies for one id differ.
	if again := s.Seal("__Host-session", id); again == value {
		t.Fatal("two seals of the same id are identical; the nonce is not random")
	}
	// nonce (12) + version (1) + id (32) + tag (16), base64url without padding.
	if want := base64.RawURLEncoding.EncodedLen(12 + 1 + 32 + 16); len(value) != want {
		t.Fatalf("cookie value has %d characters, want %d", len(value), want)
	}
}

// TestSealFormat decrypts a cookie with a key derived independently from the
// recipe of SPEC §4.6, so the format stays what the specification says.
func TestSealFormat(t *testing.T) {
	id := NewSessionID()
	value := mustSealer(t, testSecret).Seal("session", id)
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		t.Fatalf("cookie is not base64url without padding: %v", err)
	}
	key, err := hkdf.Key(sha256.New, testSecret, nil, "sleeptracker session cookie v1", 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	plaintext, err := aead.Open(nil, raw[:12], raw[12:], []byte("session"))
	if err != nil {
		t.Fatalf("spec-derived key cannot open the cookie: %v", err)
	}
	if want := append([]byte{0x01}, id[:]...); !bytes.Equal(plaintext, want) {
		t.Fatalf("plaintext = %x, want %x", plaintext, want)
	}
}

func TestUnsealRejects(t *testing.T) {
	s := mustSealer(t, testSecret)
	id := NewSessionID()
	good := s.Seal("session", id)
	raw, _ := base64.RawURLEncoding.DecodeString(good)

	flipped := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 0x01
		return base64.RawURLEncoding.EncodeToString(b)
	}
	// A well-formed, authentic cookie whose version byte is not 0x01.
	nonce := make([]byte, s.aead.NonceSize())
	futureVersion := base64.RawURLEncoding.EncodeToString(
		s.aead.Seal(nonce, nonce, append([]byte{0x02}, id[:]...), []byte("session")))
	// Authentic but with a plaintext of the wrong length.
	shortPlaintext := base64.RawURLEncoding.EncodeToString(
		s.aead.Seal(nonce, nonce, []byte{0x01, 1, 2, 3}, []byte("session")))

	cases := []struct {
		name, cookieName, value string
		sealer                  *CookieSealer
	}{
		{"flipped nonce byte", "session", flipped(0), s},
		{"flipped ciphertext byte", "session", flipped(20), s},
		{"flipped tag byte", "session", flipped(len(raw) - 1), s},
		{"truncated", "session", base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]), s},
		{"shorter than nonce and tag", "session", base64.RawURLEncoding.EncodeToString(raw[:20]), s},
		{"empty", "session", "", s},
		{"not base64url", "session", "!!!" + good[3:], s},
		{"padded base64", "session", good + "=", s},
		{"non-canonical last character", "session", nonCanonical(good), s},
		{"other cookie name", "__Host-session", good, s},
		{"other secret", "session", good, mustSealer(t, otherSecret)},
		{"unknown version byte", "session", futureVersion, s},
		{"wrong plaintext length", "session", shortPlaintext, s},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := tc.sealer.Unseal(tc.cookieName, tc.value); ok {
				t.Fatalf("Unseal accepted a bad cookie and returned %x", got)
			}
		})
	}
}

func TestSessionIDHash(t *testing.T) {
	a, b := NewSessionID(), NewSessionID()
	if a == b {
		t.Fatal("two session ids are equal")
	}
	want := sha256.Sum256(a[:])
	if !bytes.Equal(a.Hash(), want[:]) {
		t.Fatalf("Hash = %x, want SHA-256 %x", a.Hash(), want)
	}
}

// nonCanonical changes the unused low bits of the last base64 character, which
// a lenient decoder ignores: the same bytes under another spelling.
func nonCanonical(value string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, value[len(value)-1])
	return value[:len(value)-1] + string(alphabet[last^1])
}
