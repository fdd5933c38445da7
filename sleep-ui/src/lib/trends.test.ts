import { describe, expect, it } from 'vitest';
import type { SleepBar } from './api';
import { personalization } from './testing/personalization';
import { addDays } from './time';
import {
	activePreset,
	alignedSeries,
	alignPrior,
	buildInsights,
	chartLabel,
	clockAxisRange,
	comparisonText,
	customRangeError,
	highlightedDates,
	interpretationLines,
	metricValue,
	NO_INSIGHTS_TEXT,
	parseTrendsState,
	personalizationWindow,
	priorRange,
	trendsSearch,
	trendsSubtitle,
	weeklySeries
} from './trends';

const bar = (date: string, bed: string, wake: string, duration: number | null = 480, quality: number | null = 4): SleepBar => ({
	date,
	bed_time: `${bed}:00`,
	wake_time: `${wake}:00`,
	duration_min: duration,
	quality
});

const today = '2025-06-16';

describe('URL state', () => {
	it('defaults to 14 days ending today, duration, chart, toggles off', () => {
		expect(parseTrendsState(new URLSearchParams(''), today)).toEqual({
			from: '2025-06-03',
			to: '2025-06-16',
			metric: 'duration',
			view: 'chart',
			compare: false,
			weekly: false
		});
	});

	it('reads valid values and drops invalid ones', () => {
		const s = parseTrendsState(new URLSearchParams('from=2025-05-01&to=2025-05-31&metric=bedtime&view=schedule&compare=1&weekly=1'), today);
		expect(s).toEqual({ from: '2025-05-01', to: '2025-05-31', metric: 'bedtime', view: 'schedule', compare: true, weekly: true });
		const bad = parseTrendsState(new URLSearchParams('from=2025-06-10&to=2025-06-01&metric=steps&view=pie&compare=yes'), today);
		expect(bad).toMatchObject({ from: '2025-06-03', to: '2025-06-16', metric: 'duration', view: 'chart', compare: false });
	});

	it('round-trips through the query string', () => {
		const s = parseTrendsState(new URLSearchParams('from=2025-05-01&to=2025-05-31&metric=waketime&compare=1'), today);
		expect(trendsSearch(s)).toBe('?from=2025-05-01&to=2025-05-31&metric=waketime&view=chart&compare=1');
		expect(parseTrendsState(new URLSearchParams(trendsSearch(s)), today)).toEqual(s);
	});

	it('checks custom ranges before any request', () => {
		expect(customRangeError('2025-06-10', '2025-06-01')).toBe('Start date must be on or before end date');
		expect(customRangeError('2015-01-01', '2025-06-01')).toBe('Range must be 3660 days or less');
		// Exactly 3660 days is allowed; one more is not.
		expect(customRangeError(addDays('2025-06-16', -3659), '2025-06-16')).toBeNull();
		expect(customRangeError(addDays('2025-06-16', -3660), '2025-06-16')).toBe('Range must be 3660 days or less');
		expect(customRangeError('', '2025-06-01')).toBe('Enter a start date and an end date');
	});

	it('marks a preset only for an exact match and names the range', () => {
		expect(activePreset({ from: '2025-06-10', to: today }, today)).toBe(7);
		expect(activePreset({ from: '2025-05-18', to: today }, today)).toBe(30);
		expect(activePreset({ from: '2025-06-09', to: today }, today)).toBeNull();
		expect(activePreset({ from: '2025-06-09', to: '2025-06-15' }, today)).toBeNull();
		expect(trendsSubtitle({ from: '2025-06-03', to: today }, today)).toBe('Last 14 days · 2025-06-03 – 2025-06-16');
		expect(trendsSubtitle({ from: '2025-05-01', to: '2025-05-31' }, today)).toBe('2025-05-01 – 2025-05-31');
	});

	it('derives the prior period and the personalization window', () => {
		expect(priorRange('2025-06-03', '2025-06-16')).toEqual({ from: '2025-05-20', to: '2025-06-02' });
		expect(personalizationWindow('2025-06-03', '2025-06-16')).toBe(14);
		expect(personalizationWindow('2015-01-01', '2025-06-16')).toBe(365);
	});
});

