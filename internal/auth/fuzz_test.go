package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

// fuzzSealers returns two sealers under different secrets: "right" is the
// server's key, "wrong" stands for any other deployment or a rotated secret.
func fuzzSealers(t testing.TB) (right, wrong *CookieSealer) {
	t.Helper()
	right, err := NewCookieSealer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	wrong, err = NewCookieSealer(bytes.Repeat([]byte{8}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return right, wrong
}

// FuzzUnsealCookie feeds arbitrary cookie values to Unseal (it must never
// panic and never accept a value it did not seal) and checks that a value
// sealed for one cookie name and key unseals only under that name and key,
// and not after any single-bit change.
//
// Inputs: the cookie name, an arbitrary cookie value as a client could send
// it, a seed for the session id to seal, and the position of a bit to flip.
// The committed corpus in testdata/fuzz/FuzzUnsealCookie holds a value
// really sealed under the "right" key for cookie "session" (so the accepting
// branch is exercised) plus truncated, padded and re-encoded variants.
func FuzzUnsealCookie(f *testing.F) {
	right, _ := fuzzSealers(f)
	sealed := right.Seal("session", sessionIDFrom([]byte("seed")))
	for _, seed := range []struct {
		name, value string
	}{
		{"session", sealed},
		{"__Host-session", sealed},            // right key, wrong name
		{"session", sealed[:len(sealed)-1]},   // truncated tag
		{"session", sealed + "="},             // padded: raw URL encoding refuses it
		{"session", ""},                       // empty
		{"session", "AAAA"},                   // shorter than a nonce
		{"session", toStdBase64(sealed)},      // other base64 alphabet
		{"session", string(make([]byte, 80))}, // NUL bytes
	} {
		f.Add(seed.name, seed.value, []byte("id"), uint(0))
	}
	f.Fuzz(func(t *testing.T, name, value string, idSeed []byte, flip uint) {
		right, wrong := fuzzSealers(t)

		// 1. Arbitrary input: never a panic. An accepted value must be a
		// genuine seal, so it is bound to this key and this name.
		if id, ok := right.Unseal(name, value); ok {
			if _, ok := wrong.Unseal(name, value); ok {
				t.Fatalf("value %q unseals under two different keys", value)
			}
			if _, ok := right.Unseal(name+"x", value); ok {
				t.Fatalf("value %q unseals under cookie names %q and %q", value, name, name+"x")
			}
			if again, ok := right.Unseal(name, value); !ok || again != id {
				t.Fatalf("Unseal is not deterministic for %q", value)
			}
		}
		_, _ = wrong.Unseal(name, value)

		// 2. Round trip: what we seal unseals to the same id, only under the
		// same key and name.
		id := sessionIDFrom(idSeed)
		cookie := right.Seal(name, id)
		if got, ok := right.Unseal(name, cookie); !ok || got != id {
			t.Fatalf("Seal/Unseal round trip failed for name %q", name)
		}
		if _, ok := wrong.Unseal(name, cookie); ok {
			t.Fatalf("a cookie sealed under one key unsealed under another")
		}
		if _, ok := right.Unseal(name+"\x00", cookie); ok {
			t.Fatalf("a cookie sealed for %q unsealed for %q", name, name+"\x00")
		}

		// 3. Tampering: flipping any one bit of the sealed bytes is refused.
		raw, err := base64.RawURLEncoding.DecodeString(cookie)
		if err != nil {
			t.Fatalf("Seal produced undecodable %q: %v", cookie, err)
		}
		bit := flip % uint(len(raw)*8)
		raw[bit/8] ^= 1 << (bit % 8)
		if _, ok := right.Unseal(name, base64.RawURLEncoding.EncodeToString(raw)); ok {
			t.Fatalf("a cookie with bit %d flipped still unsealed", bit)
		}
	})
}

// sessionIDFrom derives a deterministic session id from arbitrary bytes.
func sessionIDFrom(seed []byte) SessionID {
	return SessionID(sha256.Sum256(seed))
}

// toStdBase64 re-encodes a raw-URL base64 value in the standard padded
// alphabet, which cookies must not be accepted in.
func toStdBase64(value string) string {
	raw, _ := base64.RawURLEncoding.DecodeString(value)
	return base64.StdEncoding.EncodeToString(raw)
}
