package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/sleep"
)

// Store-level tests of the diary methods (sleep sessions, exercise, notes,
// user timezone) against a real SQLite file.

func day(t testing.TB, s string) sleep.Date {
	t.Helper()
	d, ok := sleep.ParseDate(s)
	if !ok {
		t.Fatalf("bad test date %q", s)
	}
	return d
}

func clock(t testing.TB, s string) sleep.Clock {
	t.Helper()
	c, ok := sleep.ParseClock(s)
	if !ok {
		t.Fatalf("bad test clock %q", s)
	}
	return c
}

// night is a valid SleepInput with latency 10, 1 awakening and quality 4.
func night(t testing.TB, date, bed, wake string) sleep.SleepInput {
	return sleep.SleepInput{Date: day(t, date), Bed: clock(t, bed), Wake: clock(t, wake),
		LatencyMin: new(10), Awakenings: new(1), Quality: new(4)}
}

func mustCreateSleep(t *testing.T, st *Store, in sleep.SleepInput, durationMin int) int64 {
	t.Helper()
	id, err := st.CreateSleep(context.Background(), in, durationMin)
	if err != nil {
		t.Fatalf("CreateSleep(%v %v-%v): %v", in.Date, in.Bed, in.Wake, err)
	}
	return id
}

func diaryStore(t *testing.T) *Store {
	return openStore(t, t.TempDir()+"/sleep.db")
}

func TestCreateSleepRefusesOverlapAndStoresNothingElse(t *testing.T) {
	ctx := context.Background()
	st := diaryStore(t)
	id := mustCreateSleep(t, st, night(t, "2025-06-21", "22:00", "06:00"), 480)

	hard := sleep.IntensityHard
	note := "lost"
	clash := night(t, "2025-06-20", "21:00", "22:00") // touches the stored bed time
	clash.ExerciseIntensity, clash.Note = &hard, &note
	if _, err := st.CreateSleep(ctx, clash, 60); !errors.Is(err, sleep.ErrOverlap) {
		t.Fatalf("overlapping create: %v, want ErrOverlap", err)
	}
	if days, _ := st.IntensityByDate(ctx, day(t, "2025-06-01"), day(t, "2025-06-30")); len(days) != 0 {
		t.Fatalf("failed create stored intensity %v", days)
	}
	if notes, _ := st.NotesInRange(ctx, day(t, "2025-06-01"), day(t, "2025-06-30")); len(notes) != 0 {
		t.Fatalf("failed create stored notes %v", notes)
	}

	got, err := st.GetSleep(ctx, id)
	want := sleep.Session{ID: id, Date: day(t, "2025-06-21"), Bed: clock(t, "22:00"), Wake: clock(t, "06:00"),
		LatencyMin: new(10), Awakenings: new(1), Quality: new(4), DurationMin: 480}.WithDerived()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("GetSleep = %+v, %v; want %+v", got, err, want)
	}
	if _, err := st.GetSleep(ctx, id+1); !errors.Is(err, sleep.ErrNotFound) {
		t.Fatalf("GetSleep(missing): %v, want ErrNotFound", err)
	}
}

func TestCreateSleepWithExtras(t *testing.T) {
	ctx := context.Background()
	st := diaryStore(t)
	light := sleep.IntensityLight
	text := "  kept trimmed by the domain  "
	in := night(t, "2025-06-21", "22:00", "06:00")
	in.ExerciseIntensity, in.Note = &light, &text
	mustCreateSleep(t, st, in, 480)
	blank := ""
	nap := night(t, "2025-06-21", "13:00", "14:00")
	nap.Note = &blank
	mustCreateSleep(t, st, nap, 60)

	days, err := st.IntensityByDate(ctx, day(t, "2025-06-21"), day(t, "2025-06-21"))
	if err != nil || len(days) != 1 || days[0].Intensity != sleep.IntensityLight {
		t.Fatalf("IntensityByDate = %v, %v", days, err)
	}
	notes, err := st.NotesInRange(ctx, day(t, "2025-06-21"), day(t, "2025-06-21"))
	if err != nil || len(notes) != 1 || notes[0].Body != text {
		t.Fatalf("NotesInRange = %v, %v; want one note %q", notes, err, text)
	}
}

