package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2 variants accepted in ADMIN_PASSWORD_HASH (SPEC §2.2.2).
const (
	VariantArgon2id = "argon2id"
	VariantArgon2i  = "argon2i"
)

// Bounds of SPEC §2.2.2. They keep a mistyped hash from costing gigabytes or
// minutes per login attempt.
const (
	supportedVersion = argon2.Version // 19 (0x13); x/crypto implements no other
	maxMemoryKiB     = 262144
	maxIterations    = 16
	maxLanes         = 16
	minSaltBytes     = 8
	minKeyBytes      = 16
	maxKeyBytes      = 64
)

// Parameters of hashes made by HashPassword and NewDummyHash (pw-hash, SPEC §9.2).
const (
	newMemoryKiB  = 19456
	newIterations = 2
	newLanes      = 1
	newSaltBytes  = 16
	newKeyBytes   = 32
)

// errNotPHC is also the answer for hashes whose "$…" parts an unquoted .env
// line expanded away, hence the quoting hint.
var errNotPHC = errors.New("not an argon2 PHC string (quote it with single quotes in .env)")

// PasswordHash is a parsed argon2 PHC string such as
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>. Obtain one with
// ParsePasswordHash, HashPassword (then parse) or NewDummyHash; the zero value
// verifies nothing.
type PasswordHash struct {
	Variant    string // VariantArgon2id or VariantArgon2i
	Version    int    // always 19
	MemoryKiB  uint32 // m
	Iterations uint32 // t
	Lanes      uint8  // p
	Salt       []byte
	Key        []byte // the derived hash the password must reproduce
}

// ParsePasswordHash parses and bounds-checks an argon2id or argon2i PHC
// string (SPEC §2.2.2). The error message is short and user-facing, meant to
// follow "config: ADMIN_PASSWORD_HASH: ".
func ParsePasswordHash(s string) (PasswordHash, error) {
	if !strings.HasPrefix(s, "$argon2") {
		return PasswordHash{}, errNotPHC
	}
	fields := strings.Split(s, "$") // "", variant, v=…, m=…,t=…,p=…, salt, key
	h := PasswordHash{Variant: fields[1]}
	switch h.Variant {
	case VariantArgon2id, VariantArgon2i:
	case "argon2d":
		return PasswordHash{}, errors.New("argon2d is not supported; generate an argon2id hash with pw-hash")
	default:
		return PasswordHash{}, fmt.Errorf("unsupported variant %q; want argon2id or argon2i", h.Variant)
	}
	if len(fields) != 6 {
		return PasswordHash{}, errors.New("malformed PHC string; want $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>")
	}
	if fields[2] != "v="+strconv.Itoa(supportedVersion) {
		return PasswordHash{}, fmt.Errorf("unsupported version %q; only v=19 is supported", fields[2])
	}
	h.Version = supportedVersion
	if err := h.parseParameters(fields[3]); err != nil {
		return PasswordHash{}, err
	}
	var err error
	if h.Salt, err = decodePHCBase64(fields[4]); err != nil {
		return PasswordHash{}, errors.New("salt is not valid base64")
	}
	if len(h.Salt) < minSaltBytes {
		return PasswordHash{}, fmt.Errorf("salt is %d bytes; at least %d are required", len(h.Salt), minSaltBytes)
	}
	if h.Key, err = decodePHCBase64(fields[5]); err != nil {
		return PasswordHash{}, errors.New("hash is not valid base64")
	}
	if len(h.Key) < minKeyBytes || len(h.Key) > maxKeyBytes {
		return PasswordHash{}, fmt.Errorf("hash is %d bytes; want %d to %d", len(h.Key), minKeyBytes, maxKeyBytes)
	}
	return h, nil
}

// parseParameters reads "m=<KiB>,t=<iterations>,p=<lanes>" (in this order,
// as every argon2 tool writes them) and checks the bounds.
func (h *PasswordHash) parseParameters(s string) error {
	malformed := fmt.Errorf("malformed parameters %q; want m=<KiB>,t=<iterations>,p=<lanes>", s)
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return malformed
	}
	var values [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(parts[i], name)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
			return malformed
		}
		v, err := strconv.ParseUint(digits, 10, 32)
		if err != nil {
			return malformed
		}
		values[i] = v
	}
	m, t, p := values[0], values[1], values[2]
	if p < 1 || p > maxLanes {
		return fmt.Errorf("p=%d is out of bounds; want 1 to %d", p, maxLanes)
	}
	if m < 8*p || m > maxMemoryKiB {
		return fmt.Errorf("m=%d is out of bounds; want 8·p (%d) to %d KiB", m, 8*p, maxMemoryKiB)
	}
	if t < 1 || t > maxIterations {
		return fmt.Errorf("t=%d is out of bounds; want 1 to %d", t, maxIterations)
	}
	h.MemoryKiB, h.Iterations, h.Lanes = uint32(m), uint32(t), uint8(p)
	return nil
}

