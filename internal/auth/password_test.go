package auth

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Vectors made with Debian's argon2 CLI (package argon2 0~20171227), e.g.
//
//	echo -n 'correct horse' | argon2 somesaltsalt -id -t 2 -m 15 -p 1 -l 32 -e
//
// They prove that hashes from other standard tools verify (SPEC §2.2.2).
const (
	cliPassword = "correct horse"
	// -id -t 2 -m 15 (2^15 KiB) -p 1 -l 32
	cliArgon2idM32768 = "$argon2id$v=19$m=32768,t=2,p=1$c29tZXNhbHRzYWx0$mCkJ8hqBGcFTF4Hv1EOO92apHnbZUXjxzr5OqlPcRR0"
	// -id -t 2 -k 19456 -p 1 -l 32: the pw-hash parameters
	cliArgon2idM19456 = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzYWx0$ivZxBeJ8BBYLN7Nz1nLTB5NjJ3CLuH+h6Gzw8wVSOKg"
	// -i -t 3 -m 12 -p 2 -l 32
	cliArgon2iM4096 = "$argon2i$v=19$m=4096,t=3,p=2$c29tZXNhbHRzYWx0$74L6K+lfvXUQ2mmq54E58seiVIcxjGWU2CBnhLoo7ek"
	// -d -t 3 -m 12 -p 2 -l 32
	cliArgon2d = "$argon2d$v=19$m=4096,t=3,p=2$c29tZXNhbHRzYWx0$6Q8tc/eiOKaWkLRYHQSHAB12gI20yS1qJkuc3N3wKmg"
	// -id -t 2 -m 12 -p 1 -l 32 -v 10
	cliArgon2idV16 = "$argon2id$v=16$m=4096,t=2,p=1$c29tZXNhbHRzYWx0$YMt9HEWJPKBk/A3X2BButGEfQ0q2hjIoxvuEdWNXOEI"
)

func mustParse(t *testing.T, s string) PasswordHash {
	t.Helper()
	h, err := ParsePasswordHash(s)
	if err != nil {
		t.Fatalf("ParsePasswordHash(%q): %v", s, err)
	}
	return h
}

func TestHashPasswordRoundTrip(t *testing.T) {
	const password = " pass word with spaces "
	s, err := HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Split(s, "$")
	if len(fields) != 6 || fields[1] != "argon2id" || fields[2] != "v=19" || fields[3] != "m=19456,t=2,p=1" {
		t.Fatalf("HashPassword = %q; want $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", s)
	}
	if len(fields[4]) != 22 || len(fields[5]) != 43 {
		t.Errorf("salt/hash lengths = %d/%d characters; want 22/43", len(fields[4]), len(fields[5]))
	}
	h := mustParse(t, s)
	if h.String() != s {
		t.Errorf("String() = %q; want %q", h.String(), s)
	}
	if !h.Verify(password) {
		t.Error("the hashed password does not verify")
	}
	for _, wrong := range []string{"", "pass word with spaces", " pass word with spaces", " pass word with spaces  ", " Pass word with spaces "} {
		if h.Verify(wrong) {
			t.Errorf("Verify(%q) = true; want false", wrong)
		}
	}
	again, _ := HashPassword(password)
	if again == s {
		t.Error("two hashes of the same password are equal; the salt is not random")
	}
}

func TestHashPasswordRefusesEmpty(t *testing.T) {
	if s, err := HashPassword(""); err == nil {
		t.Fatalf("HashPassword(\"\") = %q, nil; want an error", s)
	}
}

func TestNewDummyHash(t *testing.T) {
	a, b := NewDummyHash(), NewDummyHash()
	if a.String() == b.String() {
		t.Error("two dummy hashes are equal; want random ones")
	}
	if !strings.HasPrefix(a.String(), "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("dummy hash %q does not use the pw-hash parameters", a)
	}
	if _, err := ParsePasswordHash(a.String()); err != nil {
		t.Errorf("dummy hash does not parse: %v", err)
	}
	if a.Verify("") || a.Verify(cliPassword) {
		t.Error("a dummy hash verified a guessable password")
	}
	if len(a.Salt) != newSaltBytes || len(a.Key) != newKeyBytes {
		t.Errorf("dummy hash has a %d-byte salt and a %d-byte key; want %d and %d",
			len(a.Salt), len(a.Key), newSaltBytes, newKeyBytes)
	}
	if bytes.Equal(a.Key, make([]byte, newKeyBytes)) || bytes.Equal(a.Key, b.Key) {
		t.Error("dummy hash key is not random")
	}
}

