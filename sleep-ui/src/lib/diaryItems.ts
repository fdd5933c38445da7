/**
 * The "Sleep diary details" of the entry form (SPEC §12.1, §12.6): the optional Consensus Sleep Diary
 * items as the form holds them, their client checks and their part of the request body. Pure, so the
 * section can move inside the form (§15.3) without its rules moving with it.
 */
import type { DiaryItemsInput, SleepSession } from './api';
import { characterCount } from './diary';
import { clockHHMM, clockToMinutes, euclideanMod, isValidClock, toWireClock } from './time';

/** The section's values as typed: '' (times, medication) or null (numbers, rested) = not recorded. */
export interface DiaryValues {
	inBed: string;
	wasoMin: number | null;
	outOfBed: string;
	rested: number | null;
	alcohol: number | null;
	caffeine: number | null;
	medication: string;
}

/** Field keys in the order the section shows them; the first invalid one receives focus. */
export const DIARY_FIELDS = ['inBed', 'wasoMin', 'outOfBed', 'rested', 'alcohol', 'caffeine', 'medication'] as const;
/** One field of the section. */
export type DiaryField = (typeof DIARY_FIELDS)[number];
/** Error message per invalid field. */
export type DiaryErrors = Partial<Record<DiaryField, string>>;

/** The labels of SPEC §12.6, exactly. */
export const DIARY_LABELS: Record<DiaryField, string> = {
	inBed: 'Got into bed',
	wasoMin: 'Minutes awake during the night',
	outOfBed: 'Got out of bed',
	rested: 'Rested on waking',
	alcohol: 'Alcoholic drinks',
	caffeine: 'Caffeinated drinks',
	medication: 'Sleep medication'
};

/** The 1–5 scale of "Rested on waking", worded as in SPEC §8.15. */
export const RESTED_OPTIONS: { value: number; label: string }[] = [
	{ value: 1, label: '1 Not at all rested' },
	{ value: 2, label: '2 Slightly rested' },
	{ value: 3, label: '3 Somewhat rested' },
	{ value: 4, label: '4 Well rested' },
	{ value: 5, label: '5 Very well rested' }
];

/** Longest medication text after trimming, in characters. */
export const MEDICATION_MAX_CHARS = 200;
/** Upper bounds of the integer items (SPEC §12.1). */
export const WASO_MAX = 720;
export const DRINKS_MAX = 30;
/** How far "Got into bed" may precede the bed time and "Got out of bed" follow the wake time. */
const PLACEMENT_MAX_MIN = 720;

/** A section with nothing recorded (a new entry). */
export function emptyDiaryValues(): DiaryValues {
	return { inBed: '', wasoMin: null, outOfBed: '', rested: null, alcohol: null, caffeine: null, medication: '' };
}

/** The stored items of a session, as the form shows them. */
export function diaryValuesFromSession(
	s: Pick<SleepSession, 'in_bed_time' | 'waso_min' | 'out_of_bed_time' | 'rested' | 'alcohol_drinks' | 'caffeine_drinks' | 'medication'>
): DiaryValues {
	return {
		inBed: s.in_bed_time ? clockHHMM(s.in_bed_time) : '',
		wasoMin: s.waso_min ?? null,
		outOfBed: s.out_of_bed_time ? clockHHMM(s.out_of_bed_time) : '',
		rested: s.rested ?? null,
		alcohol: s.alcohol_drinks ?? null,
		caffeine: s.caffeine_drinks ?? null,
		medication: s.medication ?? ''
	};
}

/** True when any item is recorded: the section then opens by itself. */
export function hasDiaryValues(v: DiaryValues): boolean {
	return (
		v.inBed.trim() !== '' ||
		v.wasoMin !== null ||
		v.outOfBed.trim() !== '' ||
		v.rested !== null ||
		v.alcohol !== null ||
		v.caffeine !== null ||
		v.medication.trim() !== ''
	);
}