func TestUpdateSleep(t *testing.T) {
	ctx := context.Background()
	st := diaryStore(t)
	id := mustCreateSleep(t, st, night(t, "2025-06-21", "22:00", "06:00"), 480)
	other := mustCreateSleep(t, st, night(t, "2025-06-22", "22:00", "06:00"), 480)

	// Existence comes first, even when the body overlaps.
	if err := st.UpdateSleep(ctx, other+10, replaceWith(night(t, "2025-06-21", "05:00", "07:00"), 120)); !errors.Is(err, sleep.ErrNotFound) {
		t.Fatalf("update of a missing id: %v, want ErrNotFound", err)
	}
	if err := st.UpdateSleep(ctx, id, replaceWith(night(t, "2025-06-21", "21:00", "07:00"), 600)); err != nil {
		t.Fatalf("update overlapping only itself: %v", err)
	}
	if err := st.UpdateSleep(ctx, id, replaceWith(night(t, "2025-06-22", "05:00", "07:00"), 120)); !errors.Is(err, sleep.ErrOverlap) {
		t.Fatalf("update overlapping another session: %v, want ErrOverlap", err)
	}
	if err := st.UpdateSleep(ctx, id, replaceWith(night(t, "2025-06-25", "13:00", "14:00"), 60)); err != nil {
		t.Fatal(err)
	}
	moved, err := st.SleepByDate(ctx, day(t, "2025-06-25"))
	if err != nil || len(moved) != 1 || moved[0].ID != id || moved[0].DurationMin != 60 {
		t.Fatalf("after moving: %+v, %v", moved, err)
	}
	if old, _ := st.SleepByDate(ctx, day(t, "2025-06-21")); old == nil || len(old) != 0 {
		t.Fatalf("old date lists %+v, want an empty non-nil list", old)
	}

	for range 2 {
		if err := st.DeleteSleep(ctx, id); err != nil {
			t.Fatalf("DeleteSleep: %v", err)
		}
	}
	if _, err := st.GetSleep(ctx, id); !errors.Is(err, sleep.ErrNotFound) {
		t.Fatalf("GetSleep after delete: %v", err)
	}
}

func TestSleepListsAndDailyRows(t *testing.T) {
	ctx := context.Background()
	st := diaryStore(t)
	if rows, err := st.RecentDaily(ctx, 7); err != nil || rows == nil || len(rows) != 0 {
		t.Fatalf("RecentDaily on an empty store = %#v, %v; want a non-nil empty slice", rows, err)
	}
	overnight := mustCreateSleep(t, st, sleep.SleepInput{Date: day(t, "2025-06-15"), Bed: clock(t, "22:00"), Wake: clock(t, "06:00"),
		LatencyMin: new(10), Awakenings: new(1), Quality: new(3)}, 480)
	nap := mustCreateSleep(t, st, sleep.SleepInput{Date: day(t, "2025-06-15"), Bed: clock(t, "13:00"), Wake: clock(t, "14:00"),
		LatencyMin: new(11), Awakenings: new(1), Quality: new(5)}, 60)
	older := mustCreateSleep(t, st, night(t, "2025-06-10", "23:00", "07:00"), 480)
	newest := mustCreateSleep(t, st, night(t, "2025-06-19", "23:30", "07:00"), 450)
	mustCreateSleep(t, st, night(t, "2025-05-01", "23:30", "07:00"), 450)

	sessions, err := st.SleepInRange(ctx, day(t, "2025-06-14"), day(t, "2025-06-16"))
	if err != nil || len(sessions) != 2 || sessions[0].ID != overnight || sessions[1].ID != nap {
		t.Fatalf("SleepInRange = %+v, %v; want overnight then nap", sessions, err)
	}

	june15 := sleep.DailyRow{ID: overnight, Date: day(t, "2025-06-15"), Bed: clock(t, "22:00"), Wake: clock(t, "14:00"),
		LatencyMin: new(10), Awakenings: new(2), Quality: new(4), DurationMin: 540}
	recent, err := st.RecentDaily(ctx, 2)
	if err != nil || len(recent) != 2 || recent[0].ID != newest || !reflect.DeepEqual(recent[1], june15) {
		t.Fatalf("RecentDaily(2) = %+v, %v; want 06-19 then %+v", recent, err, june15)
	}
	all, err := st.RecentDaily(ctx, 31)
	var dates []string
	for _, row := range all {
		dates = append(dates, row.Date.String())
	}
	if err != nil || !slices.Equal(dates, []string{"2025-06-19", "2025-06-15", "2025-06-10", "2025-05-01"}) {
		t.Fatalf("RecentDaily(31) dates %v, %v", dates, err)
	}

	inRange, err := st.DailyRowsInRange(ctx, day(t, "2025-06-01"), day(t, "2025-06-30"))
	if err != nil || len(inRange) != 3 || inRange[0].ID != older || !reflect.DeepEqual(inRange[1], june15) || inRange[2].ID != newest {
		t.Fatalf("DailyRowsInRange = %+v, %v", inRange, err)
	}
}