// TestNewDummyHashDerivesNothing keeps argon2 out of start-up (issue 11):
// a hundred stand-in hashes must cost less than one verification against one.
func TestNewDummyHashDerivesNothing(t *testing.T) {
	start := time.Now()
	h := NewDummyHash()
	for range 99 {
		NewDummyHash()
	}
	made := time.Since(start)
	start = time.Now()
	h.Verify("x")
	verified := time.Since(start)
	if made > verified {
		t.Fatalf("100 NewDummyHash calls took %v, one Verify %v: NewDummyHash derives a key", made, verified)
	}
}

func TestZeroPasswordHashVerifiesNothing(t *testing.T) {
	if (PasswordHash{}).Verify("") {
		t.Error("zero PasswordHash verified the empty password")
	}
}

func TestForeignHashesVerify(t *testing.T) {
	for _, s := range []string{cliArgon2idM32768, cliArgon2idM19456, cliArgon2iM4096} {
		t.Run(s, func(t *testing.T) {
			h := mustParse(t, s)
			if !h.Verify(cliPassword) {
				t.Error("the right password does not verify")
			}
			if h.Verify(cliPassword + " ") {
				t.Error("a wrong password verifies")
			}
			if h.String() != s {
				t.Errorf("String() = %q; want the input back", h.String())
			}
		})
	}
}

func TestParsePaddingTolerated(t *testing.T) {
	// "somesaltsalt" is 12 bytes (no padding needed); use a 10-byte salt and a
	// 32-byte key, whose standard base64 forms end in "==" and "=".
	unpadded := "$argon2id$v=19$m=4096,t=1,p=1$c29tZXNhbHRzYQ$mCkJ8hqBGcFTF4Hv1EOO92apHnbZUXjxzr5OqlPcRR0"
	padded := "$argon2id$v=19$m=4096,t=1,p=1$c29tZXNhbHRzYQ==$mCkJ8hqBGcFTF4Hv1EOO92apHnbZUXjxzr5OqlPcRR0="
	a, b := mustParse(t, unpadded), mustParse(t, padded)
	if a.String() != b.String() || b.String() != unpadded {
		t.Errorf("padded %q parsed as %q; want %q", padded, b, unpadded)
	}
}

// phc builds a hash string with the given parameter field, salt and key; the
// base64 below decode to 8 (salt) and 16/64/15/65 (key) bytes.
func phc(params, salt, key string) string {
	return "$argon2id$v=19$" + params + "$" + salt + "$" + key
}

const (
	salt8  = "c29tZXNhbHQ"            // 8 bytes
	salt7  = "c29tZXNhbA"             // 7 bytes
	key16  = "AAAAAAAAAAAAAAAAAAAAAA" // 16 bytes
	key15  = "AAAAAAAAAAAAAAAAAAAA"   // 15 bytes
	params = "m=19456,t=2,p=1"
)

var (
	key64 = strings.Repeat("A", 85) + "Q" // 64 bytes (86 chars)
	key65 = strings.Repeat("A", 87)       // 65 bytes (87 chars)
)

