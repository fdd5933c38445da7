package export

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// BenchmarkExport writes the JSON and CSV exports of a ten-year diary (3,650
// nights with diary items and a note each, a timed exercise event every
// second day) to io.Discard, straight from the store:
//
//	go test ./internal/export -run '^$' -bench . -benchmem
func BenchmarkExport(b *testing.B) {
	path := filepath.Join(b.TempDir(), "ten-years.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	fillTenYears(b, path)
	for _, format := range []string{"json", "csv"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := st.ReadExport(context.Background(), func(tx *store.ExportTx) error {
					if format == "csv" {
						return WriteCSV(io.Discard, tx)
					}
					return WriteJSON(io.Discard, tx, time.Now())
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func fillTenYears(b *testing.B, path string) {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		b.Fatal(err)
	}
	last, _ := sleep.ParseDate("2025-06-19")
	for i := range 3650 {
		date := last.AddDays(i - 3649).String()
		if _, err := tx.Exec(`INSERT INTO sleep_sessions (wake_date, bed_time, wake_time, latency_min, awakenings, quality,
			duration_min, waso_min, rested, alcohol_drinks, caffeine_drinks, medication)
			VALUES (?, '23:00:00', '07:00:00', ?, ?, ?, 480, ?, ?, ?, ?, 'melatonin 2 mg')`,
			date, i%60, i%4, 1+i%5, i%45, 1+i%5, i%3, i%4); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO notes (date, body) VALUES (?, ?)", date,
			fmt.Sprintf("night %d: coffee after 3 pm, read before bed, woke once around four, felt ok", i)); err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := tx.Exec("INSERT INTO exercise_events (date, intensity, start_time, duration_min) VALUES (?, 'light', '18:00:00', 30)", date); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