describe('series', () => {
	it('plots bedtimes on the wrapped clock', () => {
		expect(metricValue(bar('2025-06-16', '23:30', '07:00'), 'bedtime')).toBe(1410);
		expect(metricValue(bar('2025-06-16', '00:15', '07:00'), 'bedtime')).toBe(1455);
		expect(metricValue(bar('2025-06-16', '00:15', '07:00'), 'waketime')).toBe(1860);
		expect(metricValue(bar('2025-06-16', '00:15', '07:00', null), 'duration')).toBeNull();
	});

	it('has a slot for every calendar date, with gaps for missing nights', () => {
		const dates = ['2025-06-14', '2025-06-15', '2025-06-16'];
		expect(alignedSeries(dates, [bar('2025-06-14', '22:00', '06:00', 480), bar('2025-06-16', '23:00', '06:00', 420)], 'duration')).toEqual([480, null, 420]);
	});

	it('aligns the prior period by day offset', () => {
		const dates = ['2025-06-14', '2025-06-15'];
		const prior = [bar('2025-06-13', '22:00', '06:00')];
		expect(alignPrior(dates, prior, '2025-06-12').map((b) => b?.date ?? null)).toEqual([null, '2025-06-13']);
	});

	it('spreads weekly buckets over their dates (duration and quality only)', () => {
		const summary = {
			duration_by_bucket: [{ bucket: '2025-W24', avg_min: 450, min_min: 400, max_min: 500 }],
			quality_by_bucket: [{ bucket: '2025-W24', avg: 3.5 }],
			latency_by_bucket: []
		};
		const dates = ['2025-06-15', '2025-06-16'];
		expect(weeklySeries(dates, summary, 'duration')).toEqual([450, null]);
		expect(weeklySeries(dates, summary, 'quality')).toEqual([3.5, null]);
		expect(weeklySeries(dates, summary, 'bedtime')).toEqual([null, null]);
	});

	it('zooms the wrapped clock axis to whole hours around the data', () => {
		// 23:10 (1390) … 00:40 (1480) → 22:00 … 02:00 on the wrapped axis.
		expect(clockAxisRange([1390, null, 1480])).toEqual({ min: 1320, max: 1560, step: 60 });
		expect(clockAxisRange([730, 2150])).toEqual({ min: 720, max: 2160, step: 180 });
		expect(clockAxisRange([])).toEqual({ min: 720, max: 2160, step: 180 });
	});

	it('summarises the chart for screen readers', () => {
		expect(chartLabel('duration', '3 Jun – 16 Jun 2025', 12)).toBe('Duration per night, 3 Jun – 16 Jun 2025, 12 nights');
		expect(chartLabel('waketime', '3 Jun – 16 Jun 2025', 1)).toBe('Wake time per night, 3 Jun – 16 Jun 2025, 1 night');
	});
});

describe('comparison with the prior period', () => {
	const current = [bar('2025-06-14', '23:30', '07:00', 450, 4), bar('2025-06-15', '00:30', '07:30', 420, 4), bar('2025-06-16', '23:45', '07:15', 480, 5)];
	const prior = [bar('2025-06-01', '23:00', '06:30', 420, 3), bar('2025-06-02', '23:00', '06:30', 420, 4), bar('2025-06-03', '23:30', '06:30', 420, 4)];

	it('needs three usable values in each period', () => {
		expect(comparisonText(current.slice(0, 2), prior, 'duration')).toBe('Not enough data for a comparison yet.');
	});

	it('describes each metric', () => {
		expect(comparisonText(current, prior, 'duration')).toBe('+30 min vs prior period');
		expect(comparisonText(prior, current, 'duration')).toBe('-30 min vs prior period');
		expect(comparisonText(current, prior, 'quality')).toBe('+0.7 vs prior period');
		// Bedtimes 23:30, 00:30, 23:45 average to 23:55 on the wrapped clock; prior 23:10 → 45 min later.
		expect(comparisonText(current, prior, 'bedtime')).toBe('45 min later vs prior period');
		expect(comparisonText(prior, current, 'bedtime')).toBe('45 min earlier vs prior period');
		expect(comparisonText(current, current, 'waketime')).toBe('No timing shift vs prior period');
	});
});

describe('interpretation lines', () => {
	it('shows the personal band when eligible, a hint otherwise', () => {
		const p = personalization({ duration_baseline: { eligible: true, p10_min: 390, p90_min: 510, recent_out_of_range_incidence_pct: 12.4 } });
		expect(interpretationLines('duration', p, [])).toEqual(['Personal reference band: 6:30–8:30', 'Outside-band nights recently: 12%']);
		expect(interpretationLines('duration', personalization(), [])).toEqual(['A personal reference band appears once there is enough history.']);
	});

	it('relates quality to the middle of the scale', () => {
		const bars = [bar('2025-06-15', '23:00', '07:00', 480, 3), bar('2025-06-16', '23:00', '07:00', 480, 4)];
		expect(interpretationLines('quality', null, bars)).toEqual(['3 is the middle of the 1–5 scale.', 'Average quality is 3.5 (+0.5 vs the middle).']);
	});

	it('describes timing variability', () => {
		const p = personalization({ schedule_variability: { eligible: true, current_variability_min: 75, prior_variability_min: 60 } });
		expect(interpretationLines('bedtime', p, [])).toEqual(['Timing variability: 1:15', '15 min more variable vs prior period.']);
		const steadier = personalization({ schedule_variability: { eligible: true, current_variability_min: 40, prior_variability_min: 60 } });
		expect(interpretationLines('waketime', steadier, [])[1]).toBe('20 min more consistent vs prior period.');
		expect(interpretationLines('waketime', personalization(), [])).toEqual([
			'A variability cue appears once there is enough bedtime and wake-time history.'
		]);
	});
});

