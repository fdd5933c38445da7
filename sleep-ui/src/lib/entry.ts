/**
 * Rules of the sleep entry form (SPEC §8.11): client validation, the request body, usual-time
 * prefill and the unusual-duration warning. Pure functions, unit-tested.
 */
import type { Intensity, Personalization, SleepInput } from './api';
import { characterCount, NOTE_MAX_CHARS } from './diary';
import { formatDuration } from './format';
import { clockDuration, isValidClock, isValidDate, isWeekend, minutesToClock, toWireClock } from './time';

/** The form's values as typed (inputs give strings). */
export interface EntryValues {
	date: string;
	bed: string;
	wake: string;
	/** Number inputs give numbers, or null while empty. */
	latency: number | null;
	awakenings: number | null;
	quality: number | null;
	/** '' = "Not recorded". */
	intensity: Intensity | '';
	note: string;
	/**
	 * Fields of an imported night whose stored value is null (edit mode): they may stay empty and
	 * are then sent as null, so a night can be corrected without inventing values (SPEC §12.1).
	 */
	nullable?: Partial<Record<NullableField, boolean>>;
}

/** The three fields an imported night may lack. */
export type NullableField = 'latency' | 'awakenings' | 'quality';

/** Field names in form order; the first invalid one receives focus. */
export const ENTRY_FIELDS = ['date', 'bed', 'wake', 'latency', 'awakenings', 'quality', 'intensity', 'note'] as const;
/** One field of the entry form. */
export type EntryField = (typeof ENTRY_FIELDS)[number];
/** Error message per invalid field. */
export type EntryErrors = Partial<Record<EntryField, string>>;

function integerIn(value: number | null, min: number, max: number): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Valid, or empty where the stored value is null. */
function integerOrKeptNull(v: EntryValues, field: NullableField, min: number, max: number): boolean {
	const value = v[field];
	return (value === null && v.nullable?.[field] === true) || integerIn(value, min, max);
}

/** Client checks with the messages of SPEC §8.11. An empty object means valid. */
export function validateEntry(v: EntryValues): EntryErrors {
	const errors: EntryErrors = {};
	if (!isValidDate(v.date)) errors.date = 'Date is required';
	if (!isValidClock(v.bed)) errors.bed = 'Bed time is required';
	if (!isValidClock(v.wake)) errors.wake = 'Wake time is required';
	if (!integerOrKeptNull(v, 'latency', 0, 180)) errors.latency = 'Latency must be between 0 and 180';
	if (!integerOrKeptNull(v, 'awakenings', 0, 10)) errors.awakenings = 'Awakenings must be between 0 and 10';
	if (!integerOrKeptNull(v, 'quality', 1, 5)) errors.quality = 'Quality must be between 1 and 5';
	if (characterCount(v.note.trim()) > NOTE_MAX_CHARS) errors.note = 'Note must be at most 1000 characters';
	return errors;
}

/** The first invalid field in form order. */
export function firstInvalidField(errors: EntryErrors): EntryField | undefined {
	return ENTRY_FIELDS.find((f) => errors[f] !== undefined);
}

/**
 * The one request body that saves a session with its intensity and note: times as `HH:MM:00`,
 * `exercise_intensity` only when chosen, `note` only when not blank.
 */
export function entryToInput(v: EntryValues): SleepInput {
	const input: SleepInput = {
		date: v.date,
		bed_time: toWireClock(v.bed),
		wake_time: toWireClock(v.wake),
		latency_min: v.latency ?? (v.nullable?.latency ? null : 0),
		awakenings: v.awakenings ?? (v.nullable?.awakenings ? null : 0),
		quality: v.quality ?? (v.nullable?.quality ? null : 0)
	};
	if (v.intensity !== '') input.exercise_intensity = v.intensity;
	const note = v.note.trim();
	if (note !== '') input.note = note;
	return input;
}

/** Bed and wake `HH:MM` of a day type. */
export interface UsualTimes {
	bed: string;
	wake: string;
	weekend: boolean;
}

/** The medians of the date's day type, or null when either is missing. */
export function usualTimesFor(p: Personalization | null, date: string): UsualTimes | null {
	if (!p || !isValidDate(date)) return null;
	const m = p.metrics.day_type_timing_baseline;
	const weekend = isWeekend(date);
	const bed = weekend ? m.weekend_bed_median_min : m.weekday_bed_median_min;
	const wake = weekend ? m.weekend_wake_median_min : m.weekday_wake_median_min;
	if (bed === null || wake === null) return null;
	return { bed: minutesToClock(bed), wake: minutesToClock(wake), weekend };
}

/** Initial times of a new entry: the medians when the day-type baseline is eligible. */
export function prefillTimes(p: Personalization | null, date: string): UsualTimes | null {
	if (!p?.metrics.day_type_timing_baseline.eligible) return null;
	return usualTimesFor(p, date);
}

function recommendedWithConfidence(p: Personalization, key: string): boolean {
	const r = p.recommendations.find((x) => x.action_key === key);
	return !!r && r.status === 'recommended' && (r.confidence === 'medium' || r.confidence === 'high');
}

/** The "Use your usual weekday/weekend times" button, when recommendation 2 allows it. */
export function usualTimesButton(p: Personalization | null, date: string): UsualTimes | null {
	if (!p || !recommendedWithConfidence(p, 'day_type_default_prefill')) return null;
	return usualTimesFor(p, date);
}

/** Minutes bounds outside which a duration is unusual. */
export interface DurationBounds {
	low: number;
	high: number;
	personal: boolean;
}

/** Personal p10/p90 when recommendation 1 allows it, else the static 2 h / 14 h bounds. */
export function durationBounds(p: Personalization | null): DurationBounds {
	const d = p?.metrics.duration_baseline;
	if (
		p &&
		d &&
		recommendedWithConfidence(p, 'personal_duration_warning_tuning') &&
		d.eligible &&
		d.p10_min !== null &&
		d.p90_min !== null
	) {
		return { low: d.p10_min, high: d.p90_min, personal: true };
	}
	return { low: 120, high: 840, personal: false };
}

/** The warning message when bed→wake is unusual, else null. */
export function unusualDurationMessage(bed: string, wake: string, p: Personalization | null): string | null {
	const minutes = clockDuration(bed, wake);
	const b = durationBounds(p);
	if (minutes >= b.low && minutes <= b.high) return null;
	const lasts = `This entry lasts ${formatDuration(minutes)}`;
	return b.personal
		? `${lasts}, outside your usual range of ${formatDuration(b.low)} to ${formatDuration(b.high)}. Save it anyway?`
		: `${lasts}, which is shorter than 2 hours or longer than 14 hours. Save it anyway?`;
}
