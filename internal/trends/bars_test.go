package trends

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestSleepBarsSpecExample(t *testing.T) {
	// SPEC §7.1: two nights in Asia/Tokyo, as daily rows.
	nights := []Night{
		nightShape{bed: "23:05", wake: "06:15", durationMin: 430, quality: 4}.on(t, day(t, "2025-06-17")),
		nightShape{bed: "00:30", wake: "07:00", durationMin: 390, quality: 3}.on(t, day(t, "2025-06-18")),
	}
	body, err := json.Marshal(SleepBars(nights))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"date":"2025-06-17","bed_time":"23:05:00","wake_time":"06:15:00","quality":4,"duration_min":430},` +
		`{"date":"2025-06-18","bed_time":"00:30:00","wake_time":"07:00:00","quality":3,"duration_min":390}]`
	if string(body) != want {
		t.Errorf("body\n got %s\nwant %s", body, want)
	}
}

func TestSleepBarsEmptyIsEmptyList(t *testing.T) {
	body, err := json.Marshal(SleepBars(nil))
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != "[]" {
		t.Errorf("body = %s, want []", body)
	}
}

func TestSleepBarsKeepsSecondsAndSortsByDate(t *testing.T) {
	nights := []Night{
		{Date: day(t, "2025-06-19"), BedSec: 22*3600 + 59*60 + 59, WakeSec: 6*3600 + 1, DurationMin: 421, Quality: new(2)},
		{Date: day(t, "2025-06-18"), BedSec: 0, WakeSec: 86399, DurationMin: 60, Quality: new(5)},
	}
	bars := SleepBars(nights)
	want := []SleepBar{
		{Date: "2025-06-18", BedTime: "00:00:00", WakeTime: "23:59:59", Quality: new(5), DurationMin: 60},
		{Date: "2025-06-19", BedTime: "22:59:59", WakeTime: "06:00:01", Quality: new(2), DurationMin: 421},
	}
	if len(bars) != len(want) {
		t.Fatalf("got %d bars, want %d", len(bars), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(bars[i], want[i]) {
			t.Errorf("bar %d = %+v, want %+v", i, bars[i], want[i])
		}
	}
	if !nights[0].Date.Equal(day(t, "2025-06-19")) {
		t.Error("SleepBars reordered the caller's slice")
	}
}
