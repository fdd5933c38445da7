package trends

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestNewWindowsSpecExample(t *testing.T) {
	w := NewWindows(day(t, "2025-06-28"), 28)
	got := [4]string{formatDate(w.CurrentFrom), formatDate(w.AsOf), formatDate(w.PriorFrom), formatDate(w.PriorTo)}
	want := [4]string{"2025-06-01", "2025-06-28", "2025-05-04", "2025-05-31"}
	if got != want || w.Days != 28 {
		t.Errorf("windows = %v (%d days), want %v (28 days)", got, w.Days, want)
	}
}

func TestNewWindowsEdges(t *testing.T) {
	tests := []struct {
		asOf                 string
		days                 int
		currentFrom, priorTo string
		priorFrom            string
		wantDays             int
	}{
		{"2025-06-28", 1, "2025-06-28", "2025-06-27", "2025-06-27", 1},
		{"2025-06-28", 0, "2025-06-28", "2025-06-27", "2025-06-27", 1}, // clamped
		{"2024-03-01", 2, "2024-02-29", "2024-02-28", "2024-02-27", 2}, // leap day
		{"2025-12-31", 365, "2025-01-01", "2024-12-31", "2024-01-02", 365},
	}
	for _, tc := range tests {
		w := NewWindows(day(t, tc.asOf), tc.days)
		got := [3]string{formatDate(w.CurrentFrom), formatDate(w.PriorTo), formatDate(w.PriorFrom)}
		if want := [3]string{tc.currentFrom, tc.priorTo, tc.priorFrom}; got != want || w.Days != tc.wantDays {
			t.Errorf("NewWindows(%s, %d) = %v/%d, want %v/%d", tc.asOf, tc.days, got, w.Days, want, tc.wantDays)
		}
	}
}

func TestNewWindowsUsesTheCalendarDateOfAsOf(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	w := NewWindows(time.Date(2025, 6, 28, 1, 30, 0, 0, tokyo), 7)
	if !w.AsOf.Equal(day(t, "2025-06-28")) || w.AsOf.Location() != time.UTC {
		t.Errorf("AsOf = %v, want 2025-06-28 00:00 UTC", w.AsOf)
	}
}

func TestDaySampleFields(t *testing.T) {
	tests := []struct {
		name                   string
		night                  Night
		bed, wake, bedRelative float64
		midpoint               float64
		weekend                bool
	}{
		{
			name:  "overnight, seconds ignored for clocks",
			night: Night{Date: day(t, "2025-06-17"), BedSec: 23*3600 + 5*60 + 59, WakeSec: 6*3600 + 15*60 + 30, DurationMin: 430},
			bed:   1385, wake: 375, bedRelative: 1385 - 1440, midpoint: 375 - 215, weekend: false,
		},
		{
			name:  "after midnight, odd duration gives a half minute",
			night: Night{Date: day(t, "2025-06-21"), BedSec: 30 * 60, WakeSec: 7 * 3600, DurationMin: 389},
			bed:   30, wake: 420, bedRelative: 30, midpoint: 420 - 194.5, weekend: true,
		},
		{
			name:  "midpoint wraps before midnight; summed duration, not the span",
			night: Night{Date: day(t, "2025-06-22"), BedSec: 22 * 3600, WakeSec: 1 * 3600, DurationMin: 300},
			bed:   1320, wake: 60, bedRelative: -120, midpoint: 1350, weekend: true,
		},
		{
			name:  "equal times do not cross",
			night: Night{Date: day(t, "2025-06-23"), BedSec: 3600, WakeSec: 3600, DurationMin: 0},
			bed:   60, wake: 60, bedRelative: 60, midpoint: 60, weekend: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDaySample(tc.night)
			got := [4]float64{s.bedClock, s.wakeClock, s.bedRelative, s.midpoint}
			want := [4]float64{tc.bed, tc.wake, tc.bedRelative, tc.midpoint}
			if got != want || s.weekend != tc.weekend {
				t.Errorf("sample = %v weekend %v, want %v weekend %v", got, s.weekend, want, tc.weekend)
			}
		})
	}
}

// Night shapes of the day-type scenario. Weekdays: 23:00→07:00, 480 min,
// midpoint 03:00 (180). Weekends: 00:30→09:00, 510 min, midpoint 04:45 (285).
var (
	usualWeekday = nightShape{bed: "23:00", wake: "07:00", durationMin: 480, quality: 4}
	usualWeekend = nightShape{bed: "00:30", wake: "09:00", durationMin: 510, quality: 4}
	// lateWeekday moves a weekday midpoint to 05:00 (300).
	lateWeekday = nightShape{bed: "01:00", wake: "09:00", durationMin: 480, quality: 4}
)

