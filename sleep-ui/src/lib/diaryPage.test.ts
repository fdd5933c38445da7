import { describe, expect, it } from 'vitest';
import type { DiaryNight, DiarySummary, SleepSession, SleepWindowStatus } from './api';
import {
	canAdoptRecommendation,
	changeText,
	DIARY_COLUMNS,
	efficiencyAxisMin,
	efficiencyGeometry,
	efficiencyLabel,
	flagLines,
	nightCells,
	nightsOfWeek,
	sentence,
	sessionDiaryFacts,
	summaryFigures
} from './diaryPage';
import { NO_DIARY_ITEMS } from './testing/session';

const session = (over: Partial<SleepSession> = {}): SleepSession => ({
	id: 7,
	date: '2025-06-17',
	bed_time: '23:05:00',
	wake_time: '06:30:00',
	latency_min: 15,
	awakenings: 2,
	quality: 4,
	duration_min: 445,
	...NO_DIARY_ITEMS,
	tib_min: 445,
	tst_min: 430,
	se_pct: 96.6,
	...over
});

const night = (over: Partial<DiaryNight> = {}): DiaryNight => ({
	date: '2025-06-17',
	main: null,
	naps: { count: 0, minutes: 0 },
	exercise_intensity: null,
	notes: 0,
	...over
});

const summary = (over: Partial<DiarySummary> = {}): DiarySummary => ({
	nights: 0,
	tst_min: null,
	tib_min: null,
	terminal_wake_min: null,
	sol_min: null,
	awakenings: null,
	waso_min: null,
	quality: null,
	rested: null,
	se_pct: null,
	naps_per_week: 0,
	flags: [],
	...over
});

describe('DIARY_COLUMNS', () => {
	it('follows the CSV columns of SPEC §12.3 in order', () => {
		expect(DIARY_COLUMNS.map((c) => c.key).join(', ')).toBe(
			'date, in_bed_time, bed_time, latency_min, awakenings, waso_min, wake_time, out_of_bed_time, quality, rested, tib_min, tst_min, se_pct, naps_count, naps_min, alcohol_drinks, caffeine_drinks, medication, exercise_intensity, notes'
		);
	});
});

describe('nightCells', () => {
	it('fills every column of the spec example (times HH:MM, durations H:MM)', () => {
		const main = session({
			in_bed_time: '22:40:00',
			waso_min: 20,
			out_of_bed_time: '06:50:00',
			rested: 3,
			alcohol_drinks: 0,
			caffeine_drinks: 2,
			medication: '=1+1',
			tib_min: 490,
			tst_min: 410,
			se_pct: 83.7,
			terminal_wake_min: 20
		});
		expect(nightCells(night({ main, naps: { count: 1, minutes: 35 }, exercise_intensity: 'light', notes: 2 }))).toEqual([
			'Tue 17 Jun', '22:40', '23:05', '15', '2', '20', '06:30', '06:50', '4', '3', '8:10', '6:50', '83.7', '1', '35', '0', '2', '=1+1', 'Light', '2'
		]);
	});

	it('leaves a date without data empty, and nulls empty (never 0)', () => {
		expect(nightCells(night()).slice(1).every((c) => c === '')).toBe(true);
		const cells = nightCells(night({ main: session({ quality: null, latency_min: null, awakenings: null, se_pct: null }), exercise_intensity: 'none' }));
		const at = (key: string) => cells[DIARY_COLUMNS.findIndex((c) => c.key === key)];
		expect([at('quality'), at('latency_min'), at('awakenings'), at('se_pct'), at('waso_min'), at('rested')]).toEqual(['', '', '', '', '', '']);
		expect([at('naps_count'), at('naps_min'), at('exercise_intensity'), at('notes')]).toEqual(['0', '0', 'None', '']);
	});
});

describe('nightsOfWeek', () => {
	it('keeps the nights inside the block, oldest first', () => {
		const nights = ['2025-06-17', '2025-06-10', '2025-06-11', '2025-06-04'].map((date) => night({ date }));
		expect(nightsOfWeek(nights, { from: '2025-06-11', to: '2025-06-17' }).map((n) => n.date)).toEqual(['2025-06-11', '2025-06-17']);
	});
});

describe('summaries and flags', () => {
	it('shows means with one decimal and missing figures as null', () => {
		const figures = summaryFigures(summary({ nights: 6, tst_min: 331.7, tib_min: 356.7, se_pct: 93, sol_min: 12.5, naps_per_week: 1.2 }));
		const byKey = Object.fromEntries(figures.map((f) => [f.key, f.value]));
		expect(byKey).toMatchObject({ nights: '6', tst: '5h 32m', tib: '5h 57m', se: '93.0%', sol: '12.5 min', waso: null, quality: null, naps: '1.2' });
	});

	it.each([
		[summary(), ['No nights logged in this week.']],
		[summary({ nights: 5 }), ['None of the three insomnia markers applies to this week.']],
		[
			summary({ nights: 5, flags: ['se_below_85', 'waso_over_30'] }),
			[
				'Sleep efficiency was below 85%: more than 15% of the time in bed was spent awake.',
				'Time awake during the night averaged more than 30 minutes.'
			]
		]
	])('flag lines %#', (s, lines) => expect(flagLines(s)).toEqual(lines));
});

