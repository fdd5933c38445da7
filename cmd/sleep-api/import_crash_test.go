package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/liveserver"
)

// importCrashNights is the size of the import whose commit is killed: large
// enough that its one transaction runs for seconds on this machine.
const importCrashNights = 30000

// TestImportCommitCrash SIGKILLs the real server while it commits a large
// import (SPEC §13.4: one transaction, all or none) and checks on the file
// that PRAGMA integrity_check is ok and that the database holds all of the
// import or none of it; then a restarted server imports the same file again
// and ends up with exactly one copy.
func TestImportCommitCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real server")
	}
	binary := liveBinary(t)
	var csv strings.Builder
	csv.WriteString("date,bed_time,wake_time,duration_min,notes\n")
	first := time.Date(1920, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range importCrashNights {
		fmt.Fprintf(&csv, "%s,23:00:00,07:00:00,480,night %d\n", first.AddDate(0, 0, i).Format(time.DateOnly), i)
	}
	body := []byte(csv.String())

	for round, killAfter := range []time.Duration{150 * time.Millisecond, 700 * time.Millisecond, 1500 * time.Millisecond} {
		dbPath := filepath.Join(t.TempDir(), "crash.db")
		p := startLive(t, binary, dbPath)
		c := liveLogin(t, p)
		id := readyImport(t, c, body)

		answered := make(chan liveserver.Response, 1)
		go func() {
			resp, _ := c.Do(context.Background(), http.MethodPost, "/api/imports/"+id+"/commit", nil)
			answered <- resp
		}()
		time.Sleep(killAfter)
		if err := p.Kill(); err != nil {
			t.Fatal(err)
		}
		resp := <-answered
		sessions, notes := countAfterCrash(t, dbPath)
		t.Logf("round %d: killed %s into the commit (answer %d): %d sessions, %d notes on file",
			round, killAfter, resp.Status, sessions, notes)
		switch {
		case resp.Status == http.StatusOK && (sessions != importCrashNights || notes != importCrashNights):
			t.Fatalf("round %d: the commit was acknowledged but the file holds %d sessions, %d notes", round, sessions, notes)
		case sessions != notes || (sessions != 0 && sessions != importCrashNights):
			t.Fatalf("round %d: a partial import survived the kill: %d sessions, %d notes", round, sessions, notes)
		}

		// A restart forgets the job (and removes its spooled file); the same
		// file imported again completes the database exactly once.
		p = startLive(t, binary, dbPath)
		c = c.WithBaseURL(p.URL)
		resp2, err := c.Do(context.Background(), http.MethodGet, "/api/imports", nil)
		if err != nil || string(bytes.TrimSpace(resp2.Body)) != "[]" {
			t.Fatalf("jobs after restart: %v %s", err, resp2.Body)
		}
		if spooled, _ := filepath.Glob(filepath.Join(filepath.Dir(dbPath), ".sleeptracker-import-*")); len(spooled) != 0 {
			t.Fatalf("spooled uploads left after restart: %v", spooled)
		}
		id = readyImport(t, c, body)
		done, err := c.Do(context.Background(), http.MethodPost, "/api/imports/"+id+"/commit", nil)
		if err != nil || done.Status != http.StatusOK {
			t.Fatalf("commit after restart: %v %d %s", err, done.Status, done.Body)
		}
		if err := p.Stop(); err != nil {
			t.Fatal(err)
		}
		if sessions, notes := countAfterCrash(t, dbPath); sessions != importCrashNights || notes != importCrashNights {
			t.Fatalf("round %d: after the second import %d sessions, %d notes", round, sessions, notes)
		}
	}
}

// readyImport uploads body and waits until the job is ready.
func readyImport(t *testing.T, c *liveserver.Client, body []byte) string {
	t.Helper()
	ctx := context.Background()
	resp, err := c.DoRequest(ctx, http.MethodPost, "/api/imports", "application/octet-stream", bytes.NewReader(body))
	if err != nil || resp.Status != http.StatusAccepted {
		t.Fatalf("upload: %v %d %s", err, resp.Status, resp.Body)
	}
	var job struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal(resp.Body, &job); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for job.State == "parsing" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		r, err := c.Do(ctx, http.MethodGet, "/api/imports/"+job.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(r.Body, &job)
	}
	if job.State != "ready" {
		t.Fatalf("job %s is %s", job.ID, job.State)
	}
	return job.ID
}

// countAfterCrash opens the file (SQLite replays or drops the WAL), checks
// its integrity and counts sessions and notes.
func countAfterCrash(t *testing.T, path string) (sessions, notes int) {
	t.Helper()
	db := openDatabaseFile(t, path)
	defer db.Close()
	var integrity string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("PRAGMA integrity_check = %q, err %v", integrity, err)
	}
	if err := db.QueryRow("SELECT (SELECT COUNT(*) FROM sleep_sessions), (SELECT COUNT(*) FROM notes)").Scan(&sessions, &notes); err != nil {
		t.Fatal(err)
	}
	return sessions, notes
}