describe('insight cards', () => {
	it('shows nothing but the hint without data', () => {
		expect(buildInsights(personalization())).toEqual([]);
		expect(NO_INSIGHTS_TEXT).toBe('Keep logging — insights appear once there are enough nights in this range.');
	});

	it('writes the weekend shift in plain language', () => {
		const later = buildInsights(
			personalization({ social_jetlag: { current_delta_min: 76.4, weekend_sample_days: 4 } }, { social_jetlag_schedule_shift_insight: 'high' })
		)[0]!;
		expect(later).toMatchObject({ key: 'weekend-shift', title: 'Weekend shift', highlight: 'weekend' });
		expect(later.lines).toEqual([
			'On weekends your sleep midpoint is about 76 min later than on weekdays.',
			'This has held for two periods in a row.'
		]);
		expect(later.evidence).toBe('Based on 4 weekend nights in this range.');
		const earlier = buildInsights(personalization({ social_jetlag: { current_delta_min: -40 } }))[0]!;
		expect(earlier.lines).toEqual(['On weekends your sleep midpoint is about 40 min earlier than on weekdays.']);
		const same = buildInsights(personalization({ social_jetlag: { current_delta_min: 14.9 } }))[0]!;
		expect(same.lines).toEqual(['Your weekend sleep timing is about the same as on weekdays.']);
	});

	it('describes regularity, usual duration, usual times and quality factors', () => {
		const cards = buildInsights(
			personalization(
				{
					schedule_variability: { current_variability_min: 95, prior_variability_min: 80 },
					duration_baseline: { eligible: true, p10_min: 390, p90_min: 510, recent_out_of_range_incidence_pct: 21.4 },
					day_type_timing_baseline: {
						eligible: true,
						weekday_bed_median_min: 1350,
						weekday_wake_median_min: 400,
						weekend_bed_median_min: 5,
						weekend_wake_median_min: 540
					},
					quality_factor_ranking: {
						eligible: true,
						ranked_factors: [
							{ factor: 'consistent_mid_sleep_timing', effect: 0.8 },
							{ factor: 'duration_in_personal_range', effect: 0.5 }
						]
					}
				},
				{ regularity_insight_priority: 'medium' }
			)
		);
		expect(cards.map((c) => c.key)).toEqual(['regularity', 'usual-duration', 'usual-times', 'quality-factors']);
		expect(cards[0]!.lines).toEqual([
			'Your bed and wake times vary by about 1:35 from night to night.',
			'That is 15 min more than the previous period.',
			'A steadier schedule is the clearest opportunity in your recent data.'
		]);
		expect(cards[1]!.lines).toEqual(['Most of your nights last between 6h 30m and 8h 30m. 21% of recent nights fell outside that range.']);
		expect(cards[2]!.lines).toEqual(['Usual weekday: bed 22:30, wake 06:40. Usual weekend: bed 00:05, wake 09:00.']);
		expect(cards[3]!.lines).toEqual(['Nights you rated higher tended to be ones where:']);
		expect(cards[3]!.items).toEqual(['your sleep midpoint stayed close to your usual one', 'you slept within your usual duration range']);
	});

	it('never shows policy text', () => {
		const text = JSON.stringify(
			buildInsights(personalization({ social_jetlag: { current_delta_min: 50 }, schedule_variability: { current_variability_min: 30 } }))
		);
		expect(text).not.toMatch(/policy|suppression/);
	});

	it('highlights weekend nights or the last 7 logged nights', () => {
		const bars = ['2025-06-07', '2025-06-08', '2025-06-09', '2025-06-10', '2025-06-11', '2025-06-12', '2025-06-13', '2025-06-14'].map((d) =>
			bar(d, '23:00', '07:00')
		);
		expect([...highlightedDates('weekend', bars)]).toEqual(['2025-06-07', '2025-06-08', '2025-06-14']);
		expect([...highlightedDates('last7', bars)]).toEqual(bars.slice(1).map((b) => b.date));
		expect(highlightedDates(null, bars).size).toBe(0);
	});
});
