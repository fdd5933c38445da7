/** A personalization body with nothing eligible; tests override what they need. */
import type { Personalization, Recommendation, RecommendationKey } from '../api';

const KEYS: RecommendationKey[] = [
	'personal_duration_warning_tuning',
	'day_type_default_prefill',
	'social_jetlag_schedule_shift_insight',
	'regularity_insight_priority',
	'quality_aligned_factor_explanation'
];

/** Deep-partial overrides of the metrics. */
export type MetricsOverride = { [K in keyof Personalization['metrics']]?: Partial<Personalization['metrics'][K]> };

/** Builds a personalization response. */
export function personalization(
	metrics: MetricsOverride = {},
	recommended: Partial<Record<RecommendationKey, Recommendation['confidence']>> = {}
): Personalization {
	const window = { from: '2025-06-03', to: '2025-06-16', logged_days: 0, missing_days: 14, missing_days_pct: 100 };
	return {
		as_of: '2025-06-16',
		window_days: 14,
		current_window: window,
		prior_window: { ...window, from: '2025-05-20', to: '2025-06-02' },
		metrics: {
			duration_baseline: {
				eligible: false,
				sample_days: 0,
				p10_min: null,
				p50_min: null,
				p90_min: null,
				iqr_min: null,
				recent_out_of_range_incidence_pct: null,
				...metrics.duration_baseline
			},
			day_type_timing_baseline: {
				eligible: false,
				weekday_sample_days: 0,
				weekend_sample_days: 0,
				weekday_bed_median_min: null,
				weekday_wake_median_min: null,
				weekend_bed_median_min: null,
				weekend_wake_median_min: null,
				midpoint_stable_across_windows: false,
				recent_14_day_diverges_from_baseline: false,
				...metrics.day_type_timing_baseline
			},
			social_jetlag: {
				eligible: false,
				weekend_sample_days: 0,
				current_delta_min: null,
				prior_delta_min: null,
				sustained_two_windows: false,
				...metrics.social_jetlag
			},
			schedule_variability: {
				eligible: false,
				current_variability_min: null,
				prior_variability_min: null,
				sustained_two_windows: false,
				high_data_gap: false,
				...metrics.schedule_variability
			},
			quality_factor_ranking: {
				eligible: false,
				sessions_with_quality: 0,
				distinct_quality_values: 0,
				stable_across_adjacent_windows: false,
				ranked_factors: [],
				...metrics.quality_factor_ranking
			}
		},
		recommendations: KEYS.map((key) => ({
			action_key: key,
			status: recommended[key] ? 'recommended' : 'suppressed',
			confidence: recommended[key] ?? 'low',
			rationale: 'policy text that must never be shown',
			suppression_reasons: recommended[key] ? [] : ['a suppression reason that must never be shown']
		}))
	};
}
