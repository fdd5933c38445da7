import { describe, expect, it } from 'vitest';
import type { SleepSession } from './api';
import { circularMedian, defaultTimes, diaryValuesFromInput, entryValuesFromInput, mainSessions } from './quicklog';
import { entryToInput } from './entry';

function session(id: number, date: string, bed: string, wake: string, duration: number): SleepSession {
	return {
		id,
		date,
		bed_time: `${bed}:00`,
		wake_time: `${wake}:00`,
		latency_min: 0,
		awakenings: 0,
		quality: 4,
		duration_min: duration,
		in_bed_time: null,
		waso_min: null,
		out_of_bed_time: null,
		rested: null,
		alcohol_drinks: null,
		caffeine_drinks: null,
		medication: null,
		tib_min: duration,
		tst_min: duration,
		se_pct: 100,
		terminal_wake_min: 0
	};
}

/** Circular distance in minutes. */
function circDiff(a: number, b: number): number {
	const d = (((a - b) % 1440) + 1440) % 1440;
	return Math.min(d, 1440 - d);
}

describe('circularMedian (SPEC §7.4.2 examples)', () => {
	it.each([
		[[1435, 5, 1430, 10], 0],
		[[1410, 30, 60], 30],
		[[1430, 20], 5],
		[[420, 435, 450], 435]
	])('%j → %d', (values, want) => {
		const got = circularMedian(values);
		expect(got).not.toBeNull();
		expect(circDiff(got!, want)).toBeLessThan(1e-6);
	});
	it('is null for no values', () => {
		expect(circularMedian([])).toBeNull();
	});
});

describe('defaultTimes', () => {
	it('uses 23:00 and 07:00 without history', () => {
		expect(defaultTimes([])).toEqual({ bed: '23:00', wake: '07:00' });
	});
	it('takes the medians of the main sessions only (naps are ignored)', () => {
		const sessions = [
			session(1, '2025-06-10', '23:50', '07:10', 440),
			session(2, '2025-06-10', '14:00', '15:00', 60),
			session(3, '2025-06-11', '00:10', '06:50', 400),
			session(4, '2025-06-12', '23:30', '07:00', 450)
		];
		expect(mainSessions(sessions).map((s) => s.id).sort()).toEqual([1, 3, 4]);
		expect(defaultTimes(sessions)).toEqual({ bed: '23:50', wake: '07:00' });
	});
	it('wraps at midnight: 23:55 and 00:05 give 00:00, not noon', () => {
		const sessions = [session(1, '2025-06-10', '23:55', '07:00', 425), session(2, '2025-06-11', '00:05', '07:00', 415)];
		expect(defaultTimes(sessions).bed).toBe('00:00');
	});
});

describe('queued entries back into the form', () => {
	it('round-trips the body of a new entry', () => {
		const values = { date: '2025-06-17', bed: '23:10', wake: '06:40', latency: 15, awakenings: 2, quality: 4, intensity: 'light' as const, note: 'late tea' };
		expect(entryValuesFromInput(entryToInput(values))).toEqual(values);
		expect(diaryValuesFromInput({ ...entryToInput(values), rested: 3, in_bed_time: '22:50:00' })).toMatchObject({ rested: 3, inBed: '22:50' });
	});
});
