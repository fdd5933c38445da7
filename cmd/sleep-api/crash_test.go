package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/liveserver"
)

// crashRounds is how many times TestCrashSafety kills the server mid-write.
const crashRounds = 4

// Writes acknowledged by the server carry these dates: all notes of the test
// go to noteDate (one list request reads them back) and every sleep session
// gets its own wake date from firstSleepDate on, so none overlap.
var (
	noteDate       = "2030-01-01"
	firstSleepDate = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
)

// acknowledged records every write the server answered 201 to.
type acknowledged struct {
	mu     sync.Mutex
	notes  map[int64]string // id → body
	sleeps map[int64]string // id → wake date
}

func (a *acknowledged) addNote(id int64, body string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.notes[id] = body
}

func (a *acknowledged) addSleep(id int64, date string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sleeps[id] = date
}

func (a *acknowledged) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.notes) + len(a.sleeps)
}

// TestCrashSafety makes acknowledged writes (notes, and sleep sessions whose
// create runs the overlap check in a transaction) from concurrent clients,
// SIGKILLs the real server at a random moment, and proves on the database
// file that PRAGMA integrity_check is ok and every acknowledged write is
// there; then it restarts the server and reads them back through the API,
// reusing the login session from before the first kill. Repeated
// crashRounds times on the same file.
//
// A killed process loses nothing the kernel already has, so this proves
// that the server acknowledges only committed transactions and that SQLite
// recovers its WAL; it does not simulate a power cut.
func TestCrashSafety(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	binary := liveBinary(t)
	dbPath := filepath.Join(t.TempDir(), "crash.db")
	acked := &acknowledged{notes: map[int64]string{}, sleeps: map[int64]string{}}
	var client *liveserver.Client
	nextSleep := 0 // index of the next sleep date, across rounds

	for round := range crashRounds {
		p := startLive(t, binary, dbPath)
		if client == nil {
			client = liveLogin(t, p)
		} else {
			client = client.WithBaseURL(p.URL)
			verifyThroughAPI(t, client, acked)
		}
		before := acked.count()
		killAfter := time.Duration(50+rng.IntN(400)) * time.Millisecond
		nextSleep = writeUntilKilled(t, p, client, acked, round, nextSleep, killAfter)
		t.Logf("round %d: killed after %s of writing, %d writes acknowledged", round, killAfter, acked.count()-before)
		if acked.count() == before {
			t.Fatalf("round %d: no write was acknowledged before the kill", round)
		}
		verifyDatabaseFile(t, dbPath, acked)
	}
	p := startLive(t, binary, dbPath)
	verifyThroughAPI(t, client.WithBaseURL(p.URL), acked)
	if err := p.Stop(); err != nil {
		t.Errorf("clean stop after the last restart: %v", err)
	}
}

// writeUntilKilled runs three note writers and one sleep writer against p
// until each sees the connection fail, and SIGKILLs p killAfter after the
// first acknowledgement. It returns the next unused sleep date index.
func writeUntilKilled(t *testing.T, p *liveserver.Process, client *liveserver.Client, acked *acknowledged,
	round, nextSleep int, killAfter time.Duration) int {
	t.Helper()
	ctx := context.Background()
	firstAck := make(chan struct{})
	var once sync.Once
	ackedOne := func() { once.Do(func() { close(firstAck) }) }
	failures := make(chan error, 4)
	var wg sync.WaitGroup

	// The loops are bounded; the kill ends them long before the bound.
	const maxWritesPerWriter = 100_000
	for writer := range 3 {
		wg.Go(func() {
			for seq := range maxWritesPerWriter {
				body := fmt.Sprintf("round %d writer %d write %d", round, writer, seq)
				id, err := postForID(ctx, client, "/api/note", map[string]string{"date": noteDate, "body": body})
				if err != nil {
					failures <- err
					return
				}
				if id == 0 { // no answer: the server is gone
					return
				}
				acked.addNote(id, body)
				ackedOne()
			}
		})
	}
	sleepIndex := make(chan int, 1)
	wg.Go(func() {
		i := nextSleep
		defer func() { sleepIndex <- i }()
		for range maxWritesPerWriter {
			date := firstSleepDate.AddDate(0, 0, i).Format(time.DateOnly)
			id, err := postForID(ctx, client, "/api/sleep", map[string]any{"date": date, "bed_time": "23:00",
				"wake_time": "07:00", "latency_min": 10, "awakenings": 1, "quality": 4})
			if err != nil {
				failures <- err
				return
			}
			i++ // an unanswered create may have committed: never reuse its date
			if id == 0 {
				return
			}
			acked.addSleep(id, date)
			ackedOne()
		}
	})

	select {
	case <-firstAck:
	case <-time.After(10 * time.Second):
		t.Error("no write acknowledged within 10 s")
	}
	time.Sleep(killAfter)
	if err := p.Kill(); err != nil {
		t.Fatalf("kill: %v", err)
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Error(err)
	}
	return <-sleepIndex
}

