import { describe, expect, it } from 'vitest';
import {
	capitalize,
	formatDateRange,
	formatDayMonth,
	formatDuration,
	formatHoursMinutes,
	formatIsoRange,
	formatLongDate,
	formatOneDecimal,
	formatShortDate,
	formatShortDateWithYear,
	formatTimeRange,
	plural,
	signed,
	sleepBarLabel
} from './format';

describe('dates', () => {
	it('formats cards, headings and ranges', () => {
		expect(formatShortDate('2025-06-16')).toBe('Mon 16 Jun');
		expect(formatShortDateWithYear('2025-06-16')).toBe('Mon 16 Jun 2025');
		expect(formatLongDate('2025-06-16')).toBe('Monday 16 June 2025');
		expect(formatDayMonth('2025-06-03')).toBe('3 Jun');
		expect(formatDateRange('2025-06-03', '2025-06-16')).toBe('3 Jun – 16 Jun 2025');
		expect(formatDateRange('2024-12-28', '2025-01-10')).toBe('28 Dec 2024 – 10 Jan 2025');
		expect(formatIsoRange('2025-06-03', '2025-06-16')).toBe('2025-06-03 – 2025-06-16');
	});
});

describe('durations', () => {
	it.each([
		[480, '8h'],
		[445, '7h 25m'],
		[45, '45m'],
		[0, '0m'],
		[5335, '88h 55m'],
		[449.6, '7h 30m']
	])('%d min on cards is %s', (minutes, text) => {
		expect(formatDuration(minutes)).toBe(text);
	});

	it.each([
		[445, '7:25'],
		[480, '8:00'],
		[5, '0:05'],
		[390.4, '6:30']
	])('%d min in trends is %s', (minutes, text) => {
		expect(formatHoursMinutes(minutes)).toBe(text);
	});
});

describe('small texts', () => {
	it('formats times, numbers and counts', () => {
		expect(formatTimeRange('22:00:00', '06:00:00')).toBe('22:00–06:00');
		expect(sleepBarLabel('22:00:00', '06:00:00')).toBe('Slept 22:00 to 06:00');
		expect(formatOneDecimal(3.5)).toBe('3.5');
		expect(formatOneDecimal(4)).toBe('4.0');
		expect(formatOneDecimal(null)).toBe('—');
		expect(plural(1, 'session')).toBe('1 session');
		expect(plural(3, 'session')).toBe('3 sessions');
		expect(plural(0, 'note')).toBe('0 notes');
	});

	it('capitalises server messages', () => {
		expect(capitalize('sleep session overlaps existing session')).toBe('Sleep session overlaps existing session');
		expect(capitalize('')).toBe('');
	});

	it('shows the sign only when positive', () => {
		expect(signed(12)).toBe('+12');
		expect(signed(-5)).toBe('-5');
		expect(signed(0)).toBe('0');
		expect(signed(0.44, 1)).toBe('+0.4');
		expect(signed(-0.04, 1)).toBe('0.0');
	});
});