func TestRecordExercise(t *testing.T) {
	ctx := context.Background()
	st := diaryStore(t)
	daily := func(date string, i sleep.Intensity) int64 {
		t.Helper()
		id, err := st.RecordExercise(ctx, sleep.ExerciseInput{Date: day(t, date), Intensity: i})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := daily("2025-06-10", sleep.IntensityHard)
	if again := daily("2025-06-10", sleep.IntensityNone); again != first {
		t.Fatalf("second daily upsert id %d, want %d", again, first)
	}
	start := clock(t, "18:00")
	minutes := 30
	var timed []int64
	for _, in := range []sleep.ExerciseInput{
		{Date: day(t, "2025-06-10"), Intensity: sleep.IntensityLight, StartTime: &start},
		{Date: day(t, "2025-06-10"), Intensity: sleep.IntensityLight, StartTime: &start},
		{Date: day(t, "2025-06-12"), Intensity: sleep.IntensityNone, DurationMin: &minutes},
	} {
		id, err := st.RecordExercise(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		timed = append(timed, id)
	}
	if timed[0] == timed[1] || slices.Contains(timed, first) {
		t.Fatalf("timed ids %v reuse an id (daily %d)", timed, first)
	}
	daily("2025-06-12", sleep.IntensityHard)

	got, err := st.IntensityByDate(ctx, day(t, "2025-06-01"), day(t, "2025-06-30"))
	want := []sleep.IntensityDay{
		{Date: day(t, "2025-06-10"), Intensity: sleep.IntensityLight},
		{Date: day(t, "2025-06-12"), Intensity: sleep.IntensityHard},
	}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("IntensityByDate = %v, %v; want %v", got, err, want)
	}
	if empty, err := st.IntensityByDate(ctx, day(t, "2025-07-01"), day(t, "2025-07-31")); err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("empty IntensityByDate = %#v, %v; want a non-nil empty slice", empty, err)
	}
}

func TestConcurrentDailyIntensityUpserts(t *testing.T) {
	st := diaryStore(t)
	ids := make([]int64, 16)
	errs := make([]error, 16)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ids[i], errs[i] = st.RecordExercise(context.Background(),
				sleep.ExerciseInput{Date: day(t, "2025-06-10"), Intensity: sleep.IntensityLight})
		}()
	}
	close(start)
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("upsert %d: id %d, err %v; want id %d", i, ids[i], errs[i], ids[0])
		}
	}
}

