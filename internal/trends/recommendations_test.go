package trends

import (
	"slices"
	"testing"
)

// The exact suppression texts of SPEC §7.5.6, spelled out here rather than
// taken from the implementation so that a typo there fails a test.
const (
	reasonDurationSample          = "needs at least 60 baseline sessions in prior window"
	reasonDurationTrigger         = "recent out-of-range incidence is below 5% trigger"
	reasonDisruptionGuardrail     = "schedule disruption guardrail unavailable from current data (travel/shift period not inferred)"
	reasonDayTypeCounts           = "requires >=8 weekday and >=4 weekend sessions in current window"
	reasonDayTypeUnstable         = "day-type midpoint medians are not stable across adjacent windows"
	reasonDayTypeDiverges         = "recent 14-day pattern strongly diverges from baseline"
	reasonJetlagWeekends          = "weekend sample too small (<4 sessions)"
	reasonJetlagPriorWeekends     = "prior window weekend sample too small (<4 sessions)"
	reasonJetlagNotSustained      = "social jetlag delta is not >=30 min for two consecutive windows"
	reasonVariabilityNotSustained = "schedule variability is not >=60 minutes across two windows"
	reasonVariabilityGap          = "data gaps exceed 30% of current window"
	reasonQualitySessions         = "requires at least 40 sessions with quality"
	reasonQualityDistinct         = "requires at least 3 distinct quality values"
	reasonQualityUnstable         = "factor effects are not stable across adjacent windows"
)

// wantRecommendation is the expected outcome of one recommendation.
type wantRecommendation struct {
	status     Status
	confidence Confidence
	reasons    []string
}

// fixedRecommendations are the action keys and rationales in their SPEC order.
var fixedRecommendations = []struct{ actionKey, rationale string }{
	{"personal_duration_warning_tuning", "Replace static unusual-duration warning with personal duration tails"},
	{"day_type_default_prefill", "Offer weekday/weekend usual-time defaults when day-type baselines are stable"},
	{"social_jetlag_schedule_shift_insight", "Show weekend-vs-weekday midpoint shift insight when phase shift persists"},
	{"regularity_insight_priority", "Prioritize regularity insight when timing dispersion is persistently high"},
	{"quality_aligned_factor_explanation", "Surface top associated factors for higher-quality nights using directional language"},
}

func assertRecommendations(t *testing.T, p Personalization, want []wantRecommendation) {
	t.Helper()
	if len(p.Recommendations) != len(fixedRecommendations) {
		t.Fatalf("%d recommendations, want 5", len(p.Recommendations))
	}
	for i, w := range want {
		assertRecommendation(t, p.Recommendations[i], fixedRecommendations[i].actionKey, w)
	}
}

func assertRecommendation(t *testing.T, got Recommendation, actionKey string, want wantRecommendation) {
	t.Helper()
	if got.ActionKey != actionKey {
		t.Errorf("action_key = %s, want %s", got.ActionKey, actionKey)
	}
	if got.Status != want.status || got.Confidence != want.confidence {
		t.Errorf("%s: %s/%s, want %s/%s", actionKey, got.Status, got.Confidence, want.status, want.confidence)
	}
	if got.SuppressionReasons == nil || !slices.Equal(got.SuppressionReasons, want.reasons) {
		t.Errorf("%s reasons\n got %q\nwant %q", actionKey, got.SuppressionReasons, want.reasons)
	}
}

func TestRecommendationsFixedOrderAndText(t *testing.T) {
	for _, recs := range [][]Recommendation{recommend(Metrics{}), recommend(allRecommendedMetrics())} {
		if len(recs) != 5 {
			t.Fatalf("%d recommendations, want 5", len(recs))
		}
		for i, want := range fixedRecommendations {
			if recs[i].ActionKey != want.actionKey || recs[i].Rationale != want.rationale {
				t.Errorf("recommendation %d = %q / %q, want %q / %q",
					i+1, recs[i].ActionKey, recs[i].Rationale, want.actionKey, want.rationale)
			}
		}
	}
}

// allRecommendedMetrics satisfies every recommendation.
func allRecommendedMetrics() Metrics {
	return Metrics{
		DurationBaseline:      DurationBaseline{Eligible: true, RecentOutOfRangeIncidencePct: num(5)},
		DayTypeTimingBaseline: DayTypeTimingBaseline{Eligible: true, WeekdaySampleDays: 8, WeekendSampleDays: 4, MidpointStableAcrossWindows: true},
		SocialJetlag:          SocialJetlag{Eligible: true, WeekendSampleDays: 4, priorWeekendSampleDays: 4, SustainedTwoWindows: true},
		ScheduleVariability:   ScheduleVariability{Eligible: true, SustainedTwoWindows: true},
		QualityFactorRanking:  QualityFactorRanking{Eligible: true, SessionsWithQuality: 40, DistinctQualityValues: 3, StableAcrossAdjacentWindows: true},
	}
}