// dayTypeNight is the usual weekday or weekend night.
func dayTypeNight(d time.Time) nightShape {
	if isWeekend(d) {
		return usualWeekend
	}
	return usualWeekday
}

// dayTypeScenario logs every day of the 28-day windows ending 2025-06-28
// (current 2025-06-01…06-28, prior 2025-05-04…05-31, each 20 weekdays and 8
// weekend days), letting adjust change or drop single dates.
func dayTypeScenario(t *testing.T, adjust func(d time.Time, s nightShape) (nightShape, bool)) Personalization {
	t.Helper()
	nights := nightsBetween(t, "2025-05-04", "2025-06-28", func(d time.Time) (nightShape, bool) {
		return adjust(d, dayTypeNight(d))
	})
	return Personalize(nights, NewWindows(day(t, "2025-06-28"), 28))
}

// unchanged keeps every night of a scenario.
func unchanged(_ time.Time, s nightShape) (nightShape, bool) { return s, true }

func TestPersonalizeDayTypeScenario(t *testing.T) {
	p := dayTypeScenario(t, unchanged)

	cov := p.CurrentWindow
	if cov.From != "2025-06-01" || cov.To != "2025-06-28" || cov.LoggedDays != 28 || cov.MissingDays != 0 || cov.MissingDaysPct != 0 {
		t.Errorf("current window = %+v", cov)
	}

	d := p.Metrics.DurationBaseline
	if d.Eligible || d.SampleDays != 28 {
		t.Errorf("duration eligible %v sample_days %d, want false 28", d.Eligible, d.SampleDays)
	}
	// Prior durations: 20×480 and 8×510. p10 rank 2.7 and p50 rank 13.5 fall
	// among the 480s, p90 rank 24.3 among the 510s; p25 = 480, p75 = 510.
	assertNumber(t, "p10", d.P10Min, num(480))
	assertNumber(t, "p50", d.P50Min, num(480))
	assertNumber(t, "p90", d.P90Min, num(510))
	assertNumber(t, "iqr", d.IQRMin, num(30))
	assertNumber(t, "incidence", d.RecentOutOfRangeIncidencePct, num(0))

	dt := p.Metrics.DayTypeTimingBaseline
	if !dt.Eligible || dt.WeekdaySampleDays != 20 || dt.WeekendSampleDays != 8 ||
		!dt.MidpointStableAcrossWindows || dt.Recent14DayDivergesFromBaseline {
		t.Errorf("day-type baseline = %+v", dt)
	}
	assertClockNear(t, "weekday bed", dt.WeekdayBedMedianMin, 1380)
	assertClockNear(t, "weekday wake", dt.WeekdayWakeMedianMin, 420)
	assertClockNear(t, "weekend bed", dt.WeekendBedMedianMin, 30)
	assertClockNear(t, "weekend wake", dt.WeekendWakeMedianMin, 540)

	sj := p.Metrics.SocialJetlag
	if !sj.Eligible || sj.WeekendSampleDays != 8 || !sj.SustainedTwoWindows {
		t.Errorf("social jetlag = %+v", sj)
	}
	// Weekend midpoint 285 − weekday midpoint 180.
	assertNumber(t, "current delta", sj.CurrentDeltaMin, num(105))
	assertNumber(t, "prior delta", sj.PriorDeltaMin, num(105))

	// bed_relative: 20×−60 and 8×+30 → σ = 90·√(20·8)/28 = 90·√10/7;
	// wake: 20×420 and 8×540 → σ = 120·√10/7; their mean is 15·√10.
	sv := p.Metrics.ScheduleVariability
	assertNumber(t, "current variability", sv.CurrentVariabilityMin, num(15*math.Sqrt(10)))
	assertNumber(t, "prior variability", sv.PriorVariabilityMin, num(15*math.Sqrt(10)))
	if !sv.Eligible || sv.SustainedTwoWindows || sv.HighDataGap {
		t.Errorf("schedule variability = %+v", sv)
	}

	// One rating for every night: timing (weekend midpoints are 105 from M =
	// 180) and alignment (105 > 90) split the nights but their effects are 0;
	// every duration lies in [480, 510], so that effect is null: not stable.
	q := p.Metrics.QualityFactorRanking
	if q.Eligible || q.SessionsWithQuality != 28 || q.DistinctQualityValues != 1 || q.StableAcrossAdjacentWindows {
		t.Errorf("quality ranking = %+v", q)
	}
	assertRankedFactors(t, q.RankedFactors, []RankedFactor{
		{"consistent_mid_sleep_timing", 0}, {"weekday_schedule_alignment", 0},
	})

	assertRecommendations(t, p, []wantRecommendation{
		{StatusSuppressed, ConfidenceLow, []string{reasonDurationSample, reasonDurationTrigger, reasonDisruptionGuardrail}},
		{StatusRecommended, ConfidenceMedium, []string{}},
		{StatusRecommended, ConfidenceHigh, []string{}},
		{StatusSuppressed, ConfidenceLow, []string{reasonVariabilityNotSustained}},
		{StatusSuppressed, ConfidenceLow, []string{reasonQualitySessions, reasonQualityDistinct, reasonQualityUnstable}},
	})
}