func TestConcurrentCreateSleepIsSerialized(t *testing.T) {
	st := diaryStore(t)
	errs := make([]error, 16)
	start := make(chan struct{})
	var wg sync.WaitGroup
	in := night(t, "2025-06-21", "22:00", "06:00")
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = st.CreateSleep(context.Background(), in, 480)
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for _, err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, sleep.ErrOverlap):
			t.Fatalf("CreateSleep: %v, want nil or ErrOverlap", err)
		}
	}
	if created != 1 {
		t.Fatalf("%d creates succeeded, want 1", created)
	}
}

func TestNotes(t *testing.T) {
	ctx := context.Background()
	st := diaryStore(t)
	add := func(date, body string) int64 {
		t.Helper()
		id, err := st.AddNote(ctx, sleep.NoteInput{Date: day(t, date), Body: body})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	b := add("2025-06-12", " as sent ")
	a1 := add("2025-06-11", "")
	a2 := add("2025-06-11", "second")
	got, err := st.NotesInRange(ctx, day(t, "2025-06-11"), day(t, "2025-06-12"))
	want := []sleep.Note{{ID: a1, Date: day(t, "2025-06-11")}, {ID: a2, Date: day(t, "2025-06-11"), Body: "second"},
		{ID: b, Date: day(t, "2025-06-12"), Body: " as sent "}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("NotesInRange = %v, %v; want %v", got, err, want)
	}
	if err := st.UpdateNote(ctx, a1, sleep.NoteInput{Date: day(t, "2025-06-13"), Body: "moved"}); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateNote(ctx, b+100, sleep.NoteInput{Date: day(t, "2025-06-13")}); !errors.Is(err, sleep.ErrNotFound) {
		t.Fatalf("UpdateNote(missing): %v, want ErrNotFound", err)
	}
	for range 2 {
		if err := st.DeleteNote(ctx, a2); err != nil {
			t.Fatal(err)
		}
	}
	got, err = st.NotesInRange(ctx, day(t, "2025-06-01"), day(t, "2025-06-30"))
	want = []sleep.Note{{ID: b, Date: day(t, "2025-06-12"), Body: " as sent "}, {ID: a1, Date: day(t, "2025-06-13"), Body: "moved"}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("after update and delete: %v, %v; want %v", got, err, want)
	}
	if empty, err := st.NotesInRange(ctx, day(t, "2025-07-01"), day(t, "2025-07-02")); err != nil || empty == nil {
		t.Fatalf("empty NotesInRange = %#v, %v; want a non-nil empty slice", empty, err)
	}
}

func TestUserLocation(t *testing.T) {
	ctx := context.Background()
	st := diaryStore(t)
	berlin, err := sleep.LoadZone("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	check := func(wantName string, wantLoc *time.Location) {
		t.Helper()
		name, loc, err := st.UserLocation(ctx, "Europe/Berlin", berlin)
		if err != nil || name != wantName || loc.String() != wantLoc.String() {
			t.Fatalf("UserLocation = %q, %v, %v; want %q, %v", name, loc, err, wantName, wantLoc)
		}
	}
	check("Europe/Berlin", berlin) // nothing stored: APP_TZ
	if err := st.SetUserTimezone(ctx, "Asia/Tokyo"); err != nil {
		t.Fatal(err)
	}
	tokyo, _ := sleep.LoadZone("Asia/Tokyo")
	check("Asia/Tokyo", tokyo)
	// A stored name that no longer loads falls back instead of failing.
	if err := st.PutSetting(ctx, SettingUserTimezone, "Mars/Olympus_Mons"); err != nil {
		t.Fatal(err)
	}
	check("Europe/Berlin", berlin)
}

// replaceWith is an UpdateSleep build function that ignores the stored
// session and writes in with the given duration.
func replaceWith(in sleep.SleepInput, durationMin int) func(*sleep.Session) (sleep.SleepInput, int, error) {
	return func(*sleep.Session) (sleep.SleepInput, int, error) { return in, durationMin, nil }
}
