package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the driver the store uses

	"sleeptracker/internal/liveserver"
)

// The floor is the least any server could do for GET /api/sleep/range: a
// bare net/http handler that runs the same query on an identical copy of
// the database and encodes the same JSON — no session, no CSRF, no
// middleware, no validation beyond parsing the dates. It runs as a separate
// process (this program re-executed with -serve-floor) so that it and
// sleep-api are measured the same way, each with its own Go runtime.

// floorReadConns matches the store's read pool (internal/store readPoolSize).
const floorReadConns = 4

// copyDatabase writes a consistent copy of the live database at src to dst
// with VACUUM INTO, which reads through SQLite's own locking and is safe
// while the server runs.
func copyDatabase(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(src)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", dst)
	return err
}

// startFloor re-executes this program as the floor server over dbPath.
func startFloor(dbPath string) (*liveserver.Process, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return liveserver.StartOnFreePort(func(addr string) *exec.Cmd {
		return exec.Command(self, "-serve-floor", dbPath, "-floor-addr", addr)
	})
}

// floorSession has the JSON shape of a SleepSession (SPEC §5.2, §12.1,
// §12.2): the floor reads and writes the same columns and fields as the real
// route, so the ratio compares like with like.
type floorSession struct {
	ID              int64   `json:"id"`
	Date            string  `json:"date"`
	BedTime         string  `json:"bed_time"`
	WakeTime        string  `json:"wake_time"`
	LatencyMin      *int64  `json:"latency_min"`
	Awakenings      *int64  `json:"awakenings"`
	Quality         *int64  `json:"quality"`
	DurationMin     int64   `json:"duration_min"`
	InBedTime       *string `json:"in_bed_time"`
	WasoMin         *int64  `json:"waso_min"`
	OutOfBedTime    *string `json:"out_of_bed_time"`
	Rested          *int64  `json:"rested"`
	AlcoholDrinks   *int64  `json:"alcohol_drinks"`
	CaffeineDrinks  *int64  `json:"caffeine_drinks"`
	Medication      *string `json:"medication"`
	TIBMin          int64   `json:"tib_min"`
	TSTMin          int64   `json:"tst_min"`
	SEPct           float64 `json:"se_pct"`
	TerminalWakeMin int64   `json:"terminal_wake_min"`
}

// serveFloor serves GET /api/sleep/range and GET /health from dbPath on addr
// until the process is killed.
func serveFloor(dbPath, addr string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(dbPath)+
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(floorReadConns)
	db.SetMaxIdleConns(floorReadConns)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("GET /api/sleep/range", func(w http.ResponseWriter, r *http.Request) {
		from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
		if _, err := time.Parse(time.DateOnly, from); err != nil {
			http.Error(w, "bad from", http.StatusBadRequest)
			return
		}
		if _, err := time.Parse(time.DateOnly, to); err != nil {
			http.Error(w, "bad to", http.StatusBadRequest)
			return
		}
		sessions, err := floorRange(r.Context(), db, from, to)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		body, err := json.Marshal(sessions)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	server := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return server.ListenAndServe()
}

// floorRange runs the store's range query (ListSleepSessionsInRange).
func floorRange(ctx context.Context, db *sql.DB, from, to string) ([]floorSession, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min,
		in_bed_time, waso_min, out_of_bed_time, rested, alcohol_drinks, caffeine_drinks, medication
		FROM sleep_sessions WHERE wake_date >= ? AND wake_date <= ? ORDER BY wake_date, wake_time, id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sessions := []floorSession{}
	for rows.Next() {
		var s floorSession
		if err := rows.Scan(&s.ID, &s.Date, &s.BedTime, &s.WakeTime, &s.LatencyMin, &s.Awakenings, &s.Quality, &s.DurationMin,
			&s.InBedTime, &s.WasoMin, &s.OutOfBedTime, &s.Rested, &s.AlcoholDrinks, &s.CaffeineDrinks, &s.Medication); err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		// The seeded nights carry no in/out-of-bed times, so TIB is the
		// duration; TST subtracts latency and WASO as §12.2 does.
		s.TIBMin = s.DurationMin
		s.TSTMin = max(0, s.DurationMin-deref(s.LatencyMin)-deref(s.WasoMin))
		s.SEPct = float64(1000*s.TSTMin/s.TIBMin) / 10
		sessions = append(sessions, s)
	}
	return sessions, rows.Err()
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