func TestDayTypeSuppressionReasons(t *testing.T) {
	tests := []struct {
		name       string
		adjust     func(d time.Time, s nightShape) (nightShape, bool)
		confidence Confidence
		reasons    []string
	}{
		{
			// Only 7 current weekdays (2025-06-02…06, 09, 10) but all 8 weekend days.
			name: "seven weekdays",
			adjust: func(d time.Time, s nightShape) (nightShape, bool) {
				return s, isWeekend(d) || d.Before(day(t, "2025-06-11"))
			},
			confidence: ConfidenceLow,
			reasons:    []string{reasonDayTypeCounts},
		},
		{
			// Prior weekdays 23:45→07:45 put the prior weekday midpoint at 225:
			// 45 min from the current 180 is unstable (>30) yet not divergent (≤90).
			name: "midpoints moved between windows",
			adjust: func(d time.Time, s nightShape) (nightShape, bool) {
				if !isWeekend(d) && d.Before(day(t, "2025-06-01")) {
					return nightShape{bed: "23:45", wake: "07:45", durationMin: 480, quality: 4}, true
				}
				return s, true
			},
			confidence: ConfidenceLow,
			reasons:    []string{reasonDayTypeUnstable},
		},
		{
			// The last six weekdays (06-20, 06-23…27) move to midpoint 300. Of the
			// recent 14 samples' 10 weekdays, 6 are late: median 300, 120 from the
			// prior 180. Of all 20 current weekdays only 6 are: median still 180.
			name: "recent fortnight diverges",
			adjust: func(d time.Time, s nightShape) (nightShape, bool) {
				if !isWeekend(d) && !d.Before(day(t, "2025-06-20")) {
					return lateWeekday, true
				}
				return s, true
			},
			confidence: ConfidenceMedium,
			reasons:    []string{reasonDayTypeDiverges},
		},
		{
			name: "no weekends at all",
			adjust: func(d time.Time, s nightShape) (nightShape, bool) {
				return s, !isWeekend(d)
			},
			confidence: ConfidenceLow,
			reasons:    []string{reasonDayTypeCounts, reasonDayTypeUnstable},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := dayTypeScenario(t, tc.adjust)
			assertRecommendation(t, p.Recommendations[1], ActionDayTypeDefaultPrefill,
				wantRecommendation{StatusSuppressed, tc.confidence, tc.reasons})
		})
	}
}

func TestDivergenceKeepsEligibility(t *testing.T) {
	p := dayTypeScenario(t, func(d time.Time, s nightShape) (nightShape, bool) {
		if !isWeekend(d) && !d.Before(day(t, "2025-06-20")) {
			return lateWeekday, true
		}
		return s, true
	})
	dt := p.Metrics.DayTypeTimingBaseline
	if !dt.Eligible || !dt.MidpointStableAcrossWindows || !dt.Recent14DayDivergesFromBaseline {
		t.Errorf("day-type baseline = %+v, want eligible, stable and diverging", dt)
	}
}

func TestSocialJetlagSuppressionReasons(t *testing.T) {
	tests := []struct {
		name    string
		adjust  func(d time.Time, s nightShape) (nightShape, bool)
		reasons []string
	}{
		{
			// Current weekends only 06-01, 06-07, 06-08: three, still shifted by 105.
			name: "three current weekend nights",
			adjust: func(d time.Time, s nightShape) (nightShape, bool) {
				return s, !isWeekend(d) || d.Before(day(t, "2025-06-09"))
			},
			reasons: []string{reasonJetlagWeekends},
		},
		{
			name: "three prior weekend nights",
			adjust: func(d time.Time, s nightShape) (nightShape, bool) {
				return s, !isWeekend(d) || !d.Before(day(t, "2025-05-24"))
			},
			reasons: []string{reasonJetlagPriorWeekends},
		},
		{
			name: "weekends like weekdays",
			adjust: func(_ time.Time, _ nightShape) (nightShape, bool) {
				return usualWeekday, true
			},
			reasons: []string{reasonJetlagNotSustained},
		},
		{
			// Prior weekends like weekdays: prior delta 0, current 105.
			name: "shift only in the current window",
			adjust: func(d time.Time, s nightShape) (nightShape, bool) {
				if d.Before(day(t, "2025-06-01")) {
					return usualWeekday, true
				}
				return s, true
			},
			reasons: []string{reasonJetlagNotSustained},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := dayTypeScenario(t, tc.adjust)
			assertRecommendation(t, p.Recommendations[2], ActionSocialJetlagScheduleShiftInsight,
				wantRecommendation{StatusSuppressed, ConfidenceLow, tc.reasons})
		})
	}
}

