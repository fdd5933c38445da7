/**
 * The trends page's logic (SPEC §8.12): URL state, ranges, per-metric values on the wrapped clock,
 * the prior-period comparison, interpretation lines and the plain-language insight cards. Pure
 * functions over API shapes, so the page stays thin and this file is unit-tested.
 */
import type { Personalization, QualityFactor, SleepBar, TrendsSummary } from './api';
import { formatDuration, formatHoursMinutes, formatOneDecimal, formatIsoRange, formatPercent, signed } from './format';
import {
	addDays,
	clockToMinutes,
	isoWeekKey,
	isValidDate,
	isWeekend,
	mean,
	minutesToClock,
	rangeLength,
	wrapAtNoon,
	WRAPPED_AXIS
} from './time';

/** What the chart plots. */
export type Metric = 'duration' | 'quality' | 'bedtime' | 'waketime';
/** Chart, schedule or the actogram timeline (SPEC §12.6). */
export type TrendsView = 'chart' | 'schedule' | 'timeline';

/** Everything the URL holds (`/trends?from=&to=&metric=&view=&compare=1&weekly=1`). */
export interface TrendsState {
	from: string;
	to: string;
	metric: Metric;
	view: TrendsView;
	compare: boolean;
	weekly: boolean;
}

/** The metric toggle, in order. */
export const METRICS: { value: Metric; label: string }[] = [
	{ value: 'duration', label: 'Duration' },
	{ value: 'quality', label: 'Quality' },
	{ value: 'bedtime', label: 'Bedtime' },
	{ value: 'waketime', label: 'Wake time' }
];

/** Preset lengths in days. */
export const PRESETS = [7, 14, 30] as const;
/** Default range length. */
export const DEFAULT_DAYS = 14;
/** Longest range the API accepts for sleep bars and summaries. */
export const MAX_RANGE_DAYS = 3660;
/** Longest personalization window. */
export const MAX_WINDOW_DAYS = 365;

/** The N days ending `today`. */
export function presetRange(days: number, today: string): { from: string; to: string } {
	return { from: addDays(today, -(days - 1)), to: today };
}

/** Problem with a custom range, or null when it can be applied. */
export function customRangeError(from: string, to: string): string | null {
	if (!isValidDate(from) || !isValidDate(to)) return 'Enter a start date and an end date';
	if (from > to) return 'Start date must be on or before end date';
	if (rangeLength(from, to) > MAX_RANGE_DAYS) return 'Range must be 3660 days or less';
	return null;
}

/** Reads the URL; invalid values fall back to the defaults (14 days ending today, duration, chart, off). */
export function parseTrendsState(params: URLSearchParams, today: string): TrendsState {
	const from = params.get('from') ?? '';
	const to = params.get('to') ?? '';
	const range = customRangeError(from, to) === null ? { from, to } : presetRange(DEFAULT_DAYS, today);
	const metric = METRICS.some((m) => m.value === params.get('metric')) ? (params.get('metric') as Metric) : 'duration';
	const requestedView = params.get('view');
	const view: TrendsView = requestedView === 'schedule' || requestedView === 'timeline' ? requestedView : 'chart';
	return { ...range, metric, view, compare: params.get('compare') === '1', weekly: params.get('weekly') === '1' };
}

/** The query string for a state (always the range, metric and view; the toggles only when on). */
export function trendsSearch(state: TrendsState): string {
	const p = new URLSearchParams({ from: state.from, to: state.to, metric: state.metric, view: state.view });
	if (state.compare) p.set('compare', '1');
	if (state.weekly) p.set('weekly', '1');
	return `?${p.toString()}`;
}

/** The preset that exactly matches the range, if any. */
export function activePreset(state: Pick<TrendsState, 'from' | 'to'>, today: string): number | null {
	if (state.to !== today) return null;
	const n = rangeLength(state.from, state.to);
	return (PRESETS as readonly number[]).includes(n) ? n : null;
}

/** "Last N days · 2025-06-03 – 2025-06-16" when the range ends today, else the range. */
export function trendsSubtitle(state: Pick<TrendsState, 'from' | 'to'>, today: string): string {
	const range = formatIsoRange(state.from, state.to);
	return state.to === today ? `Last ${rangeLength(state.from, state.to)} days · ${range}` : range;
}

