package trends

import (
	"encoding/json"
	"testing"
)

func TestBucketWeekKeys(t *testing.T) {
	tests := []struct{ date, want string }{
		{"2024-12-30", "2025-W01"}, // Monday of ISO week 1 of 2025
		{"2027-01-01", "2026-W53"}, // Friday in the last week of 2026
		{"2025-06-17", "2025-W25"},
		{"2021-01-03", "2020-W53"},
		{"1900-01-01", "1900-W01"},
	}
	for _, tc := range tests {
		if got := BucketWeek.key(day(t, tc.date)); got != tc.want {
			t.Errorf("week key of %s = %s, want %s", tc.date, got, tc.want)
		}
	}
	if got := BucketDay.key(day(t, "2025-06-17")); got != "2025-06-17" {
		t.Errorf("day key = %s", got)
	}
}

func TestBucketValid(t *testing.T) {
	for b, want := range map[Bucket]bool{"day": true, "week": true, "Week": false, "": false, "month": false} {
		if got := b.Valid(); got != want {
			t.Errorf("Bucket(%q).Valid() = %v, want %v", b, got, want)
		}
	}
}

// latencyNight is a daily row with the fields the summary reads.
func latencyNight(t *testing.T, date string, duration, quality, latency int) Night {
	return Night{Date: day(t, date), DurationMin: duration, Quality: new(quality), LatencyMin: new(latency)}
}

func TestSummarizeByWeek(t *testing.T) {
	nights := []Night{
		// ISO week 2025-W01 (2024-12-30 … 2025-01-05): three rows, odd median.
		latencyNight(t, "2024-12-30", 420, 3, 20),
		latencyNight(t, "2025-01-01", 480, 4, 5),
		latencyNight(t, "2025-01-05", 451, 4, 10),
		// 2025-W02: four rows, even median = mean of the middle two.
		latencyNight(t, "2025-01-06", 400, 2, 30),
		latencyNight(t, "2025-01-07", 500, 5, 10),
		latencyNight(t, "2025-01-08", 450, 3, 15),
		latencyNight(t, "2025-01-09", 455, 4, 40),
		// 2025-W04 (W03 has no rows and does not appear).
		latencyNight(t, "2025-01-20", 300, 1, 0),
	}
	got := Summarize(nights, BucketWeek)
	wantDuration := []DurationBucket{
		{"2025-W01", 1351.0 / 3, 420, 480},
		{"2025-W02", 1805.0 / 4, 400, 500},
		{"2025-W04", 300, 300, 300},
	}
	wantQuality := []QualityBucket{{"2025-W01", new(11.0 / 3)}, {"2025-W02", new(3.5)}, {"2025-W04", new(1.0)}}
	wantLatency := []LatencyBucket{{"2025-W01", new(10.0)}, {"2025-W02", new(22.5)}, {"2025-W04", new(0.0)}}
	assertSummary(t, got, wantDuration, wantQuality, wantLatency)
}

func TestSummarizeByDayUnsortedInput(t *testing.T) {
	nights := []Night{
		latencyNight(t, "2025-06-18", 390, 3, 12),
		latencyNight(t, "2025-06-17", 430, 4, 7),
	}
	got := Summarize(nights, BucketDay)
	assertSummary(t, got,
		[]DurationBucket{{"2025-06-17", 430, 430, 430}, {"2025-06-18", 390, 390, 390}},
		[]QualityBucket{{"2025-06-17", new(4.0)}, {"2025-06-18", new(3.0)}},
		[]LatencyBucket{{"2025-06-17", new(7.0)}, {"2025-06-18", new(12.0)}})
}

func assertSummary(t *testing.T, got Summary, duration []DurationBucket, quality []QualityBucket, latency []LatencyBucket) {
	t.Helper()
	if len(got.DurationByBucket) != len(duration) || len(got.QualityByBucket) != len(quality) ||
		len(got.LatencyByBucket) != len(latency) {
		t.Fatalf("bucket counts %d/%d/%d, want %d", len(got.DurationByBucket),
			len(got.QualityByBucket), len(got.LatencyByBucket), len(duration))
	}
	for i, want := range duration {
		g := got.DurationByBucket[i]
		if g.Bucket != want.Bucket || g.MinMin != want.MinMin || g.MaxMin != want.MaxMin {
			t.Errorf("duration bucket %d = %+v, want %+v", i, g, want)
		}
		assertNear(t, want.Bucket+" avg_min", g.AvgMin, want.AvgMin)
	}
	for i, want := range quality {
		if got.QualityByBucket[i].Bucket != want.Bucket {
			t.Errorf("quality bucket %d = %s, want %s", i, got.QualityByBucket[i].Bucket, want.Bucket)
		}
		assertNearOptional(t, want.Bucket+" quality avg", got.QualityByBucket[i].Avg, want.Avg)
	}
	for i, want := range latency {
		if got.LatencyByBucket[i].Bucket != want.Bucket {
			t.Errorf("latency bucket %d = %s, want %s", i, got.LatencyByBucket[i].Bucket, want.Bucket)
		}
		assertNearOptional(t, want.Bucket+" latency median", got.LatencyByBucket[i].Median, want.Median)
	}
}

func TestSummarizeEmptyHasThreeEmptyLists(t *testing.T) {
	for _, bucket := range []Bucket{BucketDay, BucketWeek} {
		body, err := json.Marshal(Summarize(nil, bucket))
		if err != nil {
			t.Fatal(err)
		}
		want := `{"duration_by_bucket":[],"quality_by_bucket":[],"latency_by_bucket":[]}`
		if string(body) != want {
			t.Errorf("%s: body = %s, want %s", bucket, body, want)
		}
	}
}

func TestSummarizeJSONShape(t *testing.T) {
	body, err := json.Marshal(Summarize([]Night{latencyNight(t, "2025-06-17", 445, 4, 15)}, BucketDay))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"duration_by_bucket":[{"bucket":"2025-06-17","avg_min":445,"min_min":445,"max_min":445}],` +
		`"quality_by_bucket":[{"bucket":"2025-06-17","avg":4}],"latency_by_bucket":[{"bucket":"2025-06-17","median":15}]}`
	if string(body) != want {
		t.Errorf("body\n got %s\nwant %s", body, want)
	}
}

// assertNearOptional compares nullable numbers: both null, or both near.
func assertNearOptional(t *testing.T, what string, got, want *float64) {
	t.Helper()
	if got == nil || want == nil {
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
		return
	}
	assertNear(t, what, *got, *want)
}

func TestSummarizeSkipsNullQualityAndLatency(t *testing.T) {
	nights := []Night{
		{Date: day(t, "2025-06-17"), DurationMin: 400, Quality: new(4), LatencyMin: nil},
		{Date: day(t, "2025-06-18"), DurationMin: 420, Quality: nil, LatencyMin: new(12)},
		{Date: day(t, "2025-06-19"), DurationMin: 430, Quality: nil, LatencyMin: nil},
	}
	got := Summarize(nights, BucketWeek)
	assertSummary(t, got,
		[]DurationBucket{{"2025-W25", 1250.0 / 3, 400, 430}},
		[]QualityBucket{{"2025-W25", new(4.0)}},
		[]LatencyBucket{{"2025-W25", new(12.0)}})
	onlyUnrated := Summarize(nights[2:], BucketDay)
	assertSummary(t, onlyUnrated,
		[]DurationBucket{{"2025-06-19", 430, 430, 430}},
		[]QualityBucket{{"2025-06-19", nil}},
		[]LatencyBucket{{"2025-06-19", nil}})
}
