import { describe, expect, it } from 'vitest';
import { actogramLayout, actogramRows, actogramSummary, chunkRange, rowHeightFor, sessionInterval, timelineFits } from './actogram';

const s = (date: string, bed: string, wake: string) => ({ date, bed_time: `${bed}:00`, wake_time: `${wake}:00` });

describe('sessionInterval', () => {
	it.each([
		// A night that crosses midnight began on the day before its wake date.
		[s('2025-06-02', '23:00', '07:00'), { start: 1380, end: 1440 + 420 }],
		[s('2025-06-01', '13:00', '13:40'), { start: 780, end: 820 }],
		[s('2025-06-01', '01:00', '09:00'), { start: 60, end: 540 }]
	])('%o', (session, interval) => expect(sessionInterval(session, '2025-06-01')).toEqual(interval));
});

describe('actogramRows (double plot)', () => {
	it('draws each night twice: at the end of its first row and the start of the next', () => {
		const rows = actogramRows('2025-06-01', '2025-06-03', [s('2025-06-02', '23:00', '07:00'), s('2025-06-03', '23:30', '06:00')]);
		expect(rows.map((r) => r.date)).toEqual(['2025-06-01', '2025-06-02', '2025-06-03']);
		// Row 1 June shows 1 and 2 June: the night 1→2 June sits around its midnight (minute 1440), and
		// the evening part of the night 2→3 June reaches the row's right edge.
		expect(rows[0]!.segments).toEqual([
			{ start: 1380, end: 1860 },
			{ start: 2850, end: 2880 }
		]);
		// Row 2 June: the morning part of 1→2 June, then the whole night 2→3 June.
		expect(rows[1]!.segments).toEqual([
			{ start: 0, end: 420 },
			{ start: 1410, end: 1800 }
		]);
		// Row 3 June (the newest, at the bottom): only the morning of the night 2→3 June.
		expect(rows[2]!.segments).toEqual([{ start: 0, end: 360 }]);
	});

	it('keeps the part of a night before the range out, and skips empty sessions', () => {
		const rows = actogramRows('2025-06-02', '2025-06-02', [s('2025-06-02', '22:00', '06:00'), s('2025-06-02', '12:00', '12:00')]);
		expect(rows[0]!.segments).toEqual([{ start: 0, end: 360 }]);
	});
});

describe('chunkRange', () => {
	it('splits into spans the range route accepts', () => {
		expect(chunkRange('2025-01-01', '2025-01-01')).toEqual([{ from: '2025-01-01', to: '2025-01-01' }]);
		const year = chunkRange('2025-01-01', '2025-12-31');
		expect(year).toHaveLength(6);
		expect(year[0]).toEqual({ from: '2025-01-01', to: '2025-03-03' });
		expect(year[1]!.from).toBe('2025-03-04');
		expect(year.at(-1)!.to).toBe('2025-12-31');
	});
});

describe('layout', () => {
	it('scales row height with the number of rows', () => {
		expect([rowHeightFor(14), rowHeightFor(31), rowHeightFor(60), rowHeightFor(366)]).toEqual([20, 20, 10, 5]);
	});

	it('maps 48 hours onto the plot with 6-hourly ticks on wide screens', () => {
		const l = actogramLayout(14, 868);
		expect(l.x(0)).toBe(60);
		expect(l.x(2880)).toBe(860);
		expect(l.x(1440)).toBe(460);
		expect(l.hourTicks.map((t) => t.label)).toEqual(['00', '06', '12', '18', '00', '06', '12', '18', '00']);
		expect(l.height).toBe(22 + 14 * 20 + 4);
		expect(actogramLayout(14, 375).hourTicks.map((t) => t.label)).toEqual(['00', '12', '00', '12', '00']);
	});

	it('limits the timeline to 366 days', () => {
		expect(timelineFits('2024-01-01', '2024-12-31')).toBe(true);
		expect(timelineFits('2024-01-01', '2025-01-01')).toBe(false);
	});
});

describe('actogramSummary', () => {
	it('names the range, the nights logged and the SRI', () => {
		const sessions = [s('2025-06-02', '23:00', '07:00'), s('2025-06-02', '14:00', '14:30'), s('2025-06-04', '23:00', '07:00')];
		const rows = actogramRows('2025-06-01', '2025-06-03', sessions);
		expect(actogramSummary('1 Jun – 3 Jun 2025', rows, sessions, 66.66)).toBe(
			'Sleep timeline, 1 Jun – 3 Jun 2025: 3 days, 1 night logged. Sleep Regularity Index 66.7.'
		);
		expect(actogramSummary('1 Jun – 3 Jun 2025', rows, [], null)).toBe(
			'Sleep timeline, 1 Jun – 3 Jun 2025: 3 days, 0 nights logged. Sleep Regularity Index not available.'
		);
	});
});