func TestAllRecommendedConfidences(t *testing.T) {
	recs := recommend(allRecommendedMetrics())
	want := []Confidence{ConfidenceMedium, ConfidenceMedium, ConfidenceHigh, ConfidenceMedium, ConfidenceMedium}
	for i, rec := range recs {
		assertRecommendation(t, rec, fixedRecommendations[i].actionKey,
			wantRecommendation{StatusRecommended, want[i], []string{}})
	}
}

func TestEverySuppressedRecommendationHasAReason(t *testing.T) {
	// Break one condition of allRecommendedMetrics at a time, keeping the
	// metrics self-consistent: whatever suppresses a recommendation is named.
	flips := []func(*Metrics){
		func(m *Metrics) { m.DurationBaseline.Eligible = false },
		func(m *Metrics) { m.DurationBaseline.RecentOutOfRangeIncidencePct = num(4.999) },
		func(m *Metrics) { m.DurationBaseline.RecentOutOfRangeIncidencePct = nil },
		func(m *Metrics) {
			m.DayTypeTimingBaseline.Eligible = false
			m.DayTypeTimingBaseline.WeekdaySampleDays = 7
		},
		func(m *Metrics) {
			m.DayTypeTimingBaseline.Eligible = false
			m.DayTypeTimingBaseline.MidpointStableAcrossWindows = false
		},
		func(m *Metrics) { m.DayTypeTimingBaseline.Recent14DayDivergesFromBaseline = true },
		func(m *Metrics) { m.SocialJetlag.Eligible = false; m.SocialJetlag.WeekendSampleDays = 3 },
		func(m *Metrics) { m.SocialJetlag.Eligible = false; m.SocialJetlag.priorWeekendSampleDays = 3 },
		func(m *Metrics) { m.SocialJetlag.SustainedTwoWindows = false },
		func(m *Metrics) {
			m.ScheduleVariability.Eligible = false
			m.ScheduleVariability.SustainedTwoWindows = false
		},
		func(m *Metrics) { m.ScheduleVariability.HighDataGap = true },
		func(m *Metrics) {
			m.QualityFactorRanking.Eligible = false
			m.QualityFactorRanking.StableAcrossAdjacentWindows = false
		},
	}
	for i, flip := range flips {
		m := allRecommendedMetrics()
		flip(&m)
		suppressed := 0
		for _, rec := range recommend(m) {
			if rec.Status == StatusSuppressed {
				suppressed++
				if len(rec.SuppressionReasons) == 0 {
					t.Errorf("flip %d: %s suppressed without a reason", i, rec.ActionKey)
				}
			}
		}
		if suppressed != 1 {
			t.Errorf("flip %d suppressed %d recommendations, want 1", i, suppressed)
		}
	}
}

func TestSpecialConfidences(t *testing.T) {
	// #2 keeps medium when only the divergence suppresses it.
	dt := DayTypeTimingBaseline{Eligible: true, WeekdaySampleDays: 8, WeekendSampleDays: 4,
		MidpointStableAcrossWindows: true, Recent14DayDivergesFromBaseline: true}
	assertRecommendation(t, recommendDayTypeDefaultPrefill(dt), "day_type_default_prefill",
		wantRecommendation{StatusSuppressed, ConfidenceMedium, []string{reasonDayTypeDiverges}})

	// #4 keeps medium when only the data gap suppresses it.
	sv := ScheduleVariability{Eligible: true, SustainedTwoWindows: true, HighDataGap: true}
	assertRecommendation(t, recommendRegularityInsight(sv), "regularity_insight_priority",
		wantRecommendation{StatusSuppressed, ConfidenceMedium, []string{reasonVariabilityGap}})

	// #3 is low whenever suppressed, even with everything but sustain.
	sj := SocialJetlag{Eligible: true, WeekendSampleDays: 9, priorWeekendSampleDays: 9}
	assertRecommendation(t, recommendSocialJetlagInsight(sj), "social_jetlag_schedule_shift_insight",
		wantRecommendation{StatusSuppressed, ConfidenceLow, []string{reasonJetlagNotSustained}})
}