/** The N days ending the day before `from`. */
export function priorRange(from: string, to: string): { from: string; to: string } {
	const n = rangeLength(from, to);
	return { from: addDays(from, -n), to: addDays(from, -1) };
}

/** `window_days` for personalization: the range length, at most 365. */
export function personalizationWindow(from: string, to: string): number {
	return Math.min(rangeLength(from, to), MAX_WINDOW_DAYS);
}

// ---------------------------------------------------------------------------------------------
// Values

/** True when the weekly average applies (duration and quality only). */
export function weeklyApplies(metric: Metric): boolean {
	return metric === 'duration' || metric === 'quality';
}

/** The plotted value of one night: minutes, a 1–5 score, or wrapped-clock minutes. */
export function metricValue(bar: SleepBar, metric: Metric): number | null {
	switch (metric) {
		case 'duration':
			return bar.duration_min;
		case 'quality':
			return bar.quality;
		case 'bedtime':
			return wrapAtNoon(clockToMinutes(bar.bed_time));
		case 'waketime':
			return wrapAtNoon(clockToMinutes(bar.wake_time));
	}
}

/** Values aligned to `dates` (null where no night was logged: a visible gap). */
export function alignedSeries(dates: readonly string[], bars: readonly SleepBar[], metric: Metric): (number | null)[] {
	const byDate = new Map(bars.map((b) => [b.date, b]));
	return dates.map((d) => {
		const bar = byDate.get(d);
		return bar ? metricValue(bar, metric) : null;
	});
}

/** The prior period's bars re-keyed onto the current dates by day offset. */
export function alignPrior(dates: readonly string[], priorBars: readonly SleepBar[], priorFrom: string): (SleepBar | null)[] {
	const byDate = new Map(priorBars.map((b) => [b.date, b]));
	return dates.map((_, i) => byDate.get(addDays(priorFrom, i)) ?? null);
}

/** Weekly average per date (the ISO week's bucket value), for duration and quality. */
export function weeklySeries(dates: readonly string[], summary: TrendsSummary | null, metric: Metric): (number | null)[] {
	if (!summary || !weeklyApplies(metric)) return dates.map(() => null);
	const buckets = new Map<string, number>(
		metric === 'duration'
			? summary.duration_by_bucket.map((b) => [b.bucket, b.avg_min])
			: summary.quality_by_bucket.map((b) => [b.bucket, b.avg])
	);
	return dates.map((d) => buckets.get(isoWeekKey(d)) ?? null);
}

/**
 * The visible part of the wrapped clock axis (12:00 → 12:00 the next day): whole hours around the
 * plotted values with an hour of margin, never beyond the wrapped day, so a steady schedule is not
 * flattened into a 24-hour-tall chart.
 */
export function clockAxisRange(values: readonly (number | null)[]): { min: number; max: number; step: number } {
	const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
	if (present.length === 0) return { min: WRAPPED_AXIS.min, max: WRAPPED_AXIS.max, step: 180 };
	const min = Math.max(WRAPPED_AXIS.min, Math.floor((Math.min(...present) - 60) / 60) * 60);
	const max = Math.min(WRAPPED_AXIS.max, Math.ceil((Math.max(...present) + 60) / 60) * 60);
	const span = max - min;
	return { min, max, step: span <= 360 ? 60 : span <= 720 ? 120 : 180 };
}

/** Text of a plotted value: `7:25`, `4`, `23:30`. */
export function formatMetricValue(value: number, metric: Metric): string {
	if (metric === 'duration') return formatHoursMinutes(value);
	if (metric === 'quality') return Number.isInteger(value) ? String(value) : value.toFixed(1);
	return minutesToClock(value);
}

function usable(bars: readonly SleepBar[], metric: Metric): number[] {
	return bars.map((b) => metricValue(b, metric)).filter((v): v is number => v !== null && Number.isFinite(v));
}