// postForID posts v to path and returns the id of a 201 answer, or 0 when no
// answer came (the server was killed). Any other status is an error.
func postForID(ctx context.Context, c *liveserver.Client, path string, v any) (int64, error) {
	resp, err := c.PostJSON(ctx, path, v)
	if err != nil {
		return 0, nil
	}
	if resp.Status != http.StatusCreated {
		return 0, fmt.Errorf("POST %s: status %d, body %s", path, resp.Status, resp.Body)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(resp.Body, &created); err != nil || created.ID <= 0 {
		return 0, fmt.Errorf("POST %s: body %s is not {\"id\":n}", path, resp.Body)
	}
	return created.ID, nil
}

// verifyDatabaseFile opens the killed server's file (SQLite replays the WAL)
// and checks integrity and the presence of every acknowledged write.
func verifyDatabaseFile(t *testing.T, path string, acked *acknowledged) {
	t.Helper()
	db := openDatabaseFile(t, path)
	defer db.Close()
	var integrity string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("PRAGMA integrity_check = %q, err %v", integrity, err)
	}
	notes, err := queryIDText(db.Query("SELECT id, body FROM notes"))
	if err != nil {
		t.Fatal(err)
	}
	sleeps, err := queryIDText(db.Query("SELECT id, wake_date FROM sleep_sessions"))
	if err != nil {
		t.Fatal(err)
	}
	requireSubset(t, "note (database file)", acked.notes, notes)
	requireSubset(t, "sleep session (database file)", acked.sleeps, sleeps)
}

// queryIDText reads (id, text) rows into a map.
func queryIDText(rows *sql.Rows, err error) (map[int64]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		out[id] = text
	}
	return out, rows.Err()
}

// verifyThroughAPI reads every acknowledged write back from a restarted
// server, with the login session made before the crashes.
func verifyThroughAPI(t *testing.T, c *liveserver.Client, acked *acknowledged) {
	t.Helper()
	ctx := context.Background()
	resp, err := c.Do(ctx, http.MethodGet, "/api/note?from="+noteDate+"&to="+noteDate, nil)
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("list notes after restart: status %d, err %v, body %s", resp.Status, err, resp.Body)
	}
	var listed []struct {
		ID   int64  `json:"id"`
		Body string `json:"body"`
	}
	if err := json.Unmarshal(resp.Body, &listed); err != nil {
		t.Fatal(err)
	}
	notes := map[int64]string{}
	for _, n := range listed {
		notes[n.ID] = n.Body
	}
	requireSubset(t, "note (API after restart)", acked.notes, notes)

	sleeps := map[int64]string{}
	for id := range acked.sleeps {
		resp, err := c.Do(ctx, http.MethodGet, "/api/sleep/"+strconv.FormatInt(id, 10), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != http.StatusOK {
			continue // reported as missing below
		}
		var session struct {
			Date string `json:"date"`
		}
		if err := json.Unmarshal(resp.Body, &session); err != nil {
			t.Fatal(err)
		}
		sleeps[id] = session.Date
	}
	requireSubset(t, "sleep session (API after restart)", acked.sleeps, sleeps)
}

// requireSubset fails unless every acknowledged id is present with its value.
// Unacknowledged extra rows are fine: a write can commit and lose its answer.
func requireSubset(t *testing.T, what string, acked, found map[int64]string) {
	t.Helper()
	var missing []error
	for id, want := range acked {
		if got, ok := found[id]; !ok || got != want {
			missing = append(missing, fmt.Errorf("acknowledged %s %d (%q): found %q, present %v", what, id, want, got, ok))
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d acknowledged writes lost:\n%v", len(missing), len(acked), errors.Join(missing[:min(len(missing), 10)]...))
	}
}
