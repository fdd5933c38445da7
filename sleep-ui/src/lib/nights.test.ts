import { describe, expect, it } from 'vitest';
import type { SleepSession } from './api';
import { axisPosition, foldDays, gapLabel, lastNight, nightBars } from './nights';

function s(id: number, date: string, bed: string, wake: string, duration: number): SleepSession {
	return {
		id, date, bed_time: `${bed}:00`, wake_time: `${wake}:00`, latency_min: 0, awakenings: 0, quality: 3, duration_min: duration,
		in_bed_time: null, waso_min: null, out_of_bed_time: null, rested: null, alcohol_drinks: null, caffeine_drinks: null,
		medication: null, tib_min: duration, tst_min: duration, se_pct: null, terminal_wake_min: 0
	};
}

describe('axis', () => {
	it('runs from 18:00', () => {
		expect(axisPosition('18:00:00')).toBe(0);
		expect(axisPosition('00:00')).toBe(360);
		expect(axisPosition('14:00')).toBe(1200);
	});
});

describe('nightBars', () => {
	it('draws a night across midnight as one bar and the nap thinner', () => {
		const bars = nightBars([s(1, '2025-06-16', '22:30', '06:30', 480), s(2, '2025-06-16', '13:00', '14:30', 90)]);
		expect(bars).toEqual([
			{ id: 1, start: 270, end: 750, main: true },
			{ id: 2, start: 1140, end: 1200, main: false }
		]);
	});
	it('clips an afternoon nap before 18:00 at the axis start', () => {
		expect(nightBars([s(3, '2025-06-16', '17:00', '19:00', 120)])).toEqual([{ id: 3, start: 0, end: 60, main: true }]);
	});
});

describe('lastNight', () => {
	it('is the main session of the most recent date', () => {
		const sessions = [s(1, '2025-06-15', '23:00', '07:00', 480), s(2, '2025-06-16', '13:00', '14:00', 60), s(3, '2025-06-16', '23:30', '06:00', 390)];
		expect(lastNight(sessions)?.id).toBe(3);
		expect(lastNight([])).toBeNull();
	});
});

describe('foldDays', () => {
	it('folds each run of dates without entries into one row', () => {
		const logged = new Set(['2025-06-16', '2025-06-12']);
		const days = ['2025-06-16', '2025-06-15', '2025-06-14', '2025-06-13', '2025-06-12', '2025-06-11'];
		expect(foldDays(days, (d) => logged.has(d))).toEqual([
			{ kind: 'day', date: '2025-06-16' },
			{ kind: 'gap', from: '2025-06-13', to: '2025-06-15', count: 3 },
			{ kind: 'day', date: '2025-06-12' },
			{ kind: 'gap', from: '2025-06-11', to: '2025-06-11', count: 1 }
		]);
		expect(gapLabel(3)).toBe('3 days not logged');
		expect(gapLabel(1)).toBe('1 day not logged');
	});
});