func TestSocialJetlagDeltaSigns(t *testing.T) {
	// Current weekends earlier than weekdays: 21:00→05:00 puts the weekend
	// midpoint at 01:00 (60), 120 before the weekday 180.
	p := dayTypeScenario(t, func(d time.Time, s nightShape) (nightShape, bool) {
		if isWeekend(d) && !d.Before(day(t, "2025-06-01")) {
			return nightShape{bed: "21:00", wake: "05:00", durationMin: 480, quality: 4}, true
		}
		return s, true
	})
	assertNumber(t, "current delta", p.Metrics.SocialJetlag.CurrentDeltaMin, num(-120))
	assertNumber(t, "prior delta", p.Metrics.SocialJetlag.PriorDeltaMin, num(105))
	if !p.Metrics.SocialJetlag.SustainedTwoWindows {
		t.Error("|−120| and |105| are both ≥ 30: want sustained")
	}
}

// durationScenario: 61-day windows ending 2025-06-30 (prior 2025-03-01…04-30,
// current 2025-05-01…06-30). Prior night i lasts 420 + (7·i mod 61) minutes,
// a shuffle of 420…480. currentDuration gives the current nights; keepPrior
// may drop prior nights.
func durationScenario(t *testing.T, currentDuration func(d time.Time) (int, bool), keepPrior func(i int) bool) Personalization {
	t.Helper()
	priorFrom, currentFrom := day(t, "2025-03-01"), day(t, "2025-05-01")
	nights := nightsBetween(t, "2025-03-01", "2025-06-30", func(d time.Time) (nightShape, bool) {
		shape := nightShape{bed: "23:00", wake: "07:00", quality: 3}
		if d.Before(currentFrom) {
			i := int(d.Sub(priorFrom).Hours() / 24)
			shape.durationMin = 420 + 7*i%61
			return shape, keepPrior(i)
		}
		var ok bool
		shape.durationMin, ok = currentDuration(d)
		return shape, ok
	})
	return Personalize(nights, NewWindows(day(t, "2025-06-30"), 61))
}

// keepAll keeps every prior night.
func keepAll(int) bool { return true }

func TestPersonalizeDurationScenario(t *testing.T) {
	// Current: four 500s and one 400 (outside [426, 474]); 426 and 474 sit on
	// the percentiles and are not outside; the other 54 nights last 450.
	special := map[string]int{
		"2025-05-01": 500, "2025-05-02": 500, "2025-05-03": 500, "2025-05-04": 500,
		"2025-05-05": 400, "2025-05-06": 426, "2025-05-07": 474,
	}
	p := durationScenario(t, func(d time.Time) (int, bool) {
		if v, ok := special[formatDate(d)]; ok {
			return v, true
		}
		return 450, true
	}, keepAll)

	d := p.Metrics.DurationBaseline
	if !d.Eligible || d.SampleDays != 61 {
		t.Errorf("eligible %v sample_days %d, want true 61", d.Eligible, d.SampleDays)
	}
	// 61 sorted values 420…480: ranks 6, 30, 54, 15 and 45 are exact.
	assertNumber(t, "p10", d.P10Min, num(426))
	assertNumber(t, "p50", d.P50Min, num(450))
	assertNumber(t, "p90", d.P90Min, num(474))
	assertNumber(t, "iqr", d.IQRMin, num(465-435))
	assertNumber(t, "incidence", d.RecentOutOfRangeIncidencePct, num(500.0/61))
	if p.CurrentWindow.LoggedDays != 61 || p.PriorWindow.LoggedDays != 61 {
		t.Errorf("logged days %d/%d, want 61/61", p.CurrentWindow.LoggedDays, p.PriorWindow.LoggedDays)
	}
	assertRecommendation(t, p.Recommendations[0], ActionPersonalDurationWarningTuning,
		wantRecommendation{StatusRecommended, ConfidenceMedium, []string{}})
}

