package trends

import (
	"fmt"
	"time"
)

// Bucket selects how the summary groups daily rows (SPEC §7.2).
type Bucket string

const (
	// BucketDay groups by wake date; keys look like "2025-06-17".
	BucketDay Bucket = "day"
	// BucketWeek groups by ISO-8601 week; keys look like "2025-W01".
	BucketWeek Bucket = "week"
)

// Valid reports whether b is one of the two buckets the API accepts
// (case-sensitive), so the HTTP layer can answer "bucket must be day or week".
func (b Bucket) Valid() bool { return b == BucketDay || b == BucketWeek }

// key is the bucket a wake date falls in. Any bucket other than BucketWeek is
// treated as BucketDay. Both key forms sort chronologically as strings.
func (b Bucket) key(date time.Time) string {
	if b == BucketWeek {
		year, week := date.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", year, week)
	}
	return formatDate(date)
}

// Summary is the body of GET /api/trends/summary: three parallel lists over
// the same buckets in ascending key order, each [] when there are no rows.
type Summary struct {
	DurationByBucket []DurationBucket `json:"duration_by_bucket"`
	QualityByBucket  []QualityBucket  `json:"quality_by_bucket"`
	LatencyByBucket  []LatencyBucket  `json:"latency_by_bucket"`
}

// DurationBucket summarises the sleep durations of one bucket.
type DurationBucket struct {
	Bucket string  `json:"bucket"`
	AvgMin float64 `json:"avg_min"` // mean, not rounded
	MinMin int     `json:"min_min"`
	MaxMin int     `json:"max_min"`
}

// QualityBucket is the mean quality of one bucket, not rounded; null when no
// night of the bucket was rated (§12.1).
type QualityBucket struct {
	Bucket string   `json:"bucket"`
	Avg    *float64 `json:"avg"`
}

// LatencyBucket is the linear median latency of one bucket; null when no
// night of the bucket recorded a latency (§12.1).
type LatencyBucket struct {
	Bucket string   `json:"bucket"`
	Median *float64 `json:"median"`
}

// Summarize groups the daily rows of [from, to] into day or ISO-week buckets
// and summarises duration, quality and latency per bucket (SPEC §7.2).
// Buckets without rows do not appear.
func Summarize(nights []Night, bucket Bucket) Summary {
	summary := Summary{
		DurationByBucket: []DurationBucket{},
		QualityByBucket:  []QualityBucket{},
		LatencyByBucket:  []LatencyBucket{},
	}
	sorted := ascendingByDate(nights)
	// Rows are in date order, so each bucket is one contiguous run.
	for start := 0; start < len(sorted); {
		key := bucket.key(sorted[start].Date)
		end := start + 1
		for end < len(sorted) && bucket.key(sorted[end].Date) == key {
			end++
		}
		summary.add(key, sorted[start:end])
		start = end
	}
	return summary
}

// add appends the statistics of one non-empty bucket to all three lists.
func (s *Summary) add(key string, rows []Night) {
	n := float64(len(rows))
	var durationSum, qualitySum float64
	var rated int
	minMin, maxMin := rows[0].DurationMin, rows[0].DurationMin
	latencies := make([]float64, 0, len(rows))
	for _, r := range rows {
		durationSum += float64(r.DurationMin)
		minMin, maxMin = min(minMin, r.DurationMin), max(maxMin, r.DurationMin)
		// Null qualities and latencies (imported nights, §12.1) are skipped.
		if r.Quality != nil {
			qualitySum += float64(*r.Quality)
			rated++
		}
		if r.LatencyMin != nil {
			latencies = append(latencies, float64(*r.LatencyMin))
		}
	}
	avgQuality := none
	if rated > 0 {
		avgQuality = some(qualitySum / float64(rated))
	}
	s.DurationByBucket = append(s.DurationByBucket, DurationBucket{
		Bucket: key, AvgMin: durationSum / n, MinMin: minMin, MaxMin: maxMin,
	})
	s.QualityByBucket = append(s.QualityByBucket, QualityBucket{Bucket: key, Avg: avgQuality.pointer()})
	s.LatencyByBucket = append(s.LatencyByBucket, LatencyBucket{Bucket: key, Median: median(latencies).pointer()})
}
