/**
 * The dashboard's view of the nights (SPEC §15.4): the "Last night" card's session, the bars of the
 * 14-night chart on a clock axis from 18:00 to 14:00, and the folding of dates without entries into
 * one row per run. Pure, unit-tested.
 */
import type { SleepSession } from './api';
import { mainSessions } from './quicklog';
import { clockDuration, clockToMinutes, euclideanMod } from './time';

/** The axis starts at 18:00 and spans 20 hours, to 14:00. */
export const AXIS_START_MIN = 18 * 60;
export const AXIS_SPAN_MIN = 20 * 60;
/** Grid lines and labels every three hours; the axis ends at 14:00 without a label of its own. */
export const AXIS_TICKS = ['18:00', '21:00', '00:00', '03:00', '06:00', '09:00', '12:00'];

/** Position of a clock time on the axis, in minutes after 18:00 (0–1440). */
export function axisPosition(clock: string): number {
	return euclideanMod(clockToMinutes(clock) - AXIS_START_MIN, 1440);
}

/** One bar of the chart, in axis minutes, clipped to the axis. */
export interface NightBar {
	id: number;
	start: number;
	end: number;
	/** The date's main (longest) session; the others are naps, drawn thinner. */
	main: boolean;
}

/**
 * The bars of one date's sessions. A bar runs from bed for the session's clock duration, so a night
 * crossing midnight stays one bar; a session that starts between 14:00 and 18:00 (an afternoon nap)
 * starts before the axis and is clipped at 18:00.
 */
export function nightBars(sessions: readonly SleepSession[]): NightBar[] {
	const main = mainSessions(sessions)[0];
	const bars: NightBar[] = [];
	for (const s of sessions) {
		let start = axisPosition(s.bed_time);
		if (start >= AXIS_SPAN_MIN) start -= 1440;
		const end = start + clockDuration(s.bed_time, s.wake_time);
		const clippedStart = Math.max(0, Math.min(AXIS_SPAN_MIN, start));
		const clippedEnd = Math.max(0, Math.min(AXIS_SPAN_MIN, end));
		if (clippedEnd <= clippedStart) continue;
		bars.push({ id: s.id, start: clippedStart, end: clippedEnd, main: s.id === main?.id });
	}
	return bars;
}

/** The most recent date's main session: the "Last night" card. */
export function lastNight(sessions: readonly SleepSession[]): SleepSession | null {
	let latest: string | null = null;
	for (const s of sessions) if (latest === null || s.date > latest) latest = s.date;
	if (latest === null) return null;
	return mainSessions(sessions.filter((s) => s.date === latest))[0] ?? null;
}

/** A row of the dashboard list: a day with entries, or a run of days without any. */
export type DayRow = { kind: 'day'; date: string } | { kind: 'gap'; from: string; to: string; count: number };

/**
 * Folds the runs of dates (given newest first) that have no entry at all (no session, note or
 * exercise) into one row each, keeping the order. `from` is the run's oldest date.
 */
export function foldDays(datesNewestFirst: readonly string[], hasEntry: (date: string) => boolean): DayRow[] {
	const rows: DayRow[] = [];
	for (const date of datesNewestFirst) {
		if (hasEntry(date)) {
			rows.push({ kind: 'day', date });
			continue;
		}
		const last = rows.at(-1);
		if (last?.kind === 'gap') {
			last.from = date;
			last.count++;
		} else {
			rows.push({ kind: 'gap', from: date, to: date, count: 1 });
		}
	}
	return rows;
}

/** "1 day not logged", "3 days not logged". */
export function gapLabel(count: number): string {
	return `${count} ${count === 1 ? 'day' : 'days'} not logged`;
}
