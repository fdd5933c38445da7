/**
 * Defaults of a new entry (SPEC §15.3): bed and wake times are the circular medians (§7.4.2) of the
 * main sessions of the 14 dates before today, else 23:00 and 07:00. The main session of a date is
 * its longest (as in the diary, §12.3). Pure, unit-tested.
 */
import type { SleepInput, SleepSession } from './api';
import type { DiaryValues } from './diaryItems';
import type { EntryValues } from './entry';
import { clockHHMM, clockToMinutes, euclideanMod, minutesToClock } from './time';

const DAY = 1440;

/** The five Quality buttons of SPEC §8.15, in order. */
export const QUALITY_OPTIONS: { value: number; label: string }[] = [
	{ value: 1, label: '1 Very poor' },
	{ value: 2, label: '2 Poor' },
	{ value: 3, label: '3 Fair' },
	{ value: 4, label: '4 Good' },
	{ value: 5, label: '5 Very good' }
];
export const DEFAULT_BED = '23:00';
export const DEFAULT_WAKE = '07:00';
/** How many dates before today the defaults look at. */
export const DEFAULT_WINDOW_DAYS = 14;

/** The linear type-7 median of sorted values (§7.4.1). */
function medianSorted(sorted: readonly number[]): number {
	const rank = 0.5 * (sorted.length - 1);
	const lo = Math.floor(rank);
	const hi = Math.ceil(rank);
	const low = sorted[lo] ?? 0;
	const high = sorted[hi] ?? low;
	const w = rank - lo;
	return lo === hi ? low : low * (1 - w) + high * w;
}

/** The circular median of clock minutes (SPEC §7.4.2); null for no values. */
export function circularMedian(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	let s = 0;
	let c = 0;
	for (const v of values) {
		const angle = (2 * Math.PI * v) / DAY;
		s += Math.sin(angle);
		c += Math.cos(angle);
	}
	const anchor = Math.sqrt(s * s + c * c) < 1e-9 ? 720 : euclideanMod((Math.atan2(s, c) * DAY) / (2 * Math.PI), DAY) + 720;
	const unwrapped = values.map((v) => anchor + euclideanMod(v - anchor, DAY)).sort((a, b) => a - b);
	return euclideanMod(medianSorted(unwrapped), DAY);
}

/** The longest session of each wake date (ties: the earlier id). */
export function mainSessions(sessions: readonly SleepSession[]): SleepSession[] {
	const byDate = new Map<string, SleepSession>();
	for (const s of sessions) {
		const best = byDate.get(s.date);
		if (!best || s.duration_min > best.duration_min || (s.duration_min === best.duration_min && s.id < best.id)) byDate.set(s.date, s);
	}
	return [...byDate.values()];
}

/** Minutes rounded to the minute, as `HH:MM` (1439.6 → 00:00). */
function roundedClock(minutes: number): string {
	return minutesToClock(euclideanMod(Math.round(minutes), DAY));
}

/** Bed and wake defaults from the sessions of the 14 dates before today. */
export function defaultTimes(sessions: readonly SleepSession[]): { bed: string; wake: string } {
	const mains = mainSessions(sessions);
	const bed = circularMedian(mains.map((s) => clockToMinutes(s.bed_time)));
	const wake = circularMedian(mains.map((s) => clockToMinutes(s.wake_time)));
	return {
		bed: bed === null ? DEFAULT_BED : roundedClock(bed),
		wake: wake === null ? DEFAULT_WAKE : roundedClock(wake)
	};
}

/** A queued entry's body back as form values ("Edit", SPEC §15.2). */
export function entryValuesFromInput(input: SleepInput): EntryValues {
	return {
		date: input.date,
		bed: clockHHMM(input.bed_time),
		wake: clockHHMM(input.wake_time),
		latency: input.latency_min,
		awakenings: input.awakenings,
		quality: input.quality,
		intensity: input.exercise_intensity ?? '',
		note: input.note ?? ''
	};
}

/** A queued entry's diary items back as form values. */
export function diaryValuesFromInput(input: SleepInput): DiaryValues {
	return {
		inBed: input.in_bed_time ? clockHHMM(input.in_bed_time) : '',
		wasoMin: input.waso_min ?? null,
		outOfBed: input.out_of_bed_time ? clockHHMM(input.out_of_bed_time) : '',
		rested: input.rested ?? null,
		alcohol: input.alcohol_drinks ?? null,
		caffeine: input.caffeine_drinks ?? null,
		medication: input.medication ?? ''
	};
}
