/**
 * Geometry of the double-plotted actogram of the trends "Timeline" view (SPEC §12.6): one row per
 * date of the range, oldest at the top and newest at the bottom; each row is 48 hours wide, showing
 * its date and the next, so a night that crosses midnight stays in one piece and every day appears
 * twice (on the right of its own row's predecessor and on the left of its own row).
 *
 * Times are naive local minutes on the night's timeline, as in SPEC §6.3: a session whose bed time is
 * later than its wake time began on the day before its wake date.
 */
import { addDays, clockToMinutes, crossesMidnight, daysBetween, datesInRange, minDate, rangeLength } from './time';

/** Minutes in one actogram row (two days). */
export const ROW_MINUTES = 2880;
/** Longest range the timeline draws (the SRI's own limit, SPEC §12.5). */
export const TIMELINE_MAX_DAYS = 366;
/** Longest span of one `GET /api/sleep/range` call (SPEC §5.14). */
export const SLEEP_RANGE_MAX_DAYS = 62;

/** What the actogram needs of a session. */
export interface TimelineSession {
	date: string;
	bed_time: string;
	wake_time: string;
}

/** A sleep bar inside a row: minutes from the row's start (00:00 of its date), 0 ≤ start < end ≤ 2880. */
export interface RowSegment {
	start: number;
	end: number;
}

/** One row: its date and the bars in it. */
export interface ActogramRow {
	date: string;
	segments: RowSegment[];
}

/** A session as an interval of absolute naive minutes, counted from 00:00 of `origin`. */
export function sessionInterval(s: TimelineSession, origin: string): { start: number; end: number } {
	const bedDate = crossesMidnight(s.bed_time, s.wake_time) ? addDays(s.date, -1) : s.date;
	const start = daysBetween(origin, bedDate) * 1440 + clockToMinutes(s.bed_time);
	const end = daysBetween(origin, s.date) * 1440 + clockToMinutes(s.wake_time);
	return { start, end };
}

/**
 * The rows of the range `[from, to]`: row `d` covers 00:00 of `d` to 24:00 of `d` + 1, and holds every
 * part of a session that falls in it. Sessions outside the rows are ignored; empty sessions too.
 */
export function actogramRows(from: string, to: string, sessions: readonly TimelineSession[]): ActogramRow[] {
	const intervals = sessions.map((s) => sessionInterval(s, from)).filter((i) => i.end > i.start);
	return datesInRange(from, to).map((date, index) => {
		const rowStart = index * 1440;
		const rowEnd = rowStart + ROW_MINUTES;
		const segments: RowSegment[] = [];
		for (const i of intervals) {
			const start = Math.max(i.start, rowStart);
			const end = Math.min(i.end, rowEnd);
			if (end > start) segments.push({ start: start - rowStart, end: end - rowStart });
		}
		segments.sort((a, b) => a.start - b.start);
		return { date, segments };
	});
}

/** Wake dates whose sessions can reach the rows of `[from, to]`: up to `to` + 1 (a night that starts on row `to`'s second day). */
export function sessionDatesFor(from: string, to: string): { from: string; to: string } {
	return { from, to: addDays(to, 1) };
}

/** Splits a date range into consecutive chunks of at most `maxDays` days (for `GET /api/sleep/range`). */
export function chunkRange(from: string, to: string, maxDays = SLEEP_RANGE_MAX_DAYS): { from: string; to: string }[] {
	const chunks: { from: string; to: string }[] = [];
	for (let start = from; start <= to; start = addDays(start, maxDays)) {
		chunks.push({ from: start, to: minDate(addDays(start, maxDays - 1), to) });
	}
	return chunks;
}

/** Pixel layout of the SVG. */
export interface ActogramLayout {
	width: number;
	height: number;
	/** Left edge of the plot (after the date labels) and its width. */
	left: number;
	plotWidth: number;
	top: number;
	rowHeight: number;
	/** x of a row minute. */
	x: (minute: number) => number;
	/** Hour ticks along the top: every 6 h, labelled `00`, `06`, … */
	hourTicks: { minute: number; x: number; label: string }[];
	/** Rows whose date is labelled (every row when rows are tall enough, else every 7th from the newest). */
	labelEvery: number;
}

/** Row height for a number of rows: roomy for a month, compact for a year. */
export function rowHeightFor(rows: number): number {
	if (rows <= 31) return 20;
	if (rows <= 92) return 10;
	return 5;
}

/** Lays the actogram out in a box `width` pixels wide. */
export function actogramLayout(rows: number, width: number): ActogramLayout {
	const left = 60;
	const right = 8;
	const top = 22;
	const rowHeight = rowHeightFor(rows);
	const plotWidth = Math.max(0, width - left - right);
	const x = (minute: number) => Math.round((left + (minute / ROW_MINUTES) * plotWidth) * 10) / 10;
	// Narrow screens keep every 12 h only.
	const tickStep = plotWidth >= 480 ? 360 : 720;
	const hourTicks: ActogramLayout['hourTicks'] = [];
	for (let m = 0; m <= ROW_MINUTES; m += tickStep) {
		hourTicks.push({ minute: m, x: x(m), label: String((m / 60) % 24).padStart(2, '0') });
	}
	return {
		width,
		height: top + rows * rowHeight + 4,
		left,
		plotWidth,
		top,
		rowHeight,
		x,
		hourTicks,
		labelEvery: rowHeight >= 14 ? 1 : 7
	};
}

/** The text alternative: range, nights logged and the SRI (or why there is none). */
export function actogramSummary(rangeText: string, rows: readonly ActogramRow[], sessions: readonly TimelineSession[], sri: number | null): string {
	const dates = new Set(rows.map((r) => r.date));
	const logged = new Set(sessions.filter((s) => dates.has(s.date)).map((s) => s.date)).size;
	const nights = logged === 1 ? '1 night logged' : `${logged} nights logged`;
	const index = sri === null ? 'Sleep Regularity Index not available' : `Sleep Regularity Index ${sri.toFixed(1)}`;
	return `Sleep timeline, ${rangeText}: ${rows.length} days, ${nights}. ${index}.`;
}

/** True when the range is short enough for the timeline. */
export function timelineFits(from: string, to: string): boolean {
	return rangeLength(from, to) <= TIMELINE_MAX_DAYS;
}
