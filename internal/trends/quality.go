package trends

import (
	"cmp"
	"math"
	"slices"
)

// windowReference is what a window's own samples count as "usual" when
// judging each of them (SPEC §7.5.5): M and P10/P90.
type windowReference struct {
	midpoint optional // M = cm(all midpoints of the window)
	p10, p90 optional // duration percentiles of the window
}

// newWindowReference computes M, P10 and P90 of one window.
func newWindowReference(samples []daySample) windowReference {
	sorted := sortedCopy(sampleValues(samples, durationOf))
	return windowReference{
		midpoint: circularMedian(sampleValues(samples, midpointOf)),
		p10:      percentileSorted(sorted, 0.10),
		p90:      percentileSorted(sorted, 0.90),
	}
}

// withinMidpoint reports whether a sample's midpoint is at most limit minutes
// from the window's median midpoint.
func (r windowReference) withinMidpoint(s daySample, limit float64) bool {
	return r.midpoint.valid && circDiff(s.midpoint, r.midpoint.value) <= limit
}

// qualityFactor is a yes/no property of a night whose association with the
// quality rating is measured.
type qualityFactor struct {
	name      string
	favorable func(s daySample, ref windowReference) bool
}

// qualityFactors are the factors in their fixed SPEC order; ties in the
// ranking keep this order.
var qualityFactors = []qualityFactor{
	{"duration_in_personal_range", func(s daySample, ref windowReference) bool {
		return ref.p10.valid && ref.p90.valid && ref.p10.value <= s.duration && s.duration <= ref.p90.value
	}},
	{"consistent_mid_sleep_timing", func(s daySample, ref windowReference) bool {
		return ref.withinMidpoint(s, consistentMidpointMaxMinutes)
	}},
	{"weekday_schedule_alignment", func(s daySample, ref windowReference) bool {
		return !s.weekend || ref.withinMidpoint(s, alignedWeekendMaxMinutes)
	}},
}

// factorEffects is the effect of every factor in one window, judged against
// that window's own reference, in qualityFactors order.
func factorEffects(samples []daySample) []optional {
	ref := newWindowReference(samples)
	effects := make([]optional, len(qualityFactors))
	for i, f := range qualityFactors {
		effects[i] = factorEffect(samples, ref, f)
	}
	return effects
}

// factorEffect is mean(favorable qualities) − mean(unfavorable qualities);
// undefined unless each side has at least five nights.
func factorEffect(samples []daySample, ref windowReference, f qualityFactor) optional {
	var favorableSum, unfavorableSum float64
	var favorable, unfavorable int
	for _, s := range samples {
		if !s.hasQuality { // unrated nights say nothing about quality
			continue
		}
		if f.favorable(s, ref) {
			favorableSum += s.quality
			favorable++
		} else {
			unfavorableSum += s.quality
			unfavorable++
		}
	}
	if favorable < qualityEffectMinGroupSize || unfavorable < qualityEffectMinGroupSize {
		return none
	}
	return some(favorableSum/float64(favorable) - unfavorableSum/float64(unfavorable))
}

// qualityFactorRanking is SPEC §7.5.5.
func qualityFactorRanking(current, prior windowView) QualityFactorRanking {
	ranked, stable := rankFactors(factorEffects(current.samples), factorEffects(prior.samples))
	sessions, distinct := ratedSamples(current.samples), distinctQualities(current.samples)
	return QualityFactorRanking{
		Eligible: sessions >= qualityMinSessions && distinct >= qualityMinDistinctValues &&
			stable,
		SessionsWithQuality:         sessions,
		DistinctQualityValues:       distinct,
		StableAcrossAdjacentWindows: stable,
		RankedFactors:               ranked,
	}
}

// rankFactors keeps the factors measurable in both windows, strongest
// current effect first, and reports whether every factor was measurable with
// the same direction (sign(0) = +1) in both windows.
func rankFactors(currentEffects, priorEffects []optional) (ranked []RankedFactor, stable bool) {
	ranked, stable = []RankedFactor{}, true
	for i, f := range qualityFactors {
		cur, prior := currentEffects[i], priorEffects[i]
		if !cur.valid || !prior.valid {
			stable = false
			continue
		}
		ranked = append(ranked, RankedFactor{Factor: f.name, Effect: cur.value})
		if sign(cur.value) != sign(prior.value) {
			stable = false
		}
	}
	slices.SortStableFunc(ranked, func(a, b RankedFactor) int {
		return cmp.Compare(math.Abs(b.Effect), math.Abs(a.Effect))
	})
	return ranked, stable
}

// distinctQualities counts the different quality ratings among samples.
func distinctQualities(samples []daySample) int {
	seen := map[float64]bool{}
	for _, s := range samples {
		if s.hasQuality {
			seen[s.quality] = true
		}
	}
	return len(seen)
}

// ratedSamples counts the samples that have a quality rating.
func ratedSamples(samples []daySample) int {
	n := 0
	for _, s := range samples {
		if s.hasQuality {
			n++
		}
	}
	return n
}
