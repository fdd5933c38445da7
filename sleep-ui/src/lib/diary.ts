/**
 * Pure helpers for the diary pages (dashboard and day view): the 14-day window, grouping and the
 * summary figures. Kept out of the components so they are unit-tested.
 */
import type { SleepSession } from './api';
import { formatDateRange, formatShortDateWithYear } from './format';
import { addDays, clockHHMM, compareByBedTime, isValidDate, mean, minDate } from './time';

/** Days shown by the dashboard. */
export const DASHBOARD_DAYS = 14;

/** An inclusive date range. */
export interface DateRange {
	from: string;
	to: string;
}

/**
 * The dashboard window (SPEC §8.9): `to` from the query, else `from` + 13 days, else today; never
 * after today; `from` = `to` − 13 days. Invalid parameters are ignored.
 */
export function dashboardWindow(params: { to?: string | null; from?: string | null }, today: string): DateRange {
	let to = today;
	if (isValidDate(params.to)) to = params.to;
	else if (isValidDate(params.from)) to = addDays(params.from, DASHBOARD_DAYS - 1);
	to = minDate(to, today);
	return { from: addDays(to, -(DASHBOARD_DAYS - 1)), to };
}

/** "Last 14 days" when the window ends today, else the real range ("3 Jun – 16 Jun 2025"). */
export function dashboardHeading(range: DateRange, today: string): string {
	return range.to === today ? `Last ${DASHBOARD_DAYS} days` : formatDateRange(range.from, range.to);
}

/** Sessions grouped by wake date, each group ordered by bed datetime then id. */
export function groupByDate(sessions: readonly SleepSession[]): Map<string, SleepSession[]> {
	const groups = new Map<string, SleepSession[]>();
	for (const s of sessions) {
		const list = groups.get(s.date);
		if (list) list.push(s);
		else groups.set(s.date, [s]);
	}
	for (const list of groups.values()) list.sort(compareByBedTime);
	return groups;
}

/** Summary figures over a set of sessions; null where there is no data. */
export interface SessionSummary {
	sessions: number;
	/** Distinct wake dates with at least one session. */
	nights: number;
	totalMin: number;
	/** Total ÷ nights logged. */
	avgPerNightMin: number | null;
	/** Mean of session qualities (not rounded). */
	avgQuality: number | null;
	/** Mean latency in whole minutes (rounded). */
	avgLatencyMin: number | null;
	awakenings: number;
}

/** The dashboard's and day view's summary figures. */
export function summarize(sessions: readonly SleepSession[]): SessionSummary {
	const n = sessions.length;
	const nights = new Set(sessions.map((s) => s.date)).size;
	let total = 0;
	// Imported nights may lack quality, latency or awakenings (SPEC §12.1): skip them, never count 0.
	const quality: number[] = [];
	const latency: number[] = [];
	let awakenings = 0;
	for (const s of sessions) {
		total += s.duration_min;
		if (s.quality !== null) quality.push(s.quality);
		if (s.latency_min !== null) latency.push(s.latency_min);
		if (s.awakenings !== null) awakenings += s.awakenings;
	}
	const avgLatency = mean(latency);
	return {
		sessions: n,
		nights,
		totalMin: total,
		avgPerNightMin: nights > 0 ? total / nights : null,
		avgQuality: mean(quality),
		avgLatencyMin: avgLatency === null ? null : Math.round(avgLatency),
		awakenings
	};
}

/** The label of an intensity chip. */
export function intensityLabel(intensity: 'none' | 'light' | 'hard'): string {
	return intensity === 'none' ? 'No exercise' : `Exercise: ${intensity}`;
}

/** The confirmation shown before a session is deleted (dashboard, day view, edit page). */
export function deleteSessionPrompt(session: Pick<SleepSession, 'date' | 'bed_time' | 'wake_time'>) {
	return {
		title: 'Delete this entry?',
		message: `The session from ${clockHHMM(session.bed_time)} to ${clockHHMM(session.wake_time)} on ${formatShortDateWithYear(session.date)} will be removed. This can't be undone.`,
		confirmLabel: 'Delete',
		destructive: true
	};
}

/** Number of characters as the server counts them (Unicode code points). */
export function characterCount(text: string): number {
	return Array.from(text).length;
}

/** Longest note body, in characters. */
export const NOTE_MAX_CHARS = 1000;