func TestDurationRecommendationCases(t *testing.T) {
	always450 := func(time.Time) (int, bool) { return 450, true }
	tests := []struct {
		name      string
		current   func(time.Time) (int, bool)
		keepPrior func(int) bool
		incidence *float64
		want      wantRecommendation
	}{
		{
			name:      "59 prior nights",
			current:   always450,
			keepPrior: func(i int) bool { return i >= 2 },
			incidence: num(0),
			want: wantRecommendation{StatusSuppressed, ConfidenceLow,
				[]string{reasonDurationSample, reasonDurationTrigger, reasonDisruptionGuardrail}},
		},
		{
			name:      "no recent night outside the range",
			current:   always450,
			keepPrior: keepAll,
			incidence: num(0),
			want: wantRecommendation{StatusSuppressed, ConfidenceLow,
				[]string{reasonDurationTrigger, reasonDisruptionGuardrail}},
		},
		{
			// 20 current nights, one outside: exactly 5% triggers.
			name: "exactly five percent",
			current: func(d time.Time) (int, bool) {
				if d.Before(day(t, "2025-06-11")) {
					return 0, false
				}
				if formatDate(d) == "2025-06-30" {
					return 481, true
				}
				return 450, true
			},
			keepPrior: keepAll,
			incidence: num(5),
			want:      wantRecommendation{StatusRecommended, ConfidenceMedium, []string{}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := durationScenario(t, tc.current, tc.keepPrior)
			assertNumber(t, "incidence", p.Metrics.DurationBaseline.RecentOutOfRangeIncidencePct, tc.incidence)
			assertRecommendation(t, p.Recommendations[0], ActionPersonalDurationWarningTuning, tc.want)
		})
	}
}

func TestDurationIncidenceWithoutPriorIsZero(t *testing.T) {
	nights := nightsBetween(t, "2025-06-01", "2025-06-28", func(time.Time) (nightShape, bool) {
		return usualWeekday, true
	})
	d := Personalize(nights, NewWindows(day(t, "2025-06-28"), 28)).Metrics.DurationBaseline
	assertNumber(t, "p10", d.P10Min, nil)
	assertNumber(t, "iqr", d.IQRMin, nil)
	assertNumber(t, "incidence", d.RecentOutOfRangeIncidencePct, num(0))
}

// alternatingShape switches between 22:00→06:00 and 01:00→09:00 (both 480
// min) with the parity of the day number, so two consecutive days always
// differ: bed_relative −120/+60 and wake 360/540, σ = 90 each for equal halves.
func alternatingShape(d time.Time) nightShape {
	if d.Unix()/86400%2 == 0 {
		return nightShape{bed: "22:00", wake: "06:00", durationMin: 480, quality: 3}
	}
	return nightShape{bed: "01:00", wake: "09:00", durationMin: 480, quality: 3}
}

func TestRegularityScenarios(t *testing.T) {
	tests := []struct {
		name           string
		asOf           string
		days           int
		logged         func(d time.Time) bool
		current, prior float64
		missingPct     float64
		want           wantRecommendation
	}{
		{
			name: "high in both windows", asOf: "2025-06-28", days: 28,
			logged:  func(time.Time) bool { return true },
			current: 90, prior: 90, missingPct: 0,
			want: wantRecommendation{StatusRecommended, ConfidenceMedium, []string{}},
		},
		{
			// Current window logged 06-01…06-18 only: 10 of 28 missing (35.7%).
			name: "data gaps", asOf: "2025-06-28", days: 28,
			logged:  func(d time.Time) bool { return d.Before(day(t, "2025-06-19")) },
			current: 90, prior: 90, missingPct: 1000.0 / 28,
			want: wantRecommendation{StatusSuppressed, ConfidenceMedium, []string{reasonVariabilityGap}},
		},
		{
			// 10-day windows, current logs 06-19…06-25 (7 of 10): exactly 30% is no
			// gap. Four −120/360 nights and three +60/540 ones: σ = 180·√12/7.
			name: "exactly thirty percent missing", asOf: "2025-06-28", days: 10,
			logged:  func(d time.Time) bool { return d.Before(day(t, "2025-06-26")) },
			current: 180 * math.Sqrt(12) / 7, prior: 90, missingPct: 30,
			want: wantRecommendation{StatusRecommended, ConfidenceMedium, []string{}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWindows(day(t, tc.asOf), tc.days)
			nights := nightsBetween(t, formatDate(w.PriorFrom), tc.asOf, func(d time.Time) (nightShape, bool) {
				return alternatingShape(d), tc.logged(d)
			})
			p := Personalize(nights, w)
			sv := p.Metrics.ScheduleVariability
			assertNumber(t, "current variability", sv.CurrentVariabilityMin, num(tc.current))
			assertNumber(t, "prior variability", sv.PriorVariabilityMin, num(tc.prior))
			assertNear(t, "missing_days_pct", p.CurrentWindow.MissingDaysPct, tc.missingPct)
			assertRecommendation(t, p.Recommendations[3], ActionRegularityInsightPriority, tc.want)
		})
	}
}

