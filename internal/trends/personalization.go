package trends

import "math"

// Thresholds of SPEC §7.5, named after what they guard.
const (
	durationBaselineMinSamples   = 60  // prior samples for a duration baseline
	outOfRangeTriggerPct         = 5.0 // recent incidence that triggers tuning
	dayTypeMinWeekdays           = 8
	dayTypeMinWeekends           = 4
	stableMidpointMaxMinutes     = 30.0 // day-type midpoints "stable" across windows
	divergentMidpointMinMinutes  = 90.0 // recent midpoints "diverge" beyond this
	recentSampleCount            = 14   // the "recent 14-day" samples
	socialJetlagMinWeekends      = 4
	socialJetlagMinShiftMinutes  = 30.0
	highVariabilityMinutes       = 60.0
	highDataGapPct               = 30.0
	qualityMinSessions           = 40
	qualityMinDistinctValues     = 3
	qualityEffectMinGroupSize    = 5 // favorable and unfavorable samples each
	consistentMidpointMaxMinutes = 60.0
	alignedWeekendMaxMinutes     = 90.0
)

// Personalization is the body of GET /api/trends/personalization (SPEC
// §7.5.7): the two windows, the five metrics and the five recommendations.
type Personalization struct {
	AsOf            string           `json:"as_of"`
	WindowDays      int              `json:"window_days"`
	CurrentWindow   WindowCoverage   `json:"current_window"`
	PriorWindow     WindowCoverage   `json:"prior_window"`
	Metrics         Metrics          `json:"metrics"`
	Recommendations []Recommendation `json:"recommendations"`
}

// Metrics groups the five personalization metrics of SPEC §7.5.1–§7.5.5.
type Metrics struct {
	DurationBaseline      DurationBaseline      `json:"duration_baseline"`
	DayTypeTimingBaseline DayTypeTimingBaseline `json:"day_type_timing_baseline"`
	SocialJetlag          SocialJetlag          `json:"social_jetlag"`
	ScheduleVariability   ScheduleVariability   `json:"schedule_variability"`
	QualityFactorRanking  QualityFactorRanking  `json:"quality_factor_ranking"`
}

// DurationBaseline is the personal duration range learnt from the prior
// window and how often recent nights fell outside it (SPEC §7.5.1). The
// percentiles are null when the prior window is empty; the incidence is null
// only when the current window is empty.
type DurationBaseline struct {
	Eligible                     bool     `json:"eligible"`
	SampleDays                   int      `json:"sample_days"`
	P10Min                       *float64 `json:"p10_min"`
	P50Min                       *float64 `json:"p50_min"`
	P90Min                       *float64 `json:"p90_min"`
	IQRMin                       *float64 `json:"iqr_min"`
	RecentOutOfRangeIncidencePct *float64 `json:"recent_out_of_range_incidence_pct"`
}

// triggered is SPEC's internal duration trigger: a usable baseline and at
// least 5% of recent nights outside it.
func (d DurationBaseline) triggered() bool {
	incidence := 0.0
	if d.RecentOutOfRangeIncidencePct != nil {
		incidence = *d.RecentOutOfRangeIncidencePct
	}
	return d.Eligible && incidence >= outOfRangeTriggerPct
}

// DayTypeTimingBaseline holds the usual weekday and weekend bed and wake
// times of the current window (SPEC §7.5.2); a median is null when its day
// type has no samples.
type DayTypeTimingBaseline struct {
	Eligible                        bool     `json:"eligible"`
	WeekdaySampleDays               int      `json:"weekday_sample_days"`
	WeekendSampleDays               int      `json:"weekend_sample_days"`
	WeekdayBedMedianMin             *float64 `json:"weekday_bed_median_min"`
	WeekdayWakeMedianMin            *float64 `json:"weekday_wake_median_min"`
	WeekendBedMedianMin             *float64 `json:"weekend_bed_median_min"`
	WeekendWakeMedianMin            *float64 `json:"weekend_wake_median_min"`
	MidpointStableAcrossWindows     bool     `json:"midpoint_stable_across_windows"`
	Recent14DayDivergesFromBaseline bool     `json:"recent_14_day_diverges_from_baseline"`
}

// SocialJetlag is the weekend-minus-weekday shift of the sleep midpoint in
// each window (SPEC §7.5.3); positive means weekends are later.
type SocialJetlag struct {
	Eligible            bool     `json:"eligible"`
	WeekendSampleDays   int      `json:"weekend_sample_days"` // current window
	CurrentDeltaMin     *float64 `json:"current_delta_min"`
	PriorDeltaMin       *float64 `json:"prior_delta_min"`
	SustainedTwoWindows bool     `json:"sustained_two_windows"`
	// priorWeekendSampleDays is not on the wire but decides eligibility and a
	// suppression reason of recommendation 3.
	priorWeekendSampleDays int
}

