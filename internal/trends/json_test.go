package trends

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// encodeBody encodes v as the HTTP layer should: without HTML escaping, so
// "<" and ">" in the policy strings appear literally as in SPEC. With
// escaping ("\u003c") the JSON value would still be equal.
func encodeBody(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestPersonalizationEmptyJSON(t *testing.T) {
	got := encodeBody(t, Personalize(nil, NewWindows(day(t, "2025-06-28"), 28)))
	want := `{"as_of":"2025-06-28","window_days":28,` +
		`"current_window":{"from":"2025-06-01","to":"2025-06-28","logged_days":0,"missing_days":28,"missing_days_pct":100},` +
		`"prior_window":{"from":"2025-05-04","to":"2025-05-31","logged_days":0,"missing_days":28,"missing_days_pct":100},` +
		`"metrics":{` +
		`"duration_baseline":{"eligible":false,"sample_days":0,"p10_min":null,"p50_min":null,"p90_min":null,"iqr_min":null,"recent_out_of_range_incidence_pct":null},` +
		`"day_type_timing_baseline":{"eligible":false,"weekday_sample_days":0,"weekend_sample_days":0,"weekday_bed_median_min":null,"weekday_wake_median_min":null,"weekend_bed_median_min":null,"weekend_wake_median_min":null,"midpoint_stable_across_windows":false,"recent_14_day_diverges_from_baseline":false},` +
		`"social_jetlag":{"eligible":false,"weekend_sample_days":0,"current_delta_min":null,"prior_delta_min":null,"sustained_two_windows":false},` +
		`"schedule_variability":{"eligible":false,"current_variability_min":null,"prior_variability_min":null,"sustained_two_windows":false,"high_data_gap":true},` +
		`"quality_factor_ranking":{"eligible":false,"sessions_with_quality":0,"distinct_quality_values":0,"stable_across_adjacent_windows":false,"ranked_factors":[]}},` +
		`"recommendations":[` +
		`{"action_key":"personal_duration_warning_tuning","status":"suppressed","confidence":"low","rationale":"Replace static unusual-duration warning with personal duration tails","suppression_reasons":["needs at least 60 baseline sessions in prior window","recent out-of-range incidence is below 5% trigger","schedule disruption guardrail unavailable from current data (travel/shift period not inferred)"]},` +
		`{"action_key":"day_type_default_prefill","status":"suppressed","confidence":"low","rationale":"Offer weekday/weekend usual-time defaults when day-type baselines are stable","suppression_reasons":["requires >=8 weekday and >=4 weekend sessions in current window","day-type midpoint medians are not stable across adjacent windows"]},` +
		`{"action_key":"social_jetlag_schedule_shift_insight","status":"suppressed","confidence":"low","rationale":"Show weekend-vs-weekday midpoint shift insight when phase shift persists","suppression_reasons":["weekend sample too small (<4 sessions)","prior window weekend sample too small (<4 sessions)","social jetlag delta is not >=30 min for two consecutive windows"]},` +
		`{"action_key":"regularity_insight_priority","status":"suppressed","confidence":"low","rationale":"Prioritize regularity insight when timing dispersion is persistently high","suppression_reasons":["schedule variability is not >=60 minutes across two windows","data gaps exceed 30% of current window"]},` +
		`{"action_key":"quality_aligned_factor_explanation","status":"suppressed","confidence":"low","rationale":"Surface top associated factors for higher-quality nights using directional language","suppression_reasons":["requires at least 40 sessions with quality","requires at least 3 distinct quality values","factor effects are not stable across adjacent windows"]}]}`
	if got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func TestPersonalizationRecommendedJSONHasEmptyReasons(t *testing.T) {
	got := encodeBody(t, recommend(allRecommendedMetrics())[0])
	want := `{"action_key":"personal_duration_warning_tuning","status":"recommended","confidence":"medium",` +
		`"rationale":"Replace static unusual-duration warning with personal duration tails","suppression_reasons":[]}`
	if got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func TestBacklogEmptyJSON(t *testing.T) {
	got := encodeBody(t, FrictionBacklog(nil, NewWindows(day(t, "2025-06-28"), 28)))
	want := `{"as_of":"2025-06-28","window_days":28,"minimum_sample_met":false,` +
		`"current_window":{"from":"2025-06-01","to":"2025-06-28","submit_count":0},` +
		`"prior_window":{"from":"2025-05-04","to":"2025-05-31","submit_count":0},"proposals":[]}`
	if got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func TestProposalJSONShape(t *testing.T) {
	w := NewWindows(day(t, "2025-06-28"), 7)
	got := encodeBody(t, FrictionBacklog([]FrictionEvent{
		frictionAt(t, "2025-06-28T12:00:00Z", "save failed", 1500, 1, true),
	}, w).Proposals)
	want := `[{"rank":1,"action_key":"friction_reduction_save_failed","observed_evidence":{` +
		`"current_occurrences":1,"prior_occurrences":0,"current_submit_count":1,"prior_submit_count":0,` +
		`"current_avg_form_time_ms":1500,"prior_avg_form_time_ms":0,"current_retry_avg":1,"prior_retry_avg":0,` +
		`"current_follow_up_failure_rate":1,"prior_follow_up_failure_rate":0},` +
		`"expected_benefit":"Reduce repeated 'save failed' friction by lowering retries and form time variance",` +
		`"estimated_minutes_saved_per_week":2.275,"confidence":"low","persistence_two_windows":false,` +
		`"rollback_condition":"Downgrade if pattern no longer persists for two windows or confidence falls below medium",` +
		`"auto_promoted":false}]`
	// minutes: 1 event/week × ((1500/60000 + 1×0.75) + 1×1.5) = 0.025 + 0.75 + 1.5.
	if got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}