/** The question above the chart. */
export const QUESTIONS: Record<Metric, string> = {
	duration: 'Is my sleep duration changing?',
	quality: 'Is my sleep quality changing?',
	bedtime: 'Is my bedtime shifting?',
	waketime: 'Is my wake time shifting?'
};

/** mean(current) − mean(prior) in words; needs at least 3 usable values in each period. */
export function comparisonText(current: readonly SleepBar[], prior: readonly SleepBar[], metric: Metric): string {
	const a = usable(current, metric);
	const b = usable(prior, metric);
	if (a.length < 3 || b.length < 3) return 'Not enough data for a comparison yet.';
	const delta = (mean(a) ?? 0) - (mean(b) ?? 0);
	switch (metric) {
		case 'duration':
			return `${signed(Math.round(delta))} min vs prior period`;
		case 'quality':
			return `${signed(delta, 1)} vs prior period`;
		default: {
			const minutes = Math.round(delta);
			if (minutes === 0) return 'No timing shift vs prior period';
			return `${Math.abs(minutes)} min ${minutes > 0 ? 'later' : 'earlier'} vs prior period`;
		}
	}
}

/** The interpretation lines under the question (SPEC §8.12). */
export function interpretationLines(metric: Metric, p: Personalization | null, current: readonly SleepBar[]): string[] {
	if (metric === 'duration') {
		const d = p?.metrics.duration_baseline;
		if (d?.eligible && d.p10_min !== null && d.p90_min !== null) {
			const lines = [`Personal reference band: ${formatHoursMinutes(d.p10_min)}–${formatHoursMinutes(d.p90_min)}`];
			if (d.recent_out_of_range_incidence_pct !== null) {
				lines.push(`Outside-band nights recently: ${formatPercent(d.recent_out_of_range_incidence_pct)}`);
			}
			return lines;
		}
		return ['A personal reference band appears once there is enough history.'];
	}
	if (metric === 'quality') {
		const avg = mean(usable(current, 'quality'));
		const lines = ['3 is the middle of the 1–5 scale.'];
		if (avg !== null) lines.push(`Average quality is ${formatOneDecimal(avg)} (${signed(avg - 3, 1)} vs the middle).`);
		return lines;
	}
	const v = p?.metrics.schedule_variability;
	if (v?.eligible && v.current_variability_min !== null && v.prior_variability_min !== null) {
		const diff = Math.round(v.current_variability_min - v.prior_variability_min);
		const change =
			diff > 0
				? `${diff} min more variable vs prior period.`
				: diff < 0
					? `${-diff} min more consistent vs prior period.`
					: 'Unchanged vs prior period.';
		return [`Timing variability: ${formatHoursMinutes(v.current_variability_min)}`, change];
	}
	return ['A variability cue appears once there is enough bedtime and wake-time history.'];
}

/** Accessible summary of the chart: "Duration per night, 3 Jun – 16 Jun 2025, 12 nights". */
export function chartLabel(metric: Metric, rangeText: string, nights: number): string {
	const name = { duration: 'Duration', quality: 'Quality', bedtime: 'Bedtime', waketime: 'Wake time' }[metric];
	return `${name} per night, ${rangeText}, ${nights} ${nights === 1 ? 'night' : 'nights'}`;
}

// ---------------------------------------------------------------------------------------------
// Insights

/** Which evidence "Show in chart" highlights. */
export type Highlight = 'weekend' | 'last7';

/** One plain-language insight card. */
export interface InsightCard {
	key: 'weekend-shift' | 'regularity' | 'usual-duration' | 'usual-times' | 'quality-factors';
	title: string;
	lines: string[];
	/** Bulleted lines (quality factors). */
	items?: string[];
	evidence?: string;
	highlight?: Highlight;
}

const FACTOR_TEXT: Record<QualityFactor, string> = {
	duration_in_personal_range: 'you slept within your usual duration range',
	consistent_mid_sleep_timing: 'your sleep midpoint stayed close to your usual one',
	weekday_schedule_alignment: 'your weekend timing stayed close to your weekday timing'
};

/** Shown when no card applies. */
export const NO_INSIGHTS_TEXT = 'Keep logging — insights appear once there are enough nights in this range.';

