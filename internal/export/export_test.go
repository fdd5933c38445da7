package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// Export tests over a real SQLite file, filled through the same parsers and
// store methods as the API.

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "sleep.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func fields(t testing.TB, body string) sleep.Fields {
	t.Helper()
	var f sleep.Fields
	if err := json.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return f
}

// addSleep stores a session from a POST /api/sleep body with the given duration.
func addSleep(t testing.TB, st *store.Store, body string, duration int) {
	t.Helper()
	in, err := sleep.ParseSleepInput(fields(t, body))
	if err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	if _, err := st.CreateSleep(context.Background(), in, duration); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
}

func addExercise(t testing.TB, st *store.Store, body string) {
	t.Helper()
	in, err := sleep.ParseExerciseInput(fields(t, body))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordExercise(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

func addNote(t testing.TB, st *store.Store, date, body string) {
	t.Helper()
	d, _ := sleep.ParseDate(date)
	if _, err := st.AddNote(context.Background(), sleep.NoteInput{Date: d, Body: body}); err != nil {
		t.Fatal(err)
	}
}

// exportJSON and exportCSV run an export in one read transaction.
func exportJSON(t testing.TB, st *store.Store, at time.Time) string {
	t.Helper()
	var buf bytes.Buffer
	err := st.ReadExport(context.Background(), func(tx *store.ExportTx) error { return WriteJSON(&buf, tx, at) })
	if err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func exportCSV(t testing.TB, st *store.Store) string {
	t.Helper()
	var buf bytes.Buffer
	if err := st.ReadExport(context.Background(), func(tx *store.ExportTx) error { return WriteCSV(&buf, tx) }); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// fillSample stores one of each kind of record. Inserted out of order on
// purpose: the export must sort, not replay insertion order.
func fillSample(t testing.TB, st *store.Store) {
	ctx := context.Background()
	// 2025-06-17: a 13:00 nap stored first, then the night that began at 23:05
	// the day before; the night must come first.
	addSleep(t, st, `{"date":"2025-06-17","bed_time":"13:00","wake_time":"13:35","latency_min":5,"awakenings":0,"quality":3}`, 35)
	addSleep(t, st, `{"date":"2025-06-17","bed_time":"23:05","wake_time":"06:30:15","latency_min":15,"awakenings":2,"quality":4,
		"in_bed_time":"22:40","waso_min":20,"out_of_bed_time":"06:50","rested":3,"alcohol_drinks":1,"caffeine_drinks":2,
		"medication":"=melatonin 2 mg","exercise_intensity":"light","note":"late coffee"}`, 445)
	addSleep(t, st, `{"date":"2025-06-10","bed_time":"22:00","wake_time":"06:00","latency_min":10,"awakenings":1,"quality":5}`, 480)
	addExercise(t, st, `{"date":"2025-06-17","intensity":"hard","start_time":"18:00","duration_min":45}`)
	addExercise(t, st, `{"date":"2025-06-12","intensity":"none"}`)
	addNote(t, st, "2025-06-17", "ünïcode \"quoted\" <b>, comma")
	addNote(t, st, "2025-06-11", "no session that day")
	addNote(t, st, "2025-06-17", "late coffee")
	if err := st.SetUserTimezone(ctx, "Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	wake, _ := sleep.ParseClock("06:30")
	since, _ := sleep.ParseDate("2025-06-10")
	if err := st.PutSleepWindow(ctx, sleep.SleepWindow{Wake: wake, WindowMin: 345, Since: since}); err != nil {
		t.Fatal(err)
	}
}

func TestJSONLayout(t *testing.T) {
	st := openStore(t)
	fillSample(t, st)
	got := exportJSON(t, st, time.Date(2025, 6, 18, 9, 0, 0, 123, time.FixedZone("CEST", 7200)))
	want := `{"format":"sleeptracker-export","version":1,"exported_at":"2025-06-18T07:00:00Z","timezone":"Europe/Paris",` +
		`"sessions":[` +
		`{"date":"2025-06-10","bed_time":"22:00:00","wake_time":"06:00:00","latency_min":10,"awakenings":1,"quality":5,"duration_min":480,` +
		`"in_bed_time":null,"waso_min":null,"out_of_bed_time":null,"rested":null,"alcohol_drinks":null,"caffeine_drinks":null,"medication":null},` +
		`{"date":"2025-06-17","bed_time":"23:05:00","wake_time":"06:30:15","latency_min":15,"awakenings":2,"quality":4,"duration_min":445,` +
		`"in_bed_time":"22:40:00","waso_min":20,"out_of_bed_time":"06:50:00","rested":3,"alcohol_drinks":1,"caffeine_drinks":2,"medication":"=melatonin 2 mg"},` +
		`{"date":"2025-06-17","bed_time":"13:00:00","wake_time":"13:35:00","latency_min":5,"awakenings":0,"quality":3,"duration_min":35,` +
		`"in_bed_time":null,"waso_min":null,"out_of_bed_time":null,"rested":null,"alcohol_drinks":null,"caffeine_drinks":null,"medication":null}],` +
		`"exercise":[{"date":"2025-06-12","intensity":"none","start_time":null,"duration_min":null},` +
		`{"date":"2025-06-17","intensity":"light","start_time":null,"duration_min":null},` +
		`{"date":"2025-06-17","intensity":"hard","start_time":"18:00:00","duration_min":45}],` +
		`"notes":[{"date":"2025-06-11","body":"no session that day"},{"date":"2025-06-17","body":"late coffee"},` +
		`{"date":"2025-06-17","body":"ünïcode \"quoted\" <b>, comma"},{"date":"2025-06-17","body":"late coffee"}],` +
		`"sleep_window":{"wake_time":"06:30:00","window_min":345,"since":"2025-06-10"}}` + "\n"
	if got != want {
		t.Fatalf("JSON export:\n got %s\nwant %s", got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Fatal("not valid JSON")
	}
}

func TestJSONOfAnEmptyDatabase(t *testing.T) {
	st := openStore(t)
	got := exportJSON(t, st, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	want := `{"format":"sleeptracker-export","version":1,"exported_at":"2025-01-01T00:00:00Z","timezone":null,` +
		`"sessions":[],"exercise":[],"notes":[],"sleep_window":null}` + "\n"
	if got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}

func TestCSVLayoutAndFormulaGuard(t *testing.T) {
	st := openStore(t)
	fillSample(t, st)
	addNote(t, st, "2025-06-10", "+ started therapy")
	got := exportCSV(t, st)
	want := "date,bed_time,wake_time,duration_min,latency_min,awakenings,quality,in_bed_time,waso_min,out_of_bed_time," +
		"rested,alcohol_drinks,caffeine_drinks,medication,exercise_intensity,notes\r\n" +
		"2025-06-10,22:00:00,06:00:00,480,10,1,5,,,,,,,,,'+ started therapy\r\n" +
		"2025-06-17,23:05:00,06:30:15,445,15,2,4,22:40:00,20,06:50:00,3,1,2,'=melatonin 2 mg,hard," +
		"\"late coffee | ünïcode \"\"quoted\"\" <b>, comma | late coffee\"\r\n" +
		"2025-06-17,13:00:00,13:35:00,35,5,0,3,,,,,,,,hard," +
		"\"late coffee | ünïcode \"\"quoted\"\" <b>, comma | late coffee\"\r\n"
	if got != want {
		t.Fatalf("CSV export:\n got %q\nwant %q", got, want)
	}
	rows, err := csv.NewReader(strings.NewReader(got)).ReadAll()
	if err != nil || len(rows) != 4 || len(rows[1]) != len(CSVHeader) {
		t.Fatalf("CSV does not parse back: %v %v", rows, err)
	}
}

// TestOrderAcrossPages fills more records than one page of every query
// (store reads 256 at a time) and checks order and completeness, with dates
// holding several sessions on both sides of page boundaries.
func TestOrderAcrossPages(t *testing.T) {
	st := openStore(t)
	start, _ := sleep.ParseDate("2020-01-01")
	const days = 400
	for i := range days {
		d := start.AddDays(i).String()
		addSleep(t, st, `{"date":"`+d+`","bed_time":"14:00","wake_time":"14:30","latency_min":0,"awakenings":0,"quality":3}`, 30)
		addSleep(t, st, `{"date":"`+d+`","bed_time":"23:00","wake_time":"07:00","latency_min":0,"awakenings":0,"quality":3}`, 480)
		addNote(t, st, d, fmt.Sprintf("b%d", i))
		addNote(t, st, d, fmt.Sprintf("a%d", i))
		addExercise(t, st, `{"date":"`+d+`","intensity":"light","start_time":"07:30","duration_min":20}`)
	}
	var doc struct {
		Sessions []struct {
			Date string `json:"date"`
			Bed  string `json:"bed_time"`
		} `json:"sessions"`
		Exercise []struct{ Date string } `json:"exercise"`
		Notes    []struct {
			Date string `json:"date"`
			Body string `json:"body"`
		} `json:"notes"`
	}
	if err := json.Unmarshal([]byte(exportJSON(t, st, time.Now())), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Sessions) != 2*days || len(doc.Notes) != 2*days || len(doc.Exercise) != days {
		t.Fatalf("%d sessions, %d notes, %d exercise records", len(doc.Sessions), len(doc.Notes), len(doc.Exercise))
	}
	for i := range days {
		d := start.AddDays(i).String()
		night, nap := doc.Sessions[2*i], doc.Sessions[2*i+1]
		if night.Date != d || night.Bed != "23:00:00" || nap.Date != d || nap.Bed != "14:00:00" {
			t.Fatalf("sessions of %s: %+v then %+v; want the night (bed the evening before) first", d, night, nap)
		}
		if n1, n2 := doc.Notes[2*i], doc.Notes[2*i+1]; n1.Body != fmt.Sprintf("b%d", i) || n2.Body != fmt.Sprintf("a%d", i) {
			t.Fatalf("notes of %s: %q %q; want id order", d, n1.Body, n2.Body)
		}
	}
	lines := strings.Split(strings.TrimSuffix(exportCSV(t, st), "\r\n"), "\r\n")
	if len(lines) != 2*days+1 || !strings.HasSuffix(lines[len(lines)-1], ",light,b399 | a399") {
		t.Fatalf("CSV: %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// TestExportIsOneSnapshot: writes that land while an export runs are not in
// it, even though the export reads page after page.
func TestExportIsOneSnapshot(t *testing.T) {
	st := openStore(t)
	for i := range 300 {
		addNote(t, st, "2024-01-01", fmt.Sprint(i))
	}
	ctx := context.Background()
	var count int
	err := st.ReadExport(ctx, func(tx *store.ExportTx) error {
		for n, err := range tx.Notes() {
			if err != nil {
				return err
			}
			if count == 10 {
				// A write from elsewhere, between two pages of this export.
				d, _ := sleep.ParseDate("2025-01-01")
				if _, err := st.AddNote(ctx, sleep.NoteInput{Date: d, Body: "late"}); err != nil {
					return err
				}
			}
			_ = n
			count++
		}
		return nil
	})
	if err != nil || count != 300 {
		t.Fatalf("export saw %d notes (%v), want the 300 of its snapshot", count, err)
	}
}

func TestFileName(t *testing.T) {
	d, _ := sleep.ParseDate("2025-06-18")
	if FileName(d, "json") != "sleeptracker-export-2025-06-18.json" || FileName(d, "csv") != "sleeptracker-export-2025-06-18.csv" {
		t.Fatal(FileName(d, "json"))
	}
}
