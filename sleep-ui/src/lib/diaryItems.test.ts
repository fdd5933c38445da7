import { describe, expect, it } from 'vitest';
import {
	diaryToInput,
	diaryValuesFromSession,
	emptyDiaryValues,
	firstInvalidDiaryField,
	hasDiaryValues,
	minutesBefore,
	validateDiary,
	type DiaryValues
} from './diaryItems';

const values = (over: Partial<DiaryValues>): DiaryValues => ({ ...emptyDiaryValues(), ...over });

describe('hasDiaryValues', () => {
	it.each([
		[{}, false],
		[{ medication: '   ' }, false],
		[{ inBed: '22:40' }, true],
		[{ wasoMin: 0 }, true],
		[{ outOfBed: '06:50' }, true],
		[{ rested: 3 }, true],
		[{ alcohol: 0 }, true],
		[{ caffeine: 2 }, true],
		[{ medication: 'melatonin 2 mg 22:00' }, true]
	] as [Partial<DiaryValues>, boolean][])('%o → %s', (over, open) => {
		expect(hasDiaryValues(values(over))).toBe(open);
	});
});

describe('diaryValuesFromSession', () => {
	it('shows stored items as the form holds them and nulls as empty', () => {
		expect(
			diaryValuesFromSession({
				in_bed_time: '22:40:00',
				waso_min: 20,
				out_of_bed_time: null,
				rested: 4,
				alcohol_drinks: 0,
				caffeine_drinks: null,
				medication: null
			})
		).toEqual({ inBed: '22:40', wasoMin: 20, outOfBed: '', rested: 4, alcohol: 0, caffeine: null, medication: '' });
	});
});

describe('minutesBefore', () => {
	it.each([
		['23:50', '00:10', 20],
		['22:40', '23:05', 25],
		['06:30', '06:30', 0],
		['06:30', '06:29', 1439]
	])('%s → %s = %i', (a, b, m) => expect(minutesBefore(a, b)).toBe(m));
});

describe('validateDiary', () => {
	it.each([
		[{}, {}],
		[{ inBed: '22:40', outOfBed: '06:50', wasoMin: 720, alcohol: 30, caffeine: 0, rested: 5 }, {}],
		// 12 hours exactly is allowed; one minute more is not.
		[{ inBed: '11:05' }, {}],
		[{ inBed: '11:04' }, { inBed: 'Got into bed must be at most 12 hours before the bed time' }],
		[{ outOfBed: '18:30' }, {}],
		[{ outOfBed: '18:31' }, { outOfBed: 'Got out of bed must be at most 12 hours after the wake time' }],
		[{ inBed: '25:00' }, { inBed: 'Enter the time you got into bed as HH:MM' }],
		[{ wasoMin: 721 }, { wasoMin: 'Minutes awake must be between 0 and 720' }],
		[{ wasoMin: -1 }, { wasoMin: 'Minutes awake must be between 0 and 720' }],
		[{ wasoMin: 2.5 }, { wasoMin: 'Minutes awake must be between 0 and 720' }],
		[{ rested: 0 }, { rested: 'Rested on waking must be between 1 and 5' }],
		[{ alcohol: 31 }, { alcohol: 'Alcoholic drinks must be between 0 and 30' }],
		[{ caffeine: -2 }, { caffeine: 'Caffeinated drinks must be between 0 and 30' }],
		[{ medication: 'x'.repeat(201) }, { medication: 'Sleep medication must be at most 200 characters' }],
		[{ medication: ` ${'x'.repeat(200)} ` }, {}]
	] as [Partial<DiaryValues>, object][])('%o', (over, errors) => {
		expect(validateDiary(values(over), '23:05', '06:30')).toEqual(errors);
	});

	it('skips placement while the main times are invalid (the form reports those)', () => {
		expect(validateDiary(values({ inBed: '01:00', outOfBed: '01:00' }), '', '')).toEqual({});
	});

	it('names the first invalid field in section order', () => {
		const errors = validateDiary(values({ caffeine: 99, wasoMin: 999 }), '23:00', '07:00');
		expect(firstInvalidDiaryField(errors)).toBe('wasoMin');
		expect(firstInvalidDiaryField({})).toBeUndefined();
	});
});

describe('diaryToInput', () => {
	const full = values({ inBed: '22:40', wasoMin: 20, outOfBed: '06:50', rested: 4, alcohol: 1, caffeine: 0, medication: '  melatonin  ' });

	it('sends every item on edit, null for the empty ones (so clearing clears)', () => {
		expect(diaryToInput(emptyDiaryValues(), 'edit')).toEqual({
			in_bed_time: null,
			waso_min: null,
			out_of_bed_time: null,
			rested: null,
			alcohol_drinks: null,
			caffeine_drinks: null,
			medication: null
		});
		expect(diaryToInput(full, 'edit')).toEqual({
			in_bed_time: '22:40:00',
			waso_min: 20,
			out_of_bed_time: '06:50:00',
			rested: 4,
			alcohol_drinks: 1,
			caffeine_drinks: 0,
			medication: 'melatonin'
		});
	});

	it('sends only recorded items on a new entry, keeping zeros', () => {
		expect(diaryToInput(emptyDiaryValues(), 'new')).toEqual({});
		expect(diaryToInput(values({ caffeine: 0, medication: ' ' }), 'new')).toEqual({ caffeine_drinks: 0 });
	});
});
