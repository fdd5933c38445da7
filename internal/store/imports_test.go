package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"sleeptracker/internal/imports"
	"sleeptracker/internal/sleep"
)

func mustImportDate(t *testing.T, s string) sleep.Date {
	t.Helper()
	d, ok := sleep.ParseDate(s)
	if !ok {
		t.Fatal(s)
	}
	return d
}

// CommitImport is one transaction: a plan whose last row the database
// refuses stores nothing, and build sees what the transaction sees.
func TestCommitImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	d1, d2 := mustImportDate(t, "2025-06-10"), mustImportDate(t, "2025-06-11")
	bed, _ := sleep.ParseClock("23:00")
	wake, _ := sleep.ParseClock("07:00")
	good := imports.NewSession{Date: d1, Bed: bed, Wake: wake, DurationMin: 480}
	bad := imports.NewSession{Date: d2, Bed: bed, Wake: wake, DurationMin: 0} // CHECK (duration_min > 0)
	span := imports.Span{From: d1, To: d2}
	err := st.CommitImport(ctx, span, func(imports.Existing) (*imports.Plan, error) {
		return &imports.Plan{Sessions: []imports.NewSession{good, bad},
			Notes: []imports.NoteRecord{{Date: d1, Body: "kept?"}}}, nil
	})
	if err == nil {
		t.Fatal("a plan the database refuses was committed")
	}
	ex, err := st.ImportExisting(ctx, span)
	if err != nil || len(ex.Sessions) != 0 || len(ex.Notes) != 0 {
		t.Fatalf("after the failed commit: %+v %v", ex, err)
	}
	refused := errors.New("build refused")
	if err := st.CommitImport(ctx, span, func(imports.Existing) (*imports.Plan, error) { return nil, refused }); !errors.Is(err, refused) {
		t.Fatalf("build error: %v", err)
	}

	tz := "Europe/Paris"
	intensity := imports.ExerciseRecord{Date: d1, Intensity: sleep.IntensityHard}
	if err := st.CommitImport(ctx, span, func(ex imports.Existing) (*imports.Plan, error) {
		if ex.Timezone != nil || ex.HasSleepWindow {
			t.Errorf("fresh database: %+v", ex)
		}
		return &imports.Plan{Sessions: []imports.NewSession{good}, Exercise: []imports.ExerciseRecord{intensity},
			Timezone: &tz, SleepWindow: &imports.SleepWindowRecord{Wake: wake, WindowMin: 360, Since: d1}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	ex, err = st.ImportExisting(ctx, imports.Span{From: d2, To: d2}) // d1's session is within a day of d2
	if err != nil || len(ex.Sessions) != 1 || len(ex.Exercise) != 0 || ex.Timezone == nil || *ex.Timezone != tz || !ex.HasSleepWindow {
		t.Fatalf("after the commit: %+v %v", ex, err)
	}
}

// BenchmarkCommitImport commits a ten-year plan (3,650 sessions with diary
// items, 1,825 daily intensities, 1,217 notes) into an empty database.
func BenchmarkCommitImport(b *testing.B) {
	first, _ := sleep.ParseDate("2016-01-02")
	bed, _ := sleep.ParseClock("23:00")
	wake, _ := sleep.ParseClock("06:45")
	waso, q := 15, 4
	plan := &imports.Plan{}
	for i := range 3650 {
		d := first.AddDays(i)
		plan.Sessions = append(plan.Sessions, imports.NewSession{Date: d, Bed: bed, Wake: wake, DurationMin: 465,
			Quality: &q, DiaryItems: sleep.DiaryItems{WasoMin: &waso, InBed: &bed}})
		if i%2 == 0 {
			plan.Exercise = append(plan.Exercise, imports.ExerciseRecord{Date: d, Intensity: sleep.IntensityLight})
		}
		if i%3 == 0 {
			plan.Notes = append(plan.Notes, imports.NoteRecord{Date: d, Body: "late coffee ☕"})
		}
	}
	span := imports.Span{From: first, To: first.AddDays(3649)}
	for b.Loop() {
		b.StopTimer()
		st, err := Open(context.Background(), filepath.Join(b.TempDir(), "sleep.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := st.CommitImport(context.Background(), span, func(imports.Existing) (*imports.Plan, error) { return plan, nil }); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}
