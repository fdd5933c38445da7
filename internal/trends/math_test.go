package trends

import (
	"math"
	"slices"
	"testing"
)

func TestEuclidMod(t *testing.T) {
	tests := []struct{ a, m, want float64 }{
		{0, 1440, 0},
		{1, 1440, 1},
		{1441, 1440, 1},
		{-1, 1440, 1439},
		{-1440, 1440, 0},
		{-2881, 1440, 1439},
		{-0.5, 1, 0.5},
		{2.25, 1, 0.25},
	}
	for _, tc := range tests {
		if got := euclidMod(tc.a, tc.m); got != tc.want {
			t.Errorf("euclidMod(%g, %g) = %g, want %g", tc.a, tc.m, got, tc.want)
		}
	}
}

func TestNormalizeClock(t *testing.T) {
	tests := []struct{ x, want float64 }{
		{0, 0},
		{180, 180},
		{1440, 0},
		{1500, 60},
		{-240, 1200}, // 8 hours ending at 00:00: midpoint 20:00 the evening before
		{-0.5, 1439.5},
		{-2880, 0},
		{420 - 255.5, 164.5}, // half minutes from odd durations survive
	}
	for _, tc := range tests {
		if got := normalizeClock(tc.x); got != tc.want {
			t.Errorf("normalizeClock(%g) = %g, want %g", tc.x, got, tc.want)
		}
	}
}

func TestSign(t *testing.T) {
	tests := []struct{ x, want float64 }{
		{-2, -1},
		{-1e-300, -1},
		{0, 1},
		{math.Copysign(0, -1), 1}, // negative zero is zero: +1
		{3, 1},
	}
	for _, tc := range tests {
		if got := sign(tc.x); got != tc.want {
			t.Errorf("sign(%g) = %g, want %g", tc.x, got, tc.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		p      float64
		want   *float64
	}{
		{"empty is null", nil, 0.5, nil},
		{"one value, any p", []float64{7}, 0.9, num(7)},
		{"lowest", []float64{3, 1, 2}, 0, num(1)},
		{"highest", []float64{3, 1, 2}, 1, num(3)},
		{"p below 0 clamps", []float64{3, 1, 2}, -1, num(1)},
		{"p above 1 clamps", []float64{3, 1, 2}, 2, num(3)},
		{"odd median is the middle", []float64{9, 1, 5}, 0.5, num(5)},
		{"even median interpolates", []float64{4, 1, 3, 2}, 0.5, num(2.5)},
		{"p10 of 1..10: rank 0.9", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 0.1, num(1.9)},
		{"p75 of 1..4: rank 2.25", []float64{1, 2, 3, 4}, 0.75, num(3.25)},
		{"exact rank hits a value", []float64{0, 10, 20, 30, 40}, 0.25, num(10)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := slices.Clone(tc.values)
			assertOptional(t, "percentile", percentile(tc.values, tc.p), tc.want)
			if !slices.Equal(before, tc.values) {
				t.Errorf("input reordered: %v", tc.values)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   *float64
	}{
		{"empty", nil, nil},
		{"one", []float64{15}, num(15)},
		{"odd", []float64{30, 10, 20}, num(20)},
		{"even", []float64{30, 10, 20, 15}, num(17.5)},
		{"linear, not circular", []float64{1435, 5, 1430, 10}, num(720)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertOptional(t, "median", median(tc.values), tc.want)
		})
	}
}

func TestCircularMedian(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   float64
	}{
		{"one value", []float64{1439}, 1439},
		{"around midnight is midnight, not noon", []float64{1435, 5, 1430, 10}, 0},
		{"23:30 00:30 01:00", []float64{1410, 30, 60}, 30},
		{"23:50 00:20", []float64{1430, 20}, 5},
		{"07:00 07:15 07:30", []float64{420, 435, 450}, 435},
		{"even count far from midnight", []float64{600, 660, 630, 690}, 645},
		// Opposite points cancel: no mean direction, anchor 720, so 0 unwraps
		// to 1440 and the median of {720, 1440} is 1080.
		{"no direction: two opposite points", []float64{0, 720}, 1080},
		{"no direction: four quarters", []float64{0, 360, 720, 1080}, 1260},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := circularMedian(tc.values)
			if !got.valid {
				t.Fatal("median is null")
			}
			if got.value < 0 || got.value >= minutesPerDay {
				t.Errorf("median %g is off the clock", got.value)
			}
			assertClockNear(t, "circularMedian", got.pointer(), tc.want)
		})
	}
	if got := circularMedian(nil); got.valid {
		t.Errorf("circularMedian(empty) = %g, want null", got.value)
	}
}

func TestStdDev(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   *float64
	}{
		{"empty is null", nil, nil},
		{"one value is null", []float64{5}, nil},
		{"two values", []float64{1, 3}, num(1)},
		{"population, not sample", []float64{2, 4, 4, 4, 5, 5, 7, 9}, num(2)},
		{"all equal", []float64{-60, -60, -60}, num(0)},
		{"negative bed times", []float64{-120, 60, -120, 60}, num(90)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertOptional(t, "stdDev", stdDev(tc.values), tc.want)
		})
	}
}

func TestCircDiff(t *testing.T) {
	tests := []struct{ a, b, want float64 }{
		{100, 100, 0},
		{10, 1430, 20},
		{1430, 10, 20},
		{0, 720, 720},
		{300, 180, 120},
		{-30, 30, 60},
	}
	for _, tc := range tests {
		if got := circDiff(tc.a, tc.b); got != tc.want {
			t.Errorf("circDiff(%g, %g) = %g, want %g", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCircSigned(t *testing.T) {
	tests := []struct{ later, earlier, want float64 }{
		{285, 180, 105},
		{180, 285, -105},
		{10, 1430, 20},  // 00:10 is 20 minutes after 23:50
		{1430, 10, -20}, // and 23:50 20 minutes before 00:10
		{720, 0, -720},  // exactly opposite: the range is [−720, 720)
		{0, 720, -720},
		{500, 500, 0},
	}
	for _, tc := range tests {
		if got := circSigned(tc.later, tc.earlier); got != tc.want {
			t.Errorf("circSigned(%g, %g) = %g, want %g", tc.later, tc.earlier, got, tc.want)
		}
	}
}

func TestPct(t *testing.T) {
	tests := []struct {
		part, total int
		want        *float64
	}{
		{0, 0, nil},
		{5, 0, nil},
		{0, 4, num(0)},
		{3, 60, num(5)},
		{1, 3, num(100.0 / 3)},
		{4, 4, num(100)},
	}
	for _, tc := range tests {
		assertOptional(t, "pct", pct(tc.part, tc.total), tc.want)
	}
}

func TestMean(t *testing.T) {
	assertOptional(t, "mean(empty)", mean(nil), nil)
	assertOptional(t, "mean(one)", mean([]float64{4}), num(4))
	assertOptional(t, "mean(1,2)", mean([]float64{1, 2}), num(1.5))
}

func TestOptionalPointerNeverCarriesNonFinite(t *testing.T) {
	for _, o := range []optional{none, some(math.NaN()), some(math.Inf(1)), some(math.Inf(-1))} {
		if p := o.pointer(); p != nil {
			t.Errorf("pointer() of %+v = %g, want nil", o, *p)
		}
	}
	if p := some(2).pointer(); p == nil || *p != 2 {
		t.Errorf("pointer() of 2 = %v", p)
	}
}