describe('efficiency chart', () => {
	const dates = ['2025-06-01', '2025-06-02', '2025-06-03', '2025-06-04', '2025-06-05'];

	it('starts the axis at 50% unless a night was lower', () => {
		expect(efficiencyAxisMin([null, 90, 72.4])).toBe(50);
		expect(efficiencyAxisMin([43.2, 90])).toBe(40);
		expect(efficiencyAxisMin([3])).toBe(0);
	});

	it('breaks the line at a missing night and keeps lone points', () => {
		const g = efficiencyGeometry(dates, [90, 80, null, 100, null], 440, 180);
		expect(g.points.map((p) => p.date)).toEqual(['2025-06-01', '2025-06-02', '2025-06-04']);
		expect(g.paths).toHaveLength(1);
		expect(g.paths[0]).toMatch(/^M40 \S+ L134 \S+$/);
		// 100% is at the top of the plot, 50% (the axis minimum) at the bottom.
		expect(g.points[2]!.y).toBe(g.plot.top);
		expect(g.yTicks[0]).toEqual({ value: 100, y: g.plot.top, label: '100%' });
		expect(g.yTicks.at(-1)!.y).toBe(g.plot.bottom);
		expect(g.threshold.y).toBeGreaterThan(g.plot.top);
		expect(g.threshold.y).toBeLessThan(g.plot.bottom);
	});

	it('thins out date labels when they would not fit, always keeping the newest', () => {
		const many = Array.from({ length: 14 }, (_, i) => `2025-06-${String(i + 1).padStart(2, '0')}`);
		expect(efficiencyGeometry(many, many.map(() => 90), 1000, 180).xTicks).toHaveLength(14);
		const narrow = efficiencyGeometry(many, many.map(() => 90), 330, 180).xTicks;
		expect(narrow.length).toBeLessThan(14);
		expect(narrow.at(-1)!.date).toBe('2025-06-14');
	});

	it('describes itself for screen readers', () => {
		expect(efficiencyLabel('1 Jun – 5 Jun 2025', [90, 80, null])).toBe(
			'Sleep efficiency per night, 1 Jun – 5 Jun 2025: 2 nights, from 80.0% to 90.0%, average 85.0%'
		);
		expect(efficiencyLabel('1 Jun – 5 Jun 2025', [null])).toBe('Sleep efficiency per night, 1 Jun – 5 Jun 2025: no nights logged');
	});
});

describe('sleep window', () => {
	const status = (over: Partial<SleepWindowStatus>): SleepWindowStatus => ({
		current: null,
		recommendation: null,
		based_on: { from: '2025-06-11', to: '2025-06-17', nights: 6, tst_min: 331.7, tib_min: 356.7, se_pct: 93 },
		reason: null,
		...over
	});
	const current = { wake_time: '06:30:00', bed_time: '00:45:00', window_min: 345, since: '2025-06-10' };
	const rec = (window_min: number, change_min: number | null, wake_time = '06:30:00') => ({
		wake_time,
		bed_time: '00:30:00',
		window_min,
		change_min,
		reason: 'x'
	});

	it.each([
		['no recommendation', status({ reason: 'at least 5 nights of the last 7 days are needed' }), false],
		['initial window', status({ recommendation: rec(360, null) }), true],
		['extend', status({ current, recommendation: rec(360, 15) }), true],
		['keep for a week (storing would restart the week)', status({ current, recommendation: rec(345, 0) }), false]
	])('%s → %s', (_, s, offered) => expect(canAdoptRecommendation(s)).toBe(offered));

	it('words changes and reasons', () => {
		expect([changeText(15), changeText(-15), changeText(0), changeText(null)]).toEqual(['+15 min', '−15 min', 'no change', null]);
		expect(sentence('sleep efficiency 85-90%: keep the window')).toBe('Sleep efficiency 85-90%: keep the window.');
	});
});

describe('sessionDiaryFacts', () => {
	it('reads "not recorded" (null) for missing items, never 0', () => {
		const facts = sessionDiaryFacts(session()).flatMap((g) => g.items);
		const byKey = Object.fromEntries(facts.map((f) => [f.key, f.value]));
		expect(byKey).toEqual({
			'in-bed': null,
			waso: null,
			'out-of-bed': null,
			rested: null,
			alcohol: null,
			caffeine: null,
			medication: null,
			tib: '7h 25m',
			tst: '7h 10m',
			se: '96.6%',
			'terminal-wake': null
		});
	});

	it('shows recorded items with units', () => {
		const facts = sessionDiaryFacts(
			session({ in_bed_time: '22:40:00', waso_min: 0, out_of_bed_time: '06:50:00', rested: 4, alcohol_drinks: 1, caffeine_drinks: 0, medication: 'melatonin', terminal_wake_min: 20 })
		).flatMap((g) => g.items);
		expect(facts.map((f) => f.value)).toEqual(['22:40', '0 min', '06:50', '4 of 5', '1 drink', '0 drinks', 'melatonin', '7h 25m', '7h 10m', '96.6%', '20m']);
	});
});