// ScheduleVariability is the night-to-night spread of bed and wake times in
// each window (SPEC §7.5.4); null with fewer than two samples.
type ScheduleVariability struct {
	Eligible              bool     `json:"eligible"`
	CurrentVariabilityMin *float64 `json:"current_variability_min"`
	PriorVariabilityMin   *float64 `json:"prior_variability_min"`
	SustainedTwoWindows   bool     `json:"sustained_two_windows"`
	HighDataGap           bool     `json:"high_data_gap"`
}

// QualityFactorRanking lists the habits that went with better-rated nights
// in both windows, strongest first (SPEC §7.5.5). RankedFactors may be
// non-empty while the ranking is not stable.
type QualityFactorRanking struct {
	Eligible                    bool           `json:"eligible"`
	SessionsWithQuality         int            `json:"sessions_with_quality"`
	DistinctQualityValues       int            `json:"distinct_quality_values"`
	StableAcrossAdjacentWindows bool           `json:"stable_across_adjacent_windows"`
	RankedFactors               []RankedFactor `json:"ranked_factors"`
}

// RankedFactor is one quality factor with its current-window effect: mean
// quality of favorable nights minus mean quality of unfavorable ones.
type RankedFactor struct {
	Factor string  `json:"factor"`
	Effect float64 `json:"effect"`
}

// Personalize computes the personalization body for the windows w (SPEC
// §7.3–§7.5). nights are the daily rows with wake date in [w.PriorFrom,
// w.AsOf] in ascending date order; rows outside both windows are ignored.
func Personalize(nights []Night, w Windows) Personalization {
	currentSamples, priorSamples := splitSamples(nights, w)
	current, prior := newWindowView(currentSamples), newWindowView(priorSamples)
	currentCoverage := newWindowCoverage(w.currentRange(), currentSamples, w.Days)
	metrics := Metrics{
		DurationBaseline:      durationBaseline(current, prior),
		DayTypeTimingBaseline: dayTypeTimingBaseline(current, prior),
		SocialJetlag:          socialJetlag(current, prior),
		ScheduleVariability:   scheduleVariability(current, prior, currentCoverage),
		QualityFactorRanking:  qualityFactorRanking(current, prior),
	}
	return Personalization{
		AsOf:            formatDate(w.AsOf),
		WindowDays:      w.Days,
		CurrentWindow:   currentCoverage,
		PriorWindow:     newWindowCoverage(w.priorRange(), priorSamples, w.Days),
		Metrics:         metrics,
		Recommendations: recommend(metrics),
	}
}

// splitSamples turns the daily rows into day samples of the current and the
// prior window, each in ascending date order.
func splitSamples(nights []Night, w Windows) (current, prior []daySample) {
	for _, n := range ascendingByDate(nights) {
		date := civilDate(n.Date)
		switch {
		case w.inCurrent(date):
			current = append(current, newDaySample(n))
		case w.inPrior(date):
			prior = append(prior, newDaySample(n))
		}
	}
	return current, prior
}

// windowView is one window's samples with the day-type groups and midpoint
// medians that several metrics share, computed once.
type windowView struct {
	samples          []daySample
	weekday, weekend []daySample
	weekdayMidpoint  optional // cm(weekday midpoints)
	weekendMidpoint  optional // cm(weekend midpoints)
}

// newWindowView groups samples by day type.
func newWindowView(samples []daySample) windowView {
	weekday, weekend := samplesOfDayType(samples, false), samplesOfDayType(samples, true)
	return windowView{
		samples:         samples,
		weekday:         weekday,
		weekend:         weekend,
		weekdayMidpoint: circularMedian(sampleValues(weekday, midpointOf)),
		weekendMidpoint: circularMedian(sampleValues(weekend, midpointOf)),
	}
}

// durationBaseline is SPEC §7.5.1.
func durationBaseline(current, prior windowView) DurationBaseline {
	sorted := sortedCopy(sampleValues(prior.samples, durationOf))
	p10, p90 := percentileSorted(sorted, 0.10), percentileSorted(sorted, 0.90)
	p25, p75 := percentileSorted(sorted, 0.25), percentileSorted(sorted, 0.75)
	iqr := none
	if p25.valid && p75.valid {
		iqr = some(p75.value - p25.value)
	}
	return DurationBaseline{
		Eligible:                     len(prior.samples) >= durationBaselineMinSamples,
		SampleDays:                   len(prior.samples),
		P10Min:                       p10.pointer(),
		P50Min:                       percentileSorted(sorted, 0.50).pointer(),
		P90Min:                       p90.pointer(),
		IQRMin:                       iqr.pointer(),
		RecentOutOfRangeIncidencePct: outOfRangeIncidence(current.samples, p10, p90).pointer(),
	}
}