func TestRegularityNeedsTwoSamplesPerWindow(t *testing.T) {
	nights := []Night{
		alternatingShape(day(t, "2025-05-10")).on(t, day(t, "2025-05-10")),
		alternatingShape(day(t, "2025-06-10")).on(t, day(t, "2025-06-10")),
		alternatingShape(day(t, "2025-06-11")).on(t, day(t, "2025-06-11")),
	}
	sv := Personalize(nights, NewWindows(day(t, "2025-06-28"), 28)).Metrics.ScheduleVariability
	assertNumber(t, "current", sv.CurrentVariabilityMin, num(90))
	assertNumber(t, "prior with one night", sv.PriorVariabilityMin, nil)
	if sv.Eligible || sv.SustainedTwoWindows || !sv.HighDataGap {
		t.Errorf("schedule variability = %+v", sv)
	}
}

// Quality scenario: 42-day windows ending Sunday 2025-06-29 (prior
// 2025-04-07…05-18, current 2025-05-19…06-29), six Monday-to-Sunday weeks
// each. Per window, with M = 180 and P10 = P90 = 480:
//
//	night          days                 min  midpoint q   duration  timing  alignment
//	usual weekday  24 other weekdays    480  180      4   fav       fav     fav
//	short          Wed of weeks 0–2     300  180      1   unfav     fav     fav
//	long           Thu of weeks 0–2     600  180      1   unfav     fav     fav
//	Saturday       6                    480  255      3   fav       unfav   fav (75 ≤ 90)
//	Sunday         6                    480  300      2   fav       unfav   unfav (120)
var (
	qualityUsual    = nightShape{bed: "23:00", wake: "07:00", durationMin: 480, quality: 4}
	qualityShort    = nightShape{bed: "00:30", wake: "05:30", durationMin: 300, quality: 1}
	qualityLong     = nightShape{bed: "22:00", wake: "08:00", durationMin: 600, quality: 1}
	qualitySaturday = nightShape{bed: "00:15", wake: "08:15", durationMin: 480, quality: 3}
	qualitySunday   = nightShape{bed: "01:00", wake: "09:00", durationMin: 480, quality: 2}
)

// qualityNight is the scenario night of a date; week counts weeks since the
// start of the date's window.
func qualityNight(d time.Time, week int) nightShape {
	switch d.Weekday() {
	case time.Saturday:
		return qualitySaturday
	case time.Sunday:
		return qualitySunday
	case time.Wednesday:
		if week < 3 {
			return qualityShort
		}
	case time.Thursday:
		if week < 3 {
			return qualityLong
		}
	}
	return qualityUsual
}

// qualityScenario builds the quality scenario; adjust may change or drop a
// night, knowing whether it is in the current window.
func qualityScenario(t *testing.T, adjust func(current bool, week int, d time.Time, s nightShape) (nightShape, bool)) Personalization {
	t.Helper()
	start := day(t, "2025-04-07")
	nights := nightsBetween(t, "2025-04-07", "2025-06-29", func(d time.Time) (nightShape, bool) {
		week := int(d.Sub(start).Hours()/24) / 7
		current := week >= 6
		return adjust(current, week%6, d, qualityNight(d, week%6))
	})
	return Personalize(nights, NewWindows(day(t, "2025-06-29"), 42))
}

func TestQualityFactorScenario(t *testing.T) {
	p := qualityScenario(t, func(_ bool, _ int, _ time.Time, s nightShape) (nightShape, bool) { return s, true })
	q := p.Metrics.QualityFactorRanking
	if !q.Eligible || q.SessionsWithQuality != 42 || q.DistinctQualityValues != 4 || !q.StableAcrossAdjacentWindows {
		t.Errorf("quality ranking = %+v", q)
	}
	// duration: favorable 24×4+6×3+6×2 = 126 over 36 → 3.5; unfavorable 1 → 2.5
	// alignment: favorable 24×4+3+3+6×3 = 120 over 36; unfavorable 6×2 → 2
	// timing: favorable 24×4+3+3 = 102 over 30 = 3.4; unfavorable 30 over 12 = 2.5
	want := []RankedFactor{
		{"duration_in_personal_range", 2.5},
		{"weekday_schedule_alignment", 120.0/36 - 2},
		{"consistent_mid_sleep_timing", 102.0/30 - 2.5},
	}
	assertRankedFactors(t, q.RankedFactors, want)
	assertRecommendation(t, p.Recommendations[4], ActionQualityAlignedFactorExplanation,
		wantRecommendation{StatusRecommended, ConfidenceMedium, []string{}})
}