function recommended(p: Personalization, key: string): boolean {
	return p.recommendations.some((r) => r.action_key === key && r.status === 'recommended');
}

function clock(minutes: number | null): string {
	return minutes === null ? '—' : minutesToClock(minutes);
}

/**
 * The insight cards for loaded personalization data. The API's rationale and suppression reasons are
 * policy text and never appear here.
 */
export function buildInsights(p: Personalization | null): InsightCard[] {
	if (!p) return [];
	const m = p.metrics;
	const cards: InsightCard[] = [];

	const delta = m.social_jetlag.current_delta_min;
	if (delta !== null) {
		const n = Math.round(Math.abs(delta));
		const lines = [
			Math.abs(delta) < 15
				? 'Your weekend sleep timing is about the same as on weekdays.'
				: `On weekends your sleep midpoint is about ${n} min ${delta > 0 ? 'later' : 'earlier'} than on weekdays.`
		];
		if (recommended(p, 'social_jetlag_schedule_shift_insight')) lines.push('This has held for two periods in a row.');
		const k = m.social_jetlag.weekend_sample_days;
		cards.push({
			key: 'weekend-shift',
			title: 'Weekend shift',
			lines,
			evidence: `Based on ${k} weekend ${k === 1 ? 'night' : 'nights'} in this range.`,
			highlight: 'weekend'
		});
	}

	const variability = m.schedule_variability.current_variability_min;
	if (variability !== null) {
		const lines = [`Your bed and wake times vary by about ${formatHoursMinutes(variability)} from night to night.`];
		const prior = m.schedule_variability.prior_variability_min;
		if (prior !== null) {
			const diff = Math.round(variability - prior);
			lines.push(
				diff === 0
					? 'That is about the same as the previous period.'
					: `That is ${Math.abs(diff)} min ${diff > 0 ? 'more' : 'less'} than the previous period.`
			);
		}
		if (recommended(p, 'regularity_insight_priority')) {
			lines.push('A steadier schedule is the clearest opportunity in your recent data.');
		}
		cards.push({ key: 'regularity', title: 'Regularity', lines, highlight: 'last7' });
	}

	const d = m.duration_baseline;
	if (d.eligible && d.p10_min !== null && d.p90_min !== null) {
		const pct = formatPercent(d.recent_out_of_range_incidence_pct ?? 0);
		cards.push({
			key: 'usual-duration',
			title: 'Usual duration',
			lines: [
				`Most of your nights last between ${formatDuration(d.p10_min)} and ${formatDuration(d.p90_min)}. ${pct} of recent nights fell outside that range.`
			]
		});
	}

	const t = m.day_type_timing_baseline;
	if (t.eligible) {
		cards.push({
			key: 'usual-times',
			title: 'Usual times',
			lines: [
				`Usual weekday: bed ${clock(t.weekday_bed_median_min)}, wake ${clock(t.weekday_wake_median_min)}. Usual weekend: bed ${clock(t.weekend_bed_median_min)}, wake ${clock(t.weekend_wake_median_min)}.`
			]
		});
	}

	const q = m.quality_factor_ranking;
	if (q.eligible && q.ranked_factors.length > 0) {
		cards.push({
			key: 'quality-factors',
			title: 'What goes with better nights',
			lines: ['Nights you rated higher tended to be ones where:'],
			items: q.ranked_factors.map((f) => FACTOR_TEXT[f.factor] ?? f.factor)
		});
	}
	return cards;
}

/** Dates to highlight in the chart for an insight's evidence. */
export function highlightedDates(highlight: Highlight | null, bars: readonly SleepBar[]): Set<string> {
	if (highlight === 'weekend') return new Set(bars.filter((b) => isWeekend(b.date)).map((b) => b.date));
	if (highlight === 'last7') {
		const sorted = [...bars].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
		return new Set(sorted.slice(-7).map((b) => b.date));
	}
	return new Set();
}

/** The focus row's text. */
export function highlightText(highlight: Highlight): string {
	return highlight === 'weekend' ? 'Weekend nights highlighted' : 'Last 7 nights highlighted';
}
