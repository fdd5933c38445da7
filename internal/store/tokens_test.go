package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/sleep"
)

func testToken(i int, created time.Time, expires *time.Time) APIToken {
	hash := sha256.Sum256(fmt.Appendf(nil, "st_token-%d", i))
	return APIToken{Hash: hash[:], Name: fmt.Sprintf("token %d", i), Scope: "read", CreatedAt: created, ExpiresAt: expires}
}

func TestAPITokenLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	t0 := time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC)
	expires := t0.Add(30 * 24 * time.Hour)

	first := testToken(1, t0, &expires)
	first.Scope = "write"
	id1, err := s.CreateAPIToken(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	id2, err := s.CreateAPIToken(ctx, testToken(2, t0.Add(time.Minute), nil))
	if err != nil {
		t.Fatal(err)
	}

	list, err := s.APITokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != id2 || list[1].ID != id1 {
		t.Fatalf("list %+v, want newest first: %d, %d", list, id2, id1)
	}
	if list[0].Hash != nil || list[1].Hash != nil {
		t.Error("the list reads the hashes; it never needs them")
	}
	if got := list[1]; got.Name != "token 1" || got.Scope != "write" || !got.CreatedAt.Equal(t0) ||
		got.ExpiresAt == nil || !got.ExpiresAt.Equal(expires) || got.LastUsedAt != nil {
		t.Errorf("stored %+v", got)
	}
	if list[0].ExpiresAt != nil {
		t.Errorf("a token without expiry got %v", list[0].ExpiresAt)
	}

	found, ok, err := s.APITokenByHash(ctx, first.Hash)
	if err != nil || !ok || found.ID != id1 || !bytes.Equal(found.Hash, first.Hash) {
		t.Fatalf("by hash: %+v %v %v", found, ok, err)
	}
	if _, ok, err := s.APITokenByHash(ctx, make([]byte, 32)); ok || err != nil {
		t.Fatalf("unknown hash found: %v %v", ok, err)
	}

	used := t0.Add(time.Hour)
	if err := s.TouchAPIToken(ctx, id1, used); err != nil {
		t.Fatal(err)
	}
	found, _, _ = s.APITokenByHash(ctx, first.Hash)
	if found.LastUsedAt == nil || !found.LastUsedAt.Equal(used) {
		t.Fatalf("last_used_at %v, want %v", found.LastUsedAt, used)
	}

	hash, ok, err := s.APITokenHash(ctx, id1)
	if err != nil || !ok || !bytes.Equal(hash, first.Hash) {
		t.Fatalf("hash by id: %x %v %v", hash, ok, err)
	}
	if err := s.DeleteAPIToken(ctx, id1); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAPIToken(ctx, id1); err != nil {
		t.Fatalf("deleting again: %v", err)
	}
	if _, ok, _ := s.APITokenByHash(ctx, first.Hash); ok {
		t.Fatal("a deleted token is still found")
	}
	if _, ok, _ := s.APITokenHash(ctx, id1); ok {
		t.Fatal("a deleted token still has a hash")
	}
}

func TestAPITokenSchemaRefusesBadRows(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	t0 := time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC)
	if _, err := s.CreateAPIToken(ctx, testToken(1, t0, nil)); err != nil {
		t.Fatal(err)
	}
	before := t0.Add(-time.Second)
	for name, tok := range map[string]APIToken{
		"duplicate hash":     testToken(1, t0, nil),
		"short hash":         {Hash: []byte{1, 2, 3}, Name: "x", Scope: "read", CreatedAt: t0},
		"empty name":         {Hash: testToken(2, t0, nil).Hash, Name: "", Scope: "read", CreatedAt: t0},
		"unknown scope":      {Hash: testToken(3, t0, nil).Hash, Name: "x", Scope: "admin", CreatedAt: t0},
		"expires before now": {Hash: testToken(4, t0, nil).Hash, Name: "x", Scope: "read", CreatedAt: t0, ExpiresAt: &before},
	} {
		if _, err := s.CreateAPIToken(ctx, tok); err == nil {
			t.Errorf("%s: stored", name)
		}
	}
}

// TestAPITokenLimit creates tokens from several goroutines at once: exactly
// MaxAPITokens succeed, the rest get the 400 of SPEC §16, and a deletion
// frees a place.
func TestAPITokenLimit(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	t0 := time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC)
	const attempts = MaxAPITokens + 10
	var wg sync.WaitGroup
	errs := make([]error, attempts)
	ids := make([]int64, attempts)
	for i := range attempts {
		wg.Go(func() { ids[i], errs[i] = s.CreateAPIToken(ctx, testToken(i, t0, nil)) })
	}
	wg.Wait()
	created, refused := 0, 0
	var someID int64
	for i, err := range errs {
		switch {
		case err == nil:
			created++
			someID = ids[i]
		case errors.Is(err, ErrTooManyAPITokens):
			if de := sleep.AsError(err); de == nil || de.Message != "at most 50 tokens may exist" {
				t.Errorf("limit error %v", err)
			}
			refused++
		default:
			t.Errorf("create %d: %v", i, err)
		}
	}
	if created != MaxAPITokens || refused != attempts-MaxAPITokens {
		t.Fatalf("%d created, %d refused; want %d and %d", created, refused, MaxAPITokens, attempts-MaxAPITokens)
	}
	if err := s.DeleteAPIToken(ctx, someID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAPIToken(ctx, testToken(attempts, t0, nil)); err != nil {
		t.Fatalf("after a deletion: %v", err)
	}
	if _, err := s.CreateAPIToken(ctx, testToken(attempts+1, t0, nil)); !errors.Is(err, ErrTooManyAPITokens) {
		t.Fatalf("the 51st token: %v", err)
	}
}