func TestQualitySuppressionReasons(t *testing.T) {
	tests := []struct {
		name    string
		adjust  func(current bool, week int, d time.Time, s nightShape) (nightShape, bool)
		ranked  []string
		reasons []string
	}{
		{
			// Drop the current Mondays of weeks 3–5: 39 nights. P10 and P90 stay
			// 480 (ranks 3.8 and 34.2 fall among the 480s), so effects survive.
			name: "39 sessions",
			adjust: func(current bool, week int, d time.Time, s nightShape) (nightShape, bool) {
				return s, !(current && week >= 3 && d.Weekday() == time.Monday)
			},
			ranked:  []string{"duration_in_personal_range", "weekday_schedule_alignment", "consistent_mid_sleep_timing"},
			reasons: []string{reasonQualitySessions},
		},
		{
			// Only ratings 4 and 1: every effect keeps its sign.
			name: "two distinct qualities",
			adjust: func(_ bool, _ int, _ time.Time, s nightShape) (nightShape, bool) {
				if s.quality == 3 {
					s.quality = 4
				} else if s.quality == 2 {
					s.quality = 1
				}
				return s, true
			},
			ranked:  []string{"duration_in_personal_range", "weekday_schedule_alignment", "consistent_mid_sleep_timing"},
			reasons: []string{reasonQualityDistinct},
		},
		{
			// Prior weekends rated 5: prior timing effect 3.4 − 5 < 0 while the
			// current one is positive. The ranking is still listed.
			name: "effect changes sign",
			adjust: func(current bool, _ int, d time.Time, s nightShape) (nightShape, bool) {
				if !current && isWeekend(d) {
					s.quality = 5
				}
				return s, true
			},
			ranked:  []string{"duration_in_personal_range", "weekday_schedule_alignment", "consistent_mid_sleep_timing"},
			reasons: []string{reasonQualityUnstable},
		},
		{
			// No short or long prior nights: every prior night is within
			// [P10, P90], the prior duration effect is null and the factor drops out.
			name: "effect undefined in the prior window",
			adjust: func(current bool, _ int, _ time.Time, s nightShape) (nightShape, bool) {
				if !current && (s == qualityShort || s == qualityLong) {
					return qualityUsual, true
				}
				return s, true
			},
			ranked:  []string{"weekday_schedule_alignment", "consistent_mid_sleep_timing"},
			reasons: []string{reasonQualityUnstable},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := qualityScenario(t, tc.adjust)
			var names []string
			for _, f := range p.Metrics.QualityFactorRanking.RankedFactors {
				names = append(names, f.Factor)
			}
			if !slices.Equal(names, tc.ranked) {
				t.Errorf("ranked factors %v, want %v", names, tc.ranked)
			}
			assertRecommendation(t, p.Recommendations[4], ActionQualityAlignedFactorExplanation,
				wantRecommendation{StatusSuppressed, ConfidenceLow, tc.reasons})
		})
	}
}

func TestRankFactors(t *testing.T) {
	tests := []struct {
		name           string
		current, prior []optional
		want           []RankedFactor
		stable         bool
	}{
		{
			name:    "by magnitude, negative effects included",
			current: []optional{some(2), some(-3), some(1)},
			prior:   []optional{some(1), some(-1), some(4)},
			want: []RankedFactor{
				{"consistent_mid_sleep_timing", -3}, {"duration_in_personal_range", 2}, {"weekday_schedule_alignment", 1},
			},
			stable: true,
		},
		{
			name:    "ties keep the fixed order",
			current: []optional{some(1), some(-2), some(2)},
			prior:   []optional{some(1), some(-2), some(2)},
			want: []RankedFactor{
				{"consistent_mid_sleep_timing", -2}, {"weekday_schedule_alignment", 2}, {"duration_in_personal_range", 1},
			},
			stable: true,
		},
		{
			name:    "sign(0) is +1: zero against positive is stable",
			current: []optional{some(0), some(1), some(1)},
			prior:   []optional{some(0.5), some(1), some(1)},
			want: []RankedFactor{
				{"consistent_mid_sleep_timing", 1}, {"weekday_schedule_alignment", 1}, {"duration_in_personal_range", 0},
			},
			stable: true,
		},
		{
			name:    "zero against negative is a sign change",
			current: []optional{some(0), some(1), some(1)},
			prior:   []optional{some(-0.5), some(1), some(1)},
			want: []RankedFactor{
				{"consistent_mid_sleep_timing", 1}, {"weekday_schedule_alignment", 1}, {"duration_in_personal_range", 0},
			},
			stable: false,
		},
		{
			name:    "a null effect drops the factor",
			current: []optional{some(1), none, some(2)},
			prior:   []optional{some(1), some(1), none},
			want:    []RankedFactor{{"duration_in_personal_range", 1}},
			stable:  false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ranked, stable := rankFactors(tc.current, tc.prior)
			if stable != tc.stable {
				t.Errorf("stable = %v, want %v", stable, tc.stable)
			}
			assertRankedFactors(t, ranked, tc.want)
		})
	}
}

