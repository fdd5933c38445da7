package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

func TestExerciseDailyIntensityUpsertKeepsItsID(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	first := createdID(t, c.do(t, http.MethodPost, "/api/exercise", map[string]any{"date": "2025-06-10", "intensity": "hard"}))
	// Explicit nulls are the same as absent fields: still the daily record.
	second := createdID(t, c.do(t, http.MethodPost, "/api/exercise",
		map[string]any{"date": "2025-06-10", "intensity": "none", "start_time": nil, "duration_min": nil}))
	if second != first {
		t.Fatalf("second daily upsert id %d, want %d", second, first)
	}
	days := jsonList(t, c.do(t, http.MethodGet, "/api/exercise/intensity?from=2025-06-10&to=2025-06-10", nil), "date", "intensity")
	if len(days) != 1 || days[0]["intensity"] != "none" {
		t.Fatalf("intensity %v, want the overwritten none", days)
	}
}

func TestExerciseTimedEventsAndMaximumIntensity(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	post := func(body map[string]any) int64 {
		t.Helper()
		return createdID(t, c.do(t, http.MethodPost, "/api/exercise", body))
	}
	post(map[string]any{"date": "2025-06-12", "intensity": "none"})
	timedIDs := []int64{
		post(map[string]any{"date": "2025-06-12", "intensity": "hard", "start_time": "18:00", "duration_min": 45}),
		post(map[string]any{"date": "2025-06-12", "intensity": "hard", "start_time": "18:00", "duration_min": 45}),
		post(map[string]any{"date": "2025-06-11", "intensity": "light", "start_time": "07:30:15"}),
		post(map[string]any{"date": "2025-06-14", "intensity": "none", "duration_min": 1440}),
	}
	if len(slices.Compact(slices.Clone(timedIDs))) != len(timedIDs) {
		t.Fatalf("timed events reused ids: %v", timedIDs)
	}
	post(map[string]any{"date": "2025-06-11", "intensity": "none"})
	post(map[string]any{"date": "2025-07-01", "intensity": "hard"}) // outside the range

	resp := c.do(t, http.MethodGet, "/api/exercise/intensity?from=2025-06-01&to=2025-06-30", nil)
	jsonList(t, resp, "date", "intensity")
	var days []struct{ Date, Intensity string }
	resp.JSON(t, &days)
	want := []struct{ Date, Intensity string }{
		{"2025-06-11", "light"}, {"2025-06-12", "hard"}, {"2025-06-14", "none"},
	}
	if !slices.Equal(days, want) {
		t.Fatalf("intensity days %v, want %v", days, want)
	}
}

// TestConcurrentFirstDailyIntensity: concurrent first writes for one date all
// succeed and agree on one record (SPEC §6.5).
func TestConcurrentFirstDailyIntensity(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	results := sendAtOnce(c, 16, http.MethodPost, "/api/exercise", `{"date":"2025-06-10","intensity":"light"}`)
	ids := map[int64]bool{}
	for _, r := range results {
		if r.err != nil || r.status != http.StatusCreated {
			t.Fatalf("response %d %s (err %v), want 201", r.status, r.body, r.err)
		}
		var created struct{ ID int64 }
		if err := json.Unmarshal(r.body, &created); err != nil {
			t.Fatal(err)
		}
		ids[created.ID] = true
	}
	if len(ids) != 1 {
		t.Fatalf("ids %v, want one shared id", ids)
	}
}