// decodePHCBase64 decodes standard base64; PHC strings omit the padding, but
// some tools write it, so correct padding is accepted too.
func decodePHCBase64(s string) ([]byte, error) {
	if strings.HasSuffix(s, "=") {
		return base64.StdEncoding.Strict().DecodeString(s)
	}
	return base64.RawStdEncoding.Strict().DecodeString(s)
}

// Verify reports whether password (used exactly as given, never trimmed)
// produces h's key. The key comparison is constant-time; the argon2 work
// itself costs the same whatever the password.
func (h PasswordHash) Verify(password string) bool {
	if len(h.Key) == 0 || h.Iterations == 0 || h.Lanes == 0 {
		return false // zero or hand-built invalid value: argon2 would panic
	}
	return subtle.ConstantTimeCompare(h.derive(password), h.Key) == 1
}

// derive runs argon2 with h's variant, parameters and salt.
func (h PasswordHash) derive(password string) []byte {
	defer scheduleMemoryRelease()
	keyLen := uint32(len(h.Key))
	if h.Variant == VariantArgon2i {
		return argon2.Key([]byte(password), h.Salt, h.Iterations, h.MemoryKiB, h.Lanes, keyLen)
	}
	return argon2.IDKey([]byte(password), h.Salt, h.Iterations, h.MemoryKiB, h.Lanes, keyLen)
}

// Every derivation allocates its m KiB (19 MiB for pw-hash's parameters) on
// the heap. After a burst of logins the Go runtime keeps that memory: an idle
// server allocates nothing, so no GC runs to lower the heap goal, and the
// scavenger returns pages only above that goal — RSS stayed at 75 MB for
// minutes after 20 logins (issue 11, scripts/coldstart.sh). So once password
// checks pause for memoryReleaseDelay, the memory goes back to the OS in one
// FreeOSMemory call (a GC of a small heap plus madvise, a few ms, off the
// request path). A steady stream of logins keeps postponing it.
var (
	memoryReleaseDelay = 5 * time.Second
	releaseMemory      = debug.FreeOSMemory // replaced in tests

	memoryReleaseMu    sync.Mutex
	memoryReleaseTimer *time.Timer
)

func scheduleMemoryRelease() {
	memoryReleaseMu.Lock()
	defer memoryReleaseMu.Unlock()
	if memoryReleaseTimer == nil {
		memoryReleaseTimer = time.AfterFunc(memoryReleaseDelay, func() { releaseMemory() })
		return
	}
	memoryReleaseTimer.Reset(memoryReleaseDelay)
}

// String returns the PHC string, with unpadded standard base64 salt and key.
// For a parsed hash it equals the input except that any padding is dropped.
func (h PasswordHash) String() string {
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s", h.Variant, h.Version,
		h.MemoryKiB, h.Iterations, h.Lanes,
		base64.RawStdEncoding.EncodeToString(h.Salt), base64.RawStdEncoding.EncodeToString(h.Key))
}

// HashPassword returns the PHC string for ADMIN_PASSWORD_HASH: argon2id v19,
// m=19456 KiB, t=2, p=1, a fresh 16-byte salt and a 32-byte key (SPEC §9.2).
// The only error is an empty password, which can never be a login secret.
func HashPassword(password string) (string, error) {
	if password == "" {
		return "", errors.New("password must not be empty")
	}
	return newArgon2idHash(password).String(), nil
}

// NewDummyHash returns a stand-in hash with HashPassword's parameters, a
// random salt and random key bytes. Login verifies the submitted password
// against it when the email is wrong, so a wrong email costs the same one
// derivation as a wrong password (§4.2). No password is derived here: the key
// of a real hash is indistinguishable from random bytes, and skipping the
// 19 MiB derivation keeps start-up fast and idle memory low (issue 11). A
// password matching it would have to find a preimage of 32 random bytes.
func NewDummyHash() PasswordHash {
	h := newArgon2idParams()
	rand.Read(h.Key) // never fails: crypto/rand crashes the program instead
	return h
}

func newArgon2idHash(password string) PasswordHash {
	h := newArgon2idParams()
	h.Key = h.derive(password) // only the length of the placeholder key matters to derive
	return h
}

// newArgon2idParams returns the pw-hash parameters with a fresh random salt
// and a zero key of the right length.
func newArgon2idParams() PasswordHash {
	h := PasswordHash{
		Variant:    VariantArgon2id,
		Version:    supportedVersion,
		MemoryKiB:  newMemoryKiB,
		Iterations: newIterations,
		Lanes:      newLanes,
		Salt:       make([]byte, newSaltBytes),
		Key:        make([]byte, newKeyBytes),
	}
	rand.Read(h.Salt) // never fails: crypto/rand crashes the program instead
	return h
}