func assertRankedFactors(t *testing.T, got, want []RankedFactor) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("ranked factors %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Factor != want[i].Factor {
			t.Errorf("factor %d = %s, want %s", i, got[i].Factor, want[i].Factor)
		}
		assertNear(t, want[i].Factor, got[i].Effect, want[i].Effect)
	}
}

func TestPersonalizeIgnoresRowsOutsideTheWindowsAndSorts(t *testing.T) {
	w := NewWindows(day(t, "2025-06-28"), 7)
	nights := []Night{
		usualWeekday.on(t, day(t, "2025-06-27")),
		usualWeekday.on(t, day(t, "2025-06-29")), // after as_of
		usualWeekday.on(t, day(t, "2025-06-20")), // prior
		usualWeekday.on(t, day(t, "2025-06-14")), // before prior_from
		usualWeekday.on(t, day(t, "2025-06-22")), // current_from
		usualWeekday.on(t, day(t, "2025-06-15")), // prior_from
	}
	p := Personalize(nights, w)
	if p.CurrentWindow.LoggedDays != 2 || p.PriorWindow.LoggedDays != 2 || p.CurrentWindow.MissingDays != 5 {
		t.Errorf("coverage %+v / %+v", p.CurrentWindow, p.PriorWindow)
	}
	assertNear(t, "missing pct", p.CurrentWindow.MissingDaysPct, 500.0/7)
}

func TestPersonalizeEmptyDatabase(t *testing.T) {
	p := Personalize(nil, NewWindows(day(t, "2025-06-28"), 28))
	want := WindowCoverage{DateRange{"2025-06-01", "2025-06-28"}, 0, 28, 100}
	if p.CurrentWindow != want {
		t.Errorf("current window = %+v, want %+v", p.CurrentWindow, want)
	}
	m := p.Metrics
	for name, v := range map[string]*float64{
		"p10": m.DurationBaseline.P10Min, "p50": m.DurationBaseline.P50Min, "p90": m.DurationBaseline.P90Min,
		"iqr": m.DurationBaseline.IQRMin, "incidence": m.DurationBaseline.RecentOutOfRangeIncidencePct,
		"weekday bed": m.DayTypeTimingBaseline.WeekdayBedMedianMin, "weekend wake": m.DayTypeTimingBaseline.WeekendWakeMedianMin,
		"current delta": m.SocialJetlag.CurrentDeltaMin, "prior delta": m.SocialJetlag.PriorDeltaMin,
		"current variability": m.ScheduleVariability.CurrentVariabilityMin,
		"prior variability":   m.ScheduleVariability.PriorVariabilityMin,
	} {
		assertNumber(t, name, v, nil)
	}
	if m.DurationBaseline.SampleDays != 0 || m.DayTypeTimingBaseline.WeekdaySampleDays != 0 ||
		m.SocialJetlag.WeekendSampleDays != 0 || m.QualityFactorRanking.SessionsWithQuality != 0 ||
		m.QualityFactorRanking.DistinctQualityValues != 0 || m.QualityFactorRanking.RankedFactors == nil {
		t.Errorf("metrics = %+v", m)
	}
	if !m.ScheduleVariability.HighDataGap {
		t.Error("100% missing must be a high data gap")
	}
	assertRecommendations(t, p, []wantRecommendation{
		{StatusSuppressed, ConfidenceLow, []string{reasonDurationSample, reasonDurationTrigger, reasonDisruptionGuardrail}},
		{StatusSuppressed, ConfidenceLow, []string{reasonDayTypeCounts, reasonDayTypeUnstable}},
		{StatusSuppressed, ConfidenceLow, []string{reasonJetlagWeekends, reasonJetlagPriorWeekends, reasonJetlagNotSustained}},
		{StatusSuppressed, ConfidenceLow, []string{reasonVariabilityNotSustained, reasonVariabilityGap}},
		{StatusSuppressed, ConfidenceLow, []string{reasonQualitySessions, reasonQualityDistinct, reasonQualityUnstable}},
	})
}

// BenchmarkPersonalize365 runs the largest personalization the API allows
// (365-day windows) over ten years of nights; rows before the prior window
// are skipped, as when a caller over-reads.
func BenchmarkPersonalize365(b *testing.B) {
	start := time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC)
	nights := make([]Night, 0, 3653)
	for i := range 3653 {
		nights = append(nights, Night{
			Date:        start.AddDate(0, 0, i),
			BedSec:      (22*3600 + i*977%(3*3600)) % 86400,
			WakeSec:     6*3600 + i*613%(3*3600),
			DurationMin: 360 + i*37%180,
			Quality:     new(1 + i*7%5),
			LatencyMin:  new(i * 11 % 60),
		})
	}
	w := NewWindows(nights[len(nights)-1].Date, 365)
	b.ReportAllocs()
	for b.Loop() {
		Personalize(nights, w)
	}
}
