/**
 * Display formatting. English only, 24-hour clock, no dependence on the browser's locale so the same
 * data always reads the same way (and tests are deterministic).
 */
import { clockHHMM } from './time';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December'
];

/** Shown wherever a value is missing. */
export const NO_VALUE = '—';

interface DateParts {
	year: number;
	month: number; // 1–12
	day: number;
	weekday: number; // 0 = Sunday
}

function partsOf(date: string): DateParts {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return { year: y, month: m, day: d, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

function shortMonth(month: number): string {
	return MONTHS[month - 1]!.slice(0, 3);
}

/** `Mon 16 Jun` — dates on cards. */
export function formatShortDate(date: string): string {
	const p = partsOf(date);
	return `${WEEKDAYS[p.weekday]!.slice(0, 3)} ${p.day} ${shortMonth(p.month)}`;
}

/** `Mon 16 Jun 2025` — a short date that names its year (confirmation dialogs). */
export function formatShortDateWithYear(date: string): string {
	return `${formatShortDate(date)} ${partsOf(date).year}`;
}

/** `Monday 16 June 2025` — page headings. */
export function formatLongDate(date: string): string {
	const p = partsOf(date);
	return `${WEEKDAYS[p.weekday]} ${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}

/** `16 Jun` or `16 Jun 2025`. */
function dayMonth(date: string, withYear: boolean): string {
	const p = partsOf(date);
	return `${p.day} ${shortMonth(p.month)}${withYear ? ` ${p.year}` : ''}`;
}

/** `16 Jun` — chart axis labels. */
export function formatDayMonth(date: string): string {
	return dayMonth(date, false);
}

/** `3 Jun – 16 Jun 2025`; both years when they differ (`28 Dec 2024 – 10 Jan 2025`). */
export function formatDateRange(from: string, to: string): string {
	const sameYear = partsOf(from).year === partsOf(to).year;
	return `${dayMonth(from, !sameYear)} – ${dayMonth(to, true)}`;
}

/** `2025-06-03 – 2025-06-16`. */
export function formatIsoRange(from: string, to: string): string {
	return `${from} – ${to}`;
}

/** `7h 25m`, `8h`, `45m`, `0m` — durations on cards (rounded to the minute). */
export function formatDuration(minutes: number): string {
	const total = Math.max(0, Math.round(minutes));
	const h = Math.floor(total / 60);
	const m = total % 60;
	if (h === 0) return `${m}m`;
	return m === 0 ? `${h}h` : `${h}h ${m}m`;
}

/** `7:25` — durations in trends (`H:MM`, rounded to the minute). */
export function formatHoursMinutes(minutes: number): string {
	const total = Math.max(0, Math.round(minutes));
	return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** `22:00–06:00` from wire times. */
export function formatTimeRange(bed: string, wake: string): string {
	return `${clockHHMM(bed)}–${clockHHMM(wake)}`;
}

/** One decimal (`3.5`, `4.0`), or `—` for null. */
export function formatOneDecimal(value: number | null): string {
	return value === null || !Number.isFinite(value) ? NO_VALUE : value.toFixed(1);
}

/** `1 session`, `3 sessions`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
	return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** The first letter in upper case: server messages are shown as sentences. */
export function capitalize(text: string): string {
	return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** `+12` for positive values, `-5` and `0` otherwise (the sign only when positive). */
export function signed(value: number, digits = 0): string {
	const text = value.toFixed(digits);
	const isZero = Number(text) === 0;
	return value > 0 && !isZero ? `+${text}` : isZero ? (0).toFixed(digits) : text;
}

/** A percentage without decimals: `12%`. */
export function formatPercent(value: number): string {
	return `${Math.round(value)}%`;
}

/** `Slept 22:00 to 06:00` — accessible name of a sleep bar. */
export function sleepBarLabel(bed: string, wake: string): string {
	return `Slept ${clockHHMM(bed)} to ${clockHHMM(wake)}`;
}
