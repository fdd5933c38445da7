package trends

import "testing"

func TestQualityFactorFavorable(t *testing.T) {
	ref := windowReference{midpoint: some(180), p10: some(420), p90: some(500)}
	weekday := func(midpoint, duration float64) daySample {
		return daySample{midpoint: midpoint, duration: duration}
	}
	weekend := func(midpoint, duration float64) daySample {
		return daySample{midpoint: midpoint, duration: duration, weekend: true}
	}
	tests := []struct {
		name   string
		sample daySample
		ref    windowReference
		want   [3]bool // duration, timing, alignment
	}{
		{"usual weekday", weekday(180, 450), ref, [3]bool{true, true, true}},
		{"duration on P10", weekday(180, 420), ref, [3]bool{true, true, true}},
		{"duration on P90", weekday(180, 500), ref, [3]bool{true, true, true}},
		{"duration below P10", weekday(180, 419), ref, [3]bool{false, true, true}},
		{"duration above P90", weekday(180, 501), ref, [3]bool{false, true, true}},
		{"midpoint 60 away", weekday(240, 450), ref, [3]bool{true, true, true}},
		{"late weekday is still aligned", weekday(400, 450), ref, [3]bool{true, false, true}},
		{"weekend 90 away, across midnight", weekend(90, 450), ref, [3]bool{true, false, true}},
		{"weekend 91 away", weekend(271, 450), ref, [3]bool{true, false, false}},
		{"weekend within 60", weekend(210, 450), ref, [3]bool{true, true, true}},
		{"no reference", weekend(180, 450), windowReference{}, [3]bool{false, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [3]bool
			for i, f := range qualityFactors {
				got[i] = f.favorable(tc.sample, tc.ref)
			}
			if got != tc.want {
				t.Errorf("favorable (duration, timing, alignment) = %v, want %v", got, tc.want)
			}
		})
	}
}
