/**
 * Calendar and clock arithmetic for the UI.
 *
 * Dates are plain `YYYY-MM-DD` strings (civil dates, no zone) and clock times are minutes since
 * midnight. Dates are computed through UTC milliseconds so that daylight-saving changes in the
 * browser's zone can never shift a day. Nothing here formats for display: see format.ts.
 */

const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;
const NOON = 720;

/** Matches the wire format of a date; range and calendar validity are checked by isValidDate. */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** True for a real calendar date `YYYY-MM-DD` in the years 1900–2999 (the server's rule, SPEC §3.5). */
export function isValidDate(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const m = DATE_PATTERN.exec(value);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false;
	return d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds of the date's UTC midnight. The caller guarantees a valid date. */
function toUtcMs(date: string): number {
	const m = DATE_PATTERN.exec(date);
	if (!m) throw new Error(`invalid date ${date}`);
	return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtcMs(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** The date `days` days after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
	return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
	return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** Number of calendar dates in the inclusive range [from, to]. */
export function rangeLength(from: string, to: string): number {
	return daysBetween(from, to) + 1;
}

/** Every date of the inclusive range, oldest first. Empty when `from` is after `to`. */
export function datesInRange(from: string, to: string): string[] {
	const out: string[] = [];
	for (let ms = toUtcMs(from), end = toUtcMs(to); ms <= end; ms += DAY_MS) out.push(fromUtcMs(ms));
	return out;
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
	return new Date(toUtcMs(date)).getUTCDay();
}

/** Saturday and Sunday are the weekend, computed from the calendar date itself. */
export function isWeekend(date: string): boolean {
	const d = dayOfWeek(date);
	return d === 0 || d === 6;
}

/** The earlier of two dates (string order equals date order for this format). */
export function minDate(a: string, b: string): string {
	return a <= b ? a : b;
}

/** Today's date in an IANA zone; falls back to UTC when the zone is unknown to this browser. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit'
		}).formatToParts(now);
	} catch {
		return now.toISOString().slice(0, 10);
	}
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * Today's date in the browser's own zone, from the Date local-time getters. Unlike `todayIn` this
 * needs no `Intl` call: the first one pays ICU's start-up (≈ 25 ms, ≈ 100–220 ms on a throttled
 * phone), which must not delay the first paint (issue 11).
 */
export function localToday(now: Date = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The browser's IANA zone, as sent to the server by the time-zone sync (SPEC §8.7). */
export function browserTimeZone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Runs `task` once the page has loaded, `delayMs` later, when the main thread is idle: for work that
 * no one waits for (the time-zone sync), so it never competes with the first screens.
 */
export function afterLoadIdle(task: () => void, delayMs = 4000, timeoutMs = 4000): void {
	if (typeof document === 'undefined' || typeof window === 'undefined') {
		setTimeout(task, 0);
		return;
	}
	const start = () => setTimeout(() => idleAfterFrame(task, timeoutMs), delayMs);
	if (document.readyState === 'complete') start();
	else window.addEventListener('load', start, { once: true });
}

function idleAfterFrame(task: () => void, timeoutMs: number): void {
	if (typeof requestAnimationFrame !== 'function') {
		setTimeout(task, 0);
		return;
	}
	// The frame callback runs just before the paint; the idle callback after it.
	requestAnimationFrame(() => {
		if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: timeoutMs });
		else setTimeout(task, 0);
	});
}

/**
 * ISO-8601 week key `YYYY-Www` of a date (the week-based year can differ from the calendar year:
 * 2024-12-30 → 2025-W01). Matches the server's `bucket=week` keys.
 */
export function isoWeekKey(date: string): string {
	const ms = toUtcMs(date);
	const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0
	const thursday = ms + (3 - weekday) * DAY_MS; // the week belongs to the year of its Thursday
	const year = new Date(thursday).getUTCFullYear();
	const firstThursday = toUtcMs(`${year}-01-04`);
	const firstWeekday = (new Date(firstThursday).getUTCDay() + 6) % 7;
	const week1Monday = firstThursday - firstWeekday * DAY_MS;
	const week = Math.floor((thursday - week1Monday) / (7 * DAY_MS)) + 1;
	return `${year}-W${String(week).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Clock times

/** True for `HH:MM` or `HH:MM:SS` with a valid hour, minute and second. */
export function isValidClock(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const m = CLOCK_PATTERN.exec(value.trim());
	if (!m) return false;
	return Number(m[1]) < 24 && Number(m[2]) < 60 && (m[3] === undefined || Number(m[3]) < 60);
}

/** Minutes since midnight of a clock time (seconds ignored, as in SPEC §7.3). */
export function clockToMinutes(clock: string): number {
	const m = CLOCK_PATTERN.exec(clock.trim());
	if (!m) throw new Error(`invalid clock time ${clock}`);
	return Number(m[1]) * 60 + Number(m[2]);
}

/** Positive remainder: the result is always in [0, modulus). */
export function euclideanMod(value: number, modulus: number): number {
	const r = value % modulus;
	return r < 0 ? r + modulus : r;
}

/** `HH:MM` for minutes since midnight; wraps past 24 h and rounds to the nearest minute. */
export function minutesToClock(minutes: number): string {
	const total = euclideanMod(Math.round(minutes), MINUTES_PER_DAY);
	const h = Math.floor(total / 60);
	const m = total % 60;
	return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** `HH:MM` from a wire time (`HH:MM:SS` or `HH:MM`). */
export function clockHHMM(clock: string): string {
	return clock.trim().slice(0, 5);
}

/** The wire form `HH:MM:00` of an `HH:MM` input value. */
export function toWireClock(hhmm: string): string {
	return hhmm.length === 5 ? `${hhmm}:00` : hhmm;
}

/**
 * Minutes slept from bed to wake by the wall clock, wrapping at midnight: a bed time later than the
 * wake time crosses midnight; equal times give 0 (SPEC §8.11). Ignores daylight-saving changes.
 */
export function clockDuration(bed: string, wake: string): number {
	return euclideanMod(clockToMinutes(wake) - clockToMinutes(bed), MINUTES_PER_DAY);
}

/** True when the bed time lies on the previous calendar day (full times compared, SPEC §6.1). */
export function crossesMidnight(bed: string, wake: string): boolean {
	return normalizeSeconds(bed) > normalizeSeconds(wake);
}

function normalizeSeconds(clock: string): string {
	const c = clock.trim();
	return c.length === 5 ? `${c}:00` : c;
}

/**
 * Minutes of the bed time relative to midnight of the wake date: negative when the session began the
 * evening before. Sorting by this orders sessions of one wake date by their bed datetime.
 */
export function bedRelativeMinutes(bed: string, wake: string): number {
	const b = clockToMinutes(bed);
	return crossesMidnight(bed, wake) ? b - MINUTES_PER_DAY : b;
}

/** Anything with a bed time, a wake time and an id: a stored session. */
export interface TimedEntry {
	id: number;
	bed_time: string;
	wake_time: string;
}

/** Order sessions of one wake date by bed datetime, then id (SPEC §8.9). */
export function compareByBedTime(a: TimedEntry, b: TimedEntry): number {
	const byBed = bedRelativeMinutes(a.bed_time, a.wake_time) - bedRelativeMinutes(b.bed_time, b.wake_time);
	if (byBed !== 0) return byBed;
	const bySeconds = secondsOf(a.bed_time) - secondsOf(b.bed_time);
	return bySeconds !== 0 ? bySeconds : a.id - b.id;
}

function secondsOf(clock: string): number {
	const m = CLOCK_PATTERN.exec(clock.trim());
	return m?.[3] ? Number(m[3]) : 0;
}

/** One filled part of a 24-hour sleep bar, in minutes since midnight (0 ≤ start < end ≤ 1440). */
export interface BarSegment {
	start: number;
	end: number;
}

/**
 * Filled parts of a 00:00–24:00 sleep bar: a session that crosses midnight is drawn as
 * [00:00, wake] and [bed, 24:00]; equal times fill nothing.
 */
export function sleepBarSegments(bed: string, wake: string): BarSegment[] {
	const b = clockToMinutes(bed);
	const w = clockToMinutes(wake);
	if (crossesMidnight(bed, wake)) {
		const parts: BarSegment[] = [];
		if (w > 0) parts.push({ start: 0, end: w });
		parts.push({ start: b, end: MINUTES_PER_DAY });
		return parts;
	}
	return w > b ? [{ start: b, end: w }] : [];
}

// ---------------------------------------------------------------------------------------------
// The wrapped (noon-anchored) clock used by the trends chart

/**
 * Position of a clock time on the wrapped axis that runs from 12:00 to 12:00 the next day: values
 * before noon get +24 h, so 23:30 (1410) and 00:15 (1455) sit next to each other.
 */
export function wrapAtNoon(minutes: number): number {
	const m = euclideanMod(minutes, MINUTES_PER_DAY);
	return m < NOON ? m + MINUTES_PER_DAY : m;
}

/** Lower and upper bounds of the wrapped axis in minutes (12:00 → 36:00, shown as 12:00 → 12:00). */
export const WRAPPED_AXIS = { min: NOON, max: NOON + MINUTES_PER_DAY } as const;

/** Tick label `HH:MM` for a wrapped-axis value. */
export function wrappedTickLabel(value: number): string {
	return minutesToClock(value);
}

/** Arithmetic mean, or null for an empty list. */
export function mean(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	let sum = 0;
	for (const v of values) sum += v;
	return sum / values.length;
}
