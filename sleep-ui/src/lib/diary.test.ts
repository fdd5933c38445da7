import { describe, expect, it } from 'vitest';
import type { SleepSession } from './api';
import { NO_DIARY_ITEMS } from './testing/session';
import { characterCount, dashboardHeading, dashboardWindow, deleteSessionPrompt, groupByDate, intensityLabel, summarize } from './diary';

const session = (over: Partial<SleepSession>): SleepSession => ({
	id: 1,
	date: '2025-06-16',
	bed_time: '22:00:00',
	wake_time: '06:00:00',
	latency_min: 10,
	awakenings: 1,
	quality: 4,
	duration_min: 480,
	...NO_DIARY_ITEMS,
	...over
});

describe('dashboardWindow', () => {
	const today = '2025-06-16';
	it.each([
		[{}, '2025-06-03', '2025-06-16'],
		[{ to: '2025-06-01' }, '2025-05-19', '2025-06-01'],
		[{ from: '2025-05-01' }, '2025-05-01', '2025-05-14'],
		[{ to: '2025-07-01' }, '2025-06-03', '2025-06-16'],
		[{ from: '2025-06-10' }, '2025-06-03', '2025-06-16'],
		[{ to: 'junk', from: 'also-junk' }, '2025-06-03', '2025-06-16'],
		[{ to: '2025-06-01', from: '2025-01-01' }, '2025-05-19', '2025-06-01']
	])('%o → %s … %s', (params, from, to) => {
		expect(dashboardWindow(params, today)).toEqual({ from, to });
	});

	it('names the range actually shown', () => {
		expect(dashboardHeading({ from: '2025-06-03', to: '2025-06-16' }, '2025-06-16')).toBe('Last 14 days');
		expect(dashboardHeading({ from: '2025-05-19', to: '2025-06-01' }, '2025-06-16')).toBe('19 May – 1 Jun 2025');
		expect(dashboardHeading({ from: '2024-12-25', to: '2025-01-07' }, '2025-06-16')).toBe('25 Dec 2024 – 7 Jan 2025');
	});
});

describe('groupByDate and summarize', () => {
	const night = session({ id: 5, bed_time: '22:00:00', wake_time: '06:00:00', duration_min: 480, quality: 3, latency_min: 10 });
	const nap = session({ id: 2, bed_time: '13:00:00', wake_time: '14:00:00', duration_min: 60, quality: 5, latency_min: 5 });
	const other = session({ id: 9, date: '2025-06-15', duration_min: 415, quality: 4, latency_min: 20, awakenings: 3 });

	it('orders each day by bed datetime, then id', () => {
		const groups = groupByDate([nap, other, night]);
		expect(groups.get('2025-06-16')!.map((s) => s.id)).toEqual([5, 2]);
		expect(groups.get('2025-06-15')!.map((s) => s.id)).toEqual([9]);
	});

	it('sums and averages the way the strip shows them', () => {
		const s = summarize([night, nap, other]);
		expect(s.sessions).toBe(3);
		expect(s.nights).toBe(2);
		expect(s.totalMin).toBe(955);
		expect(s.avgPerNightMin).toBe(477.5);
		expect(s.avgQuality).toBe(4);
		expect(s.avgLatencyMin).toBe(12);
		expect(s.awakenings).toBe(5);
	});

	it('has no averages without data', () => {
		const s = summarize([]);
		expect([s.nights, s.totalMin, s.avgPerNightMin, s.avgQuality, s.avgLatencyMin]).toEqual([0, 0, null, null, null]);
	});
});

describe('texts', () => {
	it('describes the deletion precisely', () => {
		expect(deleteSessionPrompt(session({}))).toMatchObject({
			title: 'Delete this entry?',
			message: "The session from 22:00 to 06:00 on Mon 16 Jun 2025 will be removed. This can't be undone.",
			confirmLabel: 'Delete'
		});
	});

	it('labels intensities and counts code points', () => {
		expect(intensityLabel('light')).toBe('Exercise: light');
		expect(intensityLabel('hard')).toBe('Exercise: hard');
		expect(intensityLabel('none')).toBe('No exercise');
		expect(characterCount('😴😴')).toBe(2);
	});
});
