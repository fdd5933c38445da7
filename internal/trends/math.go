package trends

import (
	"math"
	"slices"
)

// minutesPerDay is the circumference of the clock circle, in minutes.
const minutesPerDay = 1440.0

// halfDay is the distance from any clock time to its opposite point.
const halfDay = 720.0

// noMeanDirection is the resultant length under which a set of clock times
// has no circular mean (SPEC §7.4.2 step 2).
const noMeanDirection = 1e-9

// optional is a number that may be undefined (JSON null). Computations pass
// it around by value; only the response structs turn it into a *float64.
type optional struct {
	value float64
	valid bool
}

// some wraps a defined number.
func some(v float64) optional { return optional{value: v, valid: true} }

// none is the undefined number.
var none = optional{}

// pointer converts to the JSON-facing form: nil (null) when undefined. A
// non-finite value is also reported as null, because SPEC §7.4.4 forbids NaN
// and infinities on the wire and encoding/json would fail on them.
func (o optional) pointer() *float64 {
	if !o.valid || math.IsNaN(o.value) || math.IsInf(o.value, 0) {
		return nil
	}
	v := o.value
	return &v
}

// euclidMod is the Euclidean remainder of SPEC §7.4.3, written exactly as
// specified (fmod, then add m once when negative) so that rounding matches
// other clients bit for bit. m must be positive.
func euclidMod(a, m float64) float64 {
	r := math.Mod(a, m)
	if r < 0 {
		r += m
	}
	return r
}

// normalizeClock maps minutes onto the clock, [0, 1440), with the formula
// fmod(fmod(x, 1440) + 1440, 1440) of SPEC §7.3. It differs from euclidMod
// only in rounding, which is why both exist.
func normalizeClock(x float64) float64 {
	return math.Mod(math.Mod(x, minutesPerDay)+minutesPerDay, minutesPerDay)
}

// sign returns −1 for negative x and +1 otherwise: SPEC §7.4.4 defines
// sign(0) = +1 so a zero effect never flips a factor's direction.
func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// sortedCopy returns the values in ascending order without touching the input.
func sortedCopy(values []float64) []float64 {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	return sorted
}

// percentileSorted is the linear "type 7" percentile of SPEC §7.4.1 over an
// already ascending slice; undefined for an empty slice.
func percentileSorted(sorted []float64, p float64) optional {
	n := len(sorted)
	if n == 0 {
		return none
	}
	// float64(...) rounds the product here: Go may otherwise fuse it into
	// the later rank − lo, even across statements.
	rank := float64(min(max(p, 0), 1) * float64(n-1))
	lo, hi := math.Floor(rank), math.Ceil(rank)
	if lo == hi {
		return some(sorted[int(lo)])
	}
	w := rank - lo
	// float64(...) forbids fusing either product into the addition.
	return some(float64(sorted[int(lo)]*(1-w)) + float64(sorted[int(hi)]*w))
}

// percentile is the type-7 percentile of unsorted values (SPEC §7.4.1).
func percentile(values []float64, p float64) optional {
	return percentileSorted(sortedCopy(values), p)
}

// median is the linear median used for durations and latencies: the middle
// value for an odd count, the mean of the two middle values for an even one.
func median(values []float64) optional {
	return percentile(values, 0.5)
}

// circularMedian is the median of clock times in minutes [0, 1440) taken on
// the circle (SPEC §7.4.2): the values are unwrapped onto the 24 hours that
// start opposite their circular mean, so a cluster around midnight is never
// split, and the linear median of the unwrapped values is reduced back onto
// the clock. Undefined for no values.
func circularMedian(values []float64) optional {
	if len(values) == 0 {
		return none
	}
	anchor := circularAnchor(values)
	unwrapped := make([]float64, len(values))
	for i, v := range values {
		unwrapped[i] = anchor + euclidMod(v-anchor, minutesPerDay)
	}
	slices.Sort(unwrapped)
	return some(euclidMod(percentileSorted(unwrapped, 0.5).value, minutesPerDay))
}

// circularAnchor is the clock point opposite the circular mean of values, or
// 720 when the values cancel out and have no mean direction.
func circularAnchor(values []float64) float64 {
	var s, c float64
	for _, v := range values {
		angle := 2 * math.Pi * v / minutesPerDay
		s += math.Sin(angle)
		c += math.Cos(angle)
	}
	if math.Sqrt(float64(s*s)+float64(c*c)) < noMeanDirection {
		return halfDay
	}
	theta := math.Atan2(s, c)
	mean := euclidMod(theta*minutesPerDay/(2*math.Pi), minutesPerDay)
	return mean + halfDay
}

// mean is the left-to-right sum divided by the count; undefined when empty.
func mean(values []float64) optional {
	if len(values) == 0 {
		return none
	}
	var sum float64
	for _, v := range values {
		sum += v
	}
	return some(sum / float64(len(values)))
}

// stdDev is the population standard deviation of SPEC §7.4.3; undefined for
// fewer than two values, where spread means nothing.
func stdDev(values []float64) optional {
	if len(values) < 2 {
		return none
	}
	avg := mean(values).value
	var squares float64
	for _, v := range values {
		d := v - avg
		squares += float64(d * d)
	}
	return some(math.Sqrt(squares / float64(len(values))))
}

// circDiff is the shorter way round the clock between a and b, in [0, 720].
func circDiff(a, b float64) float64 {
	d := euclidMod(a-b, minutesPerDay)
	return min(d, minutesPerDay-d)
}

// circSigned is how far later is after earlier on the clock, in [−720, 720):
// positive when later really is later within half a day.
func circSigned(later, earlier float64) float64 {
	return euclidMod(later-earlier+halfDay, minutesPerDay) - halfDay
}

// pct is part as a percentage of total; undefined when total is 0.
func pct(part, total int) optional {
	if total == 0 {
		return none
	}
	return some(float64(part) * 100 / float64(total))
}

// circDiffWithin reports whether two clock medians are at most limit minutes
// apart; an undefined median never counts as close.
func circDiffWithin(a, b optional, limit float64) bool {
	return a.valid && b.valid && circDiff(a.value, b.value) <= limit
}

// circDiffBeyond reports whether two clock medians are more than limit
// minutes apart; an undefined median never counts as far.
func circDiffBeyond(a, b optional, limit float64) bool {
	return a.valid && b.valid && circDiff(a.value, b.value) > limit
}

// CircularMedian is the circular median of SPEC §7.4.2 over clock minutes in
// [0, 1440), for callers outside this package (the sleep window's rising
// time, §12.4); ok is false for no values.
func CircularMedian(minutes []float64) (median float64, ok bool) {
	m := circularMedian(minutes)
	return m.value, m.valid
}
