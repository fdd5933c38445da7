import { describe, expect, it } from 'vitest';
import {
	addDays,
	bedRelativeMinutes,
	clockDuration,
	clockToMinutes,
	compareByBedTime,
	crossesMidnight,
	datesInRange,
	daysBetween,
	isoWeekKey,
	isValidClock,
	isValidDate,
	isWeekend,
	minutesToClock,
	rangeLength,
	sleepBarSegments,
	todayIn,
	toWireClock,
	wrapAtNoon,
	mean,
	wrappedTickLabel,
	WRAPPED_AXIS
} from './time';

describe('isValidDate', () => {
	it.each([
		['2025-06-16', true],
		['2024-02-29', true],
		['1900-01-01', true],
		['2999-12-31', true],
		['2025-02-29', false],
		['2025-02-30', false],
		['2025-6-1', false],
		['1899-12-31', false],
		['3000-01-01', false],
		['2025-06-01T00:00', false],
		['', false],
		[null, false]
	])('%s → %s', (value, expected) => {
		expect(isValidDate(value)).toBe(expected);
	});
});

describe('date arithmetic', () => {
	it('adds days across month, year and leap-day boundaries', () => {
		expect(addDays('2025-06-16', -13)).toBe('2025-06-03');
		expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
		expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
	});

	it('counts days and lists ranges inclusively', () => {
		expect(daysBetween('2025-06-03', '2025-06-16')).toBe(13);
		expect(rangeLength('2025-06-03', '2025-06-16')).toBe(14);
		expect(datesInRange('2025-12-30', '2026-01-02')).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
		expect(datesInRange('2025-01-02', '2025-01-01')).toEqual([]);
	});

	it('is not shifted by daylight-saving changes', () => {
		// 2025-03-30 is the EU spring-forward day; UTC arithmetic keeps whole days.
		expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
		expect(rangeLength('2025-03-01', '2025-03-31')).toBe(31);
	});

	it('knows the weekend from the calendar date', () => {
		expect(isWeekend('2025-06-14')).toBe(true); // Saturday
		expect(isWeekend('2025-06-15')).toBe(true); // Sunday
		expect(isWeekend('2025-06-16')).toBe(false); // Monday
	});

	it('computes today in a zone', () => {
		const instant = new Date('2025-06-16T23:30:00Z');
		expect(todayIn('UTC', instant)).toBe('2025-06-16');
		expect(todayIn('Asia/Tokyo', instant)).toBe('2025-06-17');
		expect(todayIn('America/New_York', instant)).toBe('2025-06-16');
		expect(todayIn('Not/AZone', instant)).toBe('2025-06-16');
	});

	it.each([
		['2024-12-30', '2025-W01'],
		['2027-01-01', '2026-W53'],
		['2025-06-16', '2025-W25'],
		['2025-01-05', '2025-W01'],
		['2021-01-03', '2020-W53']
	])('ISO week of %s is %s', (date, key) => {
		expect(isoWeekKey(date)).toBe(key);
	});
});

describe('clock times', () => {
	it('validates and converts', () => {
		expect(isValidClock('23:05')).toBe(true);
		expect(isValidClock('23:05:59')).toBe(true);
		expect(isValidClock('24:00')).toBe(false);
		expect(isValidClock('7:00')).toBe(false);
		expect(clockToMinutes('23:05:30')).toBe(1385);
		expect(minutesToClock(1385)).toBe('23:05');
		expect(minutesToClock(1440 + 15)).toBe('00:15');
		expect(minutesToClock(-30)).toBe('23:30');
		expect(minutesToClock(419.6)).toBe('07:00');
		expect(toWireClock('22:00')).toBe('22:00:00');
	});

	it.each([
		['22:00', '06:00', 480],
		['23:30', '00:15', 45],
		['00:30', '07:00', 390],
		['13:00', '13:40', 40],
		['07:00', '07:00', 0],
		['06:00', '05:59', 1439]
	])('duration %s → %s wraps midnight: %i min', (bed, wake, minutes) => {
		expect(clockDuration(bed, wake)).toBe(minutes);
	});

	it('detects sessions that began the evening before (full times compared)', () => {
		expect(crossesMidnight('23:00:00', '07:00:00')).toBe(true);
		expect(crossesMidnight('00:30:00', '07:00:00')).toBe(false);
		expect(crossesMidnight('07:00:00', '07:00:00')).toBe(false);
		expect(crossesMidnight('07:00:30', '07:00:00')).toBe(true);
		expect(bedRelativeMinutes('22:00:00', '06:00:00')).toBe(-120);
		expect(bedRelativeMinutes('13:00:00', '14:00:00')).toBe(780);
	});

	it('orders a nap after the night that began the evening before', () => {
		const nap = { id: 1, bed_time: '13:00:00', wake_time: '14:00:00' };
		const night = { id: 2, bed_time: '22:00:00', wake_time: '06:00:00' };
		const early = { id: 3, bed_time: '01:00:00', wake_time: '05:00:00' };
		expect([nap, early, night].sort(compareByBedTime).map((s) => s.id)).toEqual([2, 3, 1]);
		const twinA = { id: 9, bed_time: '13:00:00', wake_time: '14:00:00' };
		const twinB = { id: 4, bed_time: '13:00:00', wake_time: '14:00:00' };
		expect([twinA, twinB].sort(compareByBedTime).map((s) => s.id)).toEqual([4, 9]);
	});

	it('draws a midnight-crossing session as two bar segments', () => {
		expect(sleepBarSegments('22:00:00', '06:00:00')).toEqual([
			{ start: 0, end: 360 },
			{ start: 1320, end: 1440 }
		]);
		expect(sleepBarSegments('23:00:00', '00:00:00')).toEqual([{ start: 1380, end: 1440 }]);
		expect(sleepBarSegments('13:00:00', '14:30:00')).toEqual([{ start: 780, end: 870 }]);
		expect(sleepBarSegments('07:00:00', '07:00:00')).toEqual([]);
	});
});

describe('wrapped (noon-anchored) axis', () => {
	it('puts 23:30 and 00:15 next to each other', () => {
		expect(wrapAtNoon(clockToMinutes('23:30'))).toBe(1410);
		expect(wrapAtNoon(clockToMinutes('00:15'))).toBe(1455);
		expect(wrapAtNoon(clockToMinutes('11:59'))).toBe(1439 + 720);
		expect(wrapAtNoon(clockToMinutes('12:00'))).toBe(720);
	});

	it('labels ticks as clock times from 12:00 to 12:00', () => {
		expect(wrappedTickLabel(WRAPPED_AXIS.min)).toBe('12:00');
		expect(wrappedTickLabel(1440)).toBe('00:00');
		expect(wrappedTickLabel(1620)).toBe('03:00');
		expect(wrappedTickLabel(WRAPPED_AXIS.max)).toBe('12:00');
	});

	it('averages clock times across midnight without landing at noon', () => {
		const average = mean([clockToMinutes('23:30'), clockToMinutes('00:30')].map(wrapAtNoon));
		expect(average).toBe(1440);
		expect(wrappedTickLabel(average!)).toBe('00:00');
		expect(mean([])).toBeNull();
	});
});
