import { describe, expect, it } from 'vitest';
import {
	durationBounds,
	entryToInput,
	firstInvalidField,
	prefillTimes,
	unusualDurationMessage,
	usualTimesButton,
	validateEntry,
	type EntryValues
} from './entry';
import { personalization } from './testing/personalization';

const valid: EntryValues = {
	date: '2025-06-16',
	bed: '22:00',
	wake: '06:00',
	latency: 10,
	awakenings: 1,
	quality: 4,
	intensity: '',
	note: ''
};

describe('validateEntry', () => {
	it('accepts a complete entry', () => {
		expect(validateEntry(valid)).toEqual({});
	});

	it('reports every problem with its message, first field first', () => {
		const errors = validateEntry({ ...valid, date: '', bed: '', wake: '', latency: 181, awakenings: -1, quality: 0, note: 'x'.repeat(1001) });
		expect(errors).toEqual({
			date: 'Date is required',
			bed: 'Bed time is required',
			wake: 'Wake time is required',
			latency: 'Latency must be between 0 and 180',
			awakenings: 'Awakenings must be between 0 and 10',
			quality: 'Quality must be between 1 and 5',
			note: 'Note must be at most 1000 characters'
		});
		expect(firstInvalidField(errors)).toBe('date');
		expect(firstInvalidField({ quality: 'x', latency: 'y' })).toBe('latency');
	});

	it('treats empty and fractional numbers as invalid, and counts the note after trimming', () => {
		expect(validateEntry({ ...valid, latency: null }).latency).toBeDefined();
		expect(validateEntry({ ...valid, quality: 2.5 }).quality).toBeDefined();
		expect(validateEntry({ ...valid, note: `  ${'x'.repeat(1000)}  ` }).note).toBeUndefined();
	});
});

describe('imported nights without quality, latency or awakenings (SPEC §12.1)', () => {
	const imported: EntryValues = { ...valid, latency: null, quality: null, nullable: { latency: true, quality: true } };

	it('accepts the stored nulls and sends them as null', () => {
		expect(validateEntry(imported)).toEqual({});
		const input = entryToInput(imported);
		expect(input.latency_min).toBeNull();
		expect(input.quality).toBeNull();
		expect(input.awakenings).toBe(1);
	});

	it('still checks a value that is typed, and fields that were stored', () => {
		expect(validateEntry({ ...imported, quality: 7 }).quality).toBe('Quality must be between 1 and 5');
		expect(validateEntry({ ...imported, awakenings: null }).awakenings).toBe('Awakenings must be between 0 and 10');
	});
});

describe('entryToInput', () => {
	it('sends times as HH:MM:00 and leaves out unset extras', () => {
		expect(entryToInput(valid)).toEqual({
			date: '2025-06-16',
			bed_time: '22:00:00',
			wake_time: '06:00:00',
			latency_min: 10,
			awakenings: 1,
			quality: 4
		});
	});

	it('includes the intensity and the trimmed note when given', () => {
		const input = entryToInput({ ...valid, intensity: 'none', note: '  slept well \n' });
		expect(input.exercise_intensity).toBe('none');
		expect(input.note).toBe('slept well');
		expect(entryToInput({ ...valid, note: '   ' }).note).toBeUndefined();
	});
});

describe('usual times', () => {
	const medians = {
		weekday_bed_median_min: 1350.4,
		weekday_wake_median_min: 400,
		weekend_bed_median_min: 30,
		weekend_wake_median_min: 540
	};

	it('prefills from the day type only when the baseline is eligible', () => {
		const eligible = personalization({ day_type_timing_baseline: { eligible: true, ...medians } });
		expect(prefillTimes(eligible, '2025-06-16')).toEqual({ bed: '22:30', wake: '06:40', weekend: false });
		expect(prefillTimes(eligible, '2025-06-14')).toEqual({ bed: '00:30', wake: '09:00', weekend: true });
		expect(prefillTimes(personalization({ day_type_timing_baseline: medians }), '2025-06-16')).toBeNull();
		expect(prefillTimes(null, '2025-06-16')).toBeNull();
	});

	it('offers the button only when recommendation 2 is recommended with medium or high confidence', () => {
		const metrics = { day_type_timing_baseline: medians };
		expect(usualTimesButton(personalization(metrics, { day_type_default_prefill: 'medium' }), '2025-06-15')).toEqual({
			bed: '00:30',
			wake: '09:00',
			weekend: true
		});
		expect(usualTimesButton(personalization(metrics, { day_type_default_prefill: 'low' }), '2025-06-15')).toBeNull();
		expect(usualTimesButton(personalization(metrics), '2025-06-15')).toBeNull();
		expect(
			usualTimesButton(personalization({ day_type_timing_baseline: { weekday_bed_median_min: 1320 } }, { day_type_default_prefill: 'high' }), '2025-06-16')
		).toBeNull();
	});
});

describe('unusual duration', () => {
	it('uses 2 h and 14 h without personal bounds', () => {
		expect(durationBounds(null)).toEqual({ low: 120, high: 840, personal: false });
		expect(unusualDurationMessage('13:00', '14:00', null)).toBe(
			'This entry lasts 1h, which is shorter than 2 hours or longer than 14 hours. Save it anyway?'
		);
		expect(unusualDurationMessage('22:00', '06:00', null)).toBeNull();
		expect(unusualDurationMessage('20:00', '10:00', null)).toBeNull();
		expect(unusualDurationMessage('20:00', '10:01', null)).toMatch(/^This entry lasts 14h 1m/);
		expect(unusualDurationMessage('07:00', '07:00', null)).toMatch(/^This entry lasts 0m/);
	});

	it('uses personal p10/p90 when recommendation 1 allows it', () => {
		const p = personalization(
			{ duration_baseline: { eligible: true, p10_min: 390, p90_min: 510 } },
			{ personal_duration_warning_tuning: 'medium' }
		);
		expect(durationBounds(p)).toEqual({ low: 390, high: 510, personal: true });
		expect(unusualDurationMessage('23:00', '05:00', p)).toBe(
			'This entry lasts 6h, outside your usual range of 6h 30m to 8h 30m. Save it anyway?'
		);
		expect(unusualDurationMessage('23:00', '06:30', p)).toBeNull();
	});

	it('falls back to the static bounds when the recommendation is missing or bounds are null', () => {
		const noRec = personalization({ duration_baseline: { eligible: true, p10_min: 390, p90_min: 510 } });
		expect(durationBounds(noRec).personal).toBe(false);
		const nullBounds = personalization({ duration_baseline: { eligible: true } }, { personal_duration_warning_tuning: 'high' });
		expect(durationBounds(nullBounds).personal).toBe(false);
	});
});