// outOfRangeIncidence is the percentage of samples whose duration lies
// strictly outside [p10, p90]; none are outside an undefined range, and the
// percentage is undefined only for no samples.
func outOfRangeIncidence(samples []daySample, p10, p90 optional) optional {
	outside := 0
	if p10.valid && p90.valid {
		for _, s := range samples {
			if s.duration < p10.value || s.duration > p90.value {
				outside++
			}
		}
	}
	return pct(outside, len(samples))
}

// dayTypeTimingBaseline is SPEC §7.5.2.
func dayTypeTimingBaseline(current, prior windowView) DayTypeTimingBaseline {
	stable := circDiffWithin(current.weekdayMidpoint, prior.weekdayMidpoint, stableMidpointMaxMinutes) &&
		circDiffWithin(current.weekendMidpoint, prior.weekendMidpoint, stableMidpointMaxMinutes)
	recent := newWindowView(lastSamples(current.samples, recentSampleCount))
	diverges := circDiffBeyond(recent.weekdayMidpoint, prior.weekdayMidpoint, divergentMidpointMinMinutes) ||
		circDiffBeyond(recent.weekendMidpoint, prior.weekendMidpoint, divergentMidpointMinMinutes)
	return DayTypeTimingBaseline{
		Eligible: len(current.weekday) >= dayTypeMinWeekdays &&
			len(current.weekend) >= dayTypeMinWeekends && stable,
		WeekdaySampleDays:               len(current.weekday),
		WeekendSampleDays:               len(current.weekend),
		WeekdayBedMedianMin:             circularMedian(sampleValues(current.weekday, bedClockOf)).pointer(),
		WeekdayWakeMedianMin:            circularMedian(sampleValues(current.weekday, wakeClockOf)).pointer(),
		WeekendBedMedianMin:             circularMedian(sampleValues(current.weekend, bedClockOf)).pointer(),
		WeekendWakeMedianMin:            circularMedian(sampleValues(current.weekend, wakeClockOf)).pointer(),
		MidpointStableAcrossWindows:     stable,
		Recent14DayDivergesFromBaseline: diverges,
	}
}

// lastSamples is the n most recent samples (all of them when there are fewer).
func lastSamples(samples []daySample, n int) []daySample {
	return samples[max(len(samples)-n, 0):]
}

// socialJetlag is SPEC §7.5.3.
func socialJetlag(current, prior windowView) SocialJetlag {
	currentDelta, priorDelta := midpointShift(current), midpointShift(prior)
	sustained := currentDelta.valid && priorDelta.valid &&
		math.Abs(currentDelta.value) >= socialJetlagMinShiftMinutes &&
		math.Abs(priorDelta.value) >= socialJetlagMinShiftMinutes
	return SocialJetlag{
		Eligible: len(current.weekend) >= socialJetlagMinWeekends &&
			len(prior.weekend) >= socialJetlagMinWeekends,
		WeekendSampleDays:      len(current.weekend),
		CurrentDeltaMin:        currentDelta.pointer(),
		PriorDeltaMin:          priorDelta.pointer(),
		SustainedTwoWindows:    sustained,
		priorWeekendSampleDays: len(prior.weekend),
	}
}

// midpointShift is how much later the weekend midpoint median is than the
// weekday one; undefined unless the window has both day types.
func midpointShift(v windowView) optional {
	if !v.weekendMidpoint.valid || !v.weekdayMidpoint.valid {
		return none
	}
	return some(circSigned(v.weekendMidpoint.value, v.weekdayMidpoint.value))
}

// scheduleVariability is SPEC §7.5.4.
func scheduleVariability(current, prior windowView, currentCoverage WindowCoverage) ScheduleVariability {
	currentSpread, priorSpread := timingSpread(current.samples), timingSpread(prior.samples)
	bothKnown := currentSpread.valid && priorSpread.valid
	return ScheduleVariability{
		Eligible:              bothKnown,
		CurrentVariabilityMin: currentSpread.pointer(),
		PriorVariabilityMin:   priorSpread.pointer(),
		SustainedTwoWindows: bothKnown && currentSpread.value >= highVariabilityMinutes &&
			priorSpread.value >= highVariabilityMinutes,
		HighDataGap: currentCoverage.MissingDaysPct > highDataGapPct,
	}
}

// timingSpread is the mean of the bed and the wake standard deviations, with
// bed times before midnight counted as negative so a 23:50/00:10 pair is 20
// minutes apart, not 23 hours.
func timingSpread(samples []daySample) optional {
	bed := stdDev(sampleValues(samples, bedRelativeOf))
	wake := stdDev(sampleValues(samples, wakeRelativeOf))
	if !bed.valid || !wake.valid {
		return none
	}
	return some((bed.value + wake.value) / 2)
}