func TestParsePasswordHashBounds(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string // "" = valid
	}{
		{"minimal valid", phc("m=8,t=1,p=1", salt8, key16), ""},
		{"maximal valid", phc("m=262144,t=16,p=16", salt8, key64), ""},
		{"m just below 8·p", phc("m=127,t=1,p=16", salt8, key16), "m=127 is out of bounds; want 8·p (128) to 262144 KiB"},
		{"m equal to 8·p", phc("m=128,t=1,p=16", salt8, key16), ""},
		{"m below 8", phc("m=7,t=1,p=1", salt8, key16), "m=7 is out of bounds; want 8·p (8) to 262144 KiB"},
		{"m above 256 MiB", phc("m=262145,t=1,p=1", salt8, key16), "m=262145 is out of bounds; want 8·p (8) to 262144 KiB"},
		{"t zero", phc("m=19456,t=0,p=1", salt8, key16), "t=0 is out of bounds; want 1 to 16"},
		{"t above 16", phc("m=19456,t=17,p=1", salt8, key16), "t=17 is out of bounds; want 1 to 16"},
		{"p zero", phc("m=19456,t=2,p=0", salt8, key16), "p=0 is out of bounds; want 1 to 16"},
		{"p above 16", phc("m=19456,t=2,p=17", salt8, key16), "p=17 is out of bounds; want 1 to 16"},
		{"salt 7 bytes", phc(params, salt7, key16), "salt is 7 bytes; at least 8 are required"},
		{"hash 15 bytes", phc(params, salt8, key15), "hash is 15 bytes; want 16 to 64"},
		{"hash 65 bytes", phc(params, salt8, key65), "hash is 65 bytes; want 16 to 64"},
		{"salt not base64", phc(params, "c29tZXNhbHQ!", key16), "salt is not valid base64"},
		{"salt url-safe alphabet", phc(params, "c29tZXNhbHQ_-A", key16), "salt is not valid base64"},
		{"hash not base64", phc(params, salt8, "AAAA AAAA"), "hash is not valid base64"},
		{"hash wrong padding", phc(params, salt8, key16+"="), "hash is not valid base64"},
		{"params out of order", phc("t=2,m=19456,p=1", salt8, key16), `malformed parameters "t=2,m=19456,p=1"; want m=<KiB>,t=<iterations>,p=<lanes>`},
		{"params missing p", phc("m=19456,t=2", salt8, key16), `malformed parameters "m=19456,t=2"; want m=<KiB>,t=<iterations>,p=<lanes>`},
		{"params signed", phc("m=+19456,t=2,p=1", salt8, key16), `malformed parameters "m=+19456,t=2,p=1"; want m=<KiB>,t=<iterations>,p=<lanes>`},
		{"params overflow", phc("m=99999999999,t=2,p=1", salt8, key16), `malformed parameters "m=99999999999,t=2,p=1"; want m=<KiB>,t=<iterations>,p=<lanes>`},
		{"argon2d", cliArgon2d, "argon2d is not supported; generate an argon2id hash with pw-hash"},
		{"version 16", cliArgon2idV16, `unsupported version "v=16"; only v=19 is supported`},
		{"no version field", "$argon2id$m=19456,t=2,p=1$" + salt8 + "$" + key16, "malformed PHC string; want $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>"},
		{"unknown variant", "$argon2x$v=19$" + params + "$" + salt8 + "$" + key16, `unsupported variant "argon2x"; want argon2id or argon2i`},
		{"trailing field", phc(params, salt8, key16) + "$", "malformed PHC string; want $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>"},
		{"expanded away by .env", "=19=19456,t=2,p=1", errNotPHC.Error()},
		{"expanded away, v=19 kept", "v=19,m=19456,t=2,p=1", errNotPHC.Error()},
		{"bcrypt", "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", errNotPHC.Error()},
		{"empty", "", errNotPHC.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePasswordHash(tc.in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("ParsePasswordHash(%q) error = %q; want %q", tc.in, got, tc.wantErr)
			}
		})
	}
}

func TestErrNotPHCMessage(t *testing.T) {
	// Pinned by SPEC §2.2: the config error table quotes it verbatim.
	const want = "not an argon2 PHC string (quote it with single quotes in .env)"
	if errNotPHC.Error() != want {
		t.Errorf("message = %q; want %q", errNotPHC, want)
	}
}

// TestMemoryReleasedAfterPasswordChecksPause: argon2's memory goes back to
// the OS once, shortly after the last of a burst of checks (issue 11).
func TestMemoryReleasedAfterPasswordChecksPause(t *testing.T) {
	released := make(chan struct{}, 10)
	memoryReleaseMu.Lock()
	oldDelay, oldRelease := memoryReleaseDelay, releaseMemory
	memoryReleaseDelay = 300 * time.Millisecond
	releaseMemory = func() { released <- struct{}{} }
	if memoryReleaseTimer != nil {
		memoryReleaseTimer.Stop()
		memoryReleaseTimer = nil
	}
	memoryReleaseMu.Unlock()
	t.Cleanup(func() {
		memoryReleaseMu.Lock()
		defer memoryReleaseMu.Unlock()
		if memoryReleaseTimer != nil {
			memoryReleaseTimer.Stop()
			memoryReleaseTimer = nil
		}
		memoryReleaseDelay, releaseMemory = oldDelay, oldRelease
	})

	h := mustParse(t, cliArgon2iM4096) // a cheap hash: 4 MiB
	start := time.Now()
	for range 3 {
		h.Verify("wrong")
	}
	select {
	case <-released:
		if waited := time.Since(start); waited < 300*time.Millisecond {
			t.Fatalf("released after %v, before the pause", waited)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("memory was not released after the checks paused")
	}
	select {
	case <-released:
		t.Fatal("released more than once for one burst")
	case <-time.After(500 * time.Millisecond):
	}
}