function integerIn(value: number | null, min: number, max: number): boolean {
	return value === null || (Number.isInteger(value) && value >= min && value <= max);
}

/**
 * Client checks, mirroring the server's rules (SPEC §12.1) in the form's own words. `bed` and `wake`
 * are the form's times (`HH:MM`); the placement checks run only when they are valid, since the main
 * form reports those fields itself. An empty object means valid.
 */
export function validateDiary(v: DiaryValues, bed: string, wake: string): DiaryErrors {
	const errors: DiaryErrors = {};
	const inBed = v.inBed.trim();
	const outOfBed = v.outOfBed.trim();
	if (inBed !== '' && !isValidClock(inBed)) errors.inBed = 'Enter the time you got into bed as HH:MM';
	else if (inBed !== '' && isValidClock(bed) && minutesBefore(inBed, bed) > PLACEMENT_MAX_MIN)
		errors.inBed = 'Got into bed must be at most 12 hours before the bed time';
	if (!integerIn(v.wasoMin, 0, WASO_MAX)) errors.wasoMin = 'Minutes awake must be between 0 and 720';
	if (outOfBed !== '' && !isValidClock(outOfBed)) errors.outOfBed = 'Enter the time you got out of bed as HH:MM';
	else if (outOfBed !== '' && isValidClock(wake) && minutesBefore(wake, outOfBed) > PLACEMENT_MAX_MIN)
		errors.outOfBed = 'Got out of bed must be at most 12 hours after the wake time';
	if (!integerIn(v.rested, 1, 5)) errors.rested = 'Rested on waking must be between 1 and 5';
	if (!integerIn(v.alcohol, 0, DRINKS_MAX)) errors.alcohol = 'Alcoholic drinks must be between 0 and 30';
	if (!integerIn(v.caffeine, 0, DRINKS_MAX)) errors.caffeine = 'Caffeinated drinks must be between 0 and 30';
	if (characterCount(v.medication.trim()) > MEDICATION_MAX_CHARS)
		errors.medication = 'Sleep medication must be at most 200 characters';
	return errors;
}

/** Minutes from clock `earlier` forward to clock `later` on the night's timeline (mod 24 h, seconds dropped). */
export function minutesBefore(earlier: string, later: string): number {
	return euclideanMod(clockToMinutes(later) - clockToMinutes(earlier), 1440);
}

/** The element id of a field (`entry-diary-<field>`), so the form can focus it. */
export function diaryFieldId(field: DiaryField): string {
	return `entry-diary-${field}`;
}

/** The first invalid field in section order. */
export function firstInvalidDiaryField(errors: DiaryErrors): DiaryField | undefined {
	return DIARY_FIELDS.find((f) => errors[f] !== undefined);
}

/**
 * The section's part of the request body. A new entry sends only what was recorded (absent = not
 * recorded on POST). An edit sends every item the form shows — null for an emptied field, so clearing
 * a field clears it on the server, while an unchanged recorded value is sent back as it was (SPEC
 * §12.1: on PUT an absent field would keep its stored value).
 */
export function diaryToInput(v: DiaryValues, mode: 'new' | 'edit'): DiaryItemsInput {
	const inBed = v.inBed.trim();
	const outOfBed = v.outOfBed.trim();
	const medication = v.medication.trim();
	const all: DiaryItemsInput = {
		in_bed_time: inBed === '' ? null : toWireClock(inBed),
		waso_min: v.wasoMin,
		out_of_bed_time: outOfBed === '' ? null : toWireClock(outOfBed),
		rested: v.rested,
		alcohol_drinks: v.alcohol,
		caffeine_drinks: v.caffeine,
		medication: medication === '' ? null : medication
	};
	if (mode === 'edit') return all;
	const recorded: DiaryItemsInput = {};
	for (const [key, value] of Object.entries(all) as [keyof DiaryItemsInput, DiaryItemsInput[keyof DiaryItemsInput]][]) {
		if (value !== null && value !== undefined) (recorded as Record<string, unknown>)[key] = value;
	}
	return recorded;
}
