/**
 * The clinical diary's display logic (SPEC §12.2–12.4, §12.6): the table of the /diary page in the
 * column order of the CSV, the weekly summaries and their flags in plain words, the sleep-efficiency
 * chart's geometry, the sleep window's texts and the day view's diary facts. Pure functions over the
 * API's shapes, unit-tested; the components only lay them out.
 */
import type { DiaryFlag, DiaryNight, DiarySummary, Intensity, SleepSession, SleepWindowStatus } from './api';
import { formatDuration, formatHoursMinutes, formatShortDate } from './format';
import { clockHHMM } from './time';

/** Nights on one page of the diary: two weeks, as a clinician reviews them. */
export const DIARY_DAYS = 14;

// ---------------------------------------------------------------------------------------------
// The table: the CSV's columns, in the CSV's order (SPEC §12.3)

/** One column of the diary table. `key` is the CSV header; `title` spells out the short header. */
export interface DiaryColumn {
	key: string;
	header: string;
	title: string;
	/** Numbers are right-aligned; text columns (medication) may wrap. */
	numeric: boolean;
}

/** The twenty columns of the diary CSV, in order, with the headers the table shows. */
export const DIARY_COLUMNS: DiaryColumn[] = [
	{ key: 'date', header: 'Date', title: 'Date (the morning you woke up)', numeric: false },
	{ key: 'in_bed_time', header: 'In bed', title: 'Got into bed', numeric: true },
	{ key: 'bed_time', header: 'Lights out', title: 'Tried to fall asleep', numeric: true },
	{ key: 'latency_min', header: 'SOL', title: 'Minutes to fall asleep (sleep onset latency)', numeric: true },
	{ key: 'awakenings', header: 'Wakes', title: 'Number of awakenings, not counting the final one', numeric: true },
	{ key: 'waso_min', header: 'WASO', title: 'Minutes awake during the night (wake after sleep onset)', numeric: true },
	{ key: 'wake_time', header: 'Final wake', title: 'Final awakening', numeric: true },
	{ key: 'out_of_bed_time', header: 'Out of bed', title: 'Got out of bed', numeric: true },
	{ key: 'quality', header: 'Quality', title: 'Sleep quality, 1 very poor to 5 very good', numeric: true },
	{ key: 'rested', header: 'Rested', title: 'Rested on waking, 1 not at all to 5 very well', numeric: true },
	{ key: 'tib_min', header: 'TIB', title: 'Time in bed (hours:minutes)', numeric: true },
	{ key: 'tst_min', header: 'TST', title: 'Total sleep time (hours:minutes)', numeric: true },
	{ key: 'se_pct', header: 'SE %', title: 'Sleep efficiency: total sleep time ÷ time in bed', numeric: true },
	{ key: 'naps_count', header: 'Naps', title: 'Number of naps', numeric: true },
	{ key: 'naps_min', header: 'Nap min', title: 'Minutes napped', numeric: true },
	{ key: 'alcohol_drinks', header: 'Alcohol', title: 'Alcoholic drinks the evening before', numeric: true },
	{ key: 'caffeine_drinks', header: 'Caffeine', title: 'Caffeinated drinks the day before', numeric: true },
	{ key: 'medication', header: 'Medication', title: 'Sleep medication (name, dose, time)', numeric: false },
	{ key: 'exercise_intensity', header: 'Exercise', title: 'Exercise intensity', numeric: false },
	{ key: 'notes', header: 'Notes', title: 'Number of notes of the day', numeric: true }
];

const INTENSITY_LABELS: Record<Intensity, string> = { none: 'None', light: 'Light', hard: 'Hard' };

function num(value: number | null | undefined): string {
	return value === null || value === undefined ? '' : String(value);
}

function clock(value: string | null | undefined): string {
	return value ? clockHHMM(value) : '';
}

/**
 * The cells of one night in column order. A date without a session has empty session cells; the
 * naps cells are then empty too (a count of 0 only where there is a night to count naps against).
 * Exercise and notes are shown whenever they exist, since they belong to the date, not the session.
 */
export function nightCells(night: DiaryNight): string[] {
	const m = night.main;
	const byKey: Record<string, string> = {
		date: formatShortDate(night.date),
		in_bed_time: clock(m?.in_bed_time),
		bed_time: clock(m?.bed_time),
		latency_min: num(m?.latency_min),
		awakenings: num(m?.awakenings),
		waso_min: num(m?.waso_min),
		wake_time: clock(m?.wake_time),
		out_of_bed_time: clock(m?.out_of_bed_time),
		quality: num(m?.quality),
		rested: num(m?.rested),
		tib_min: m ? formatHoursMinutes(m.tib_min) : '',
		tst_min: m ? formatHoursMinutes(m.tst_min) : '',
		se_pct: m && m.se_pct !== null ? m.se_pct.toFixed(1) : '',
		naps_count: m || night.naps.count > 0 ? String(night.naps.count) : '',
		naps_min: m || night.naps.count > 0 ? String(night.naps.minutes) : '',
		alcohol_drinks: num(m?.alcohol_drinks),
		caffeine_drinks: num(m?.caffeine_drinks),
		medication: m?.medication ?? '',
		exercise_intensity: night.exercise_intensity ? INTENSITY_LABELS[night.exercise_intensity] : '',
		notes: night.notes > 0 ? String(night.notes) : ''
	};
	return DIARY_COLUMNS.map((c) => byKey[c.key] ?? '');
}

/** The nights of a week block, oldest first (the diary reads like a paper diary, top to bottom). */
export function nightsOfWeek(nights: readonly DiaryNight[], week: { from: string; to: string }): DiaryNight[] {
	return nights.filter((n) => n.date >= week.from && n.date <= week.to).sort((a, b) => (a.date < b.date ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// Summaries and flags

/** A summary figure: label and the value as shown, or null when no night contributes. */
export interface SummaryFigure {
	key: string;
	label: string;
	value: string | null;
}

function minutes(value: number | null): string | null {
	return value === null ? null : `${value.toFixed(1)} min`;
}

function duration(value: number | null): string | null {
	return value === null ? null : formatDuration(value);
}

function oneDecimal(value: number | null): string | null {
	return value === null ? null : value.toFixed(1);
}

/** The figures of a weekly (or range) summary, in the order a clinician reads them. */
export function summaryFigures(s: DiarySummary): SummaryFigure[] {
	return [
		{ key: 'nights', label: 'Nights', value: String(s.nights) },
		{ key: 'tib', label: 'Time in bed', value: duration(s.tib_min) },
		{ key: 'tst', label: 'Total sleep', value: duration(s.tst_min) },
		{ key: 'se', label: 'Sleep efficiency', value: s.se_pct === null ? null : `${s.se_pct.toFixed(1)}%` },
		{ key: 'sol', label: 'Time to fall asleep', value: minutes(s.sol_min) },
		{ key: 'waso', label: 'Awake during the night', value: minutes(s.waso_min) },
		{ key: 'awakenings', label: 'Awakenings', value: oneDecimal(s.awakenings) },
		{ key: 'terminal', label: 'In bed after waking', value: minutes(s.terminal_wake_min) },
		{ key: 'quality', label: 'Quality', value: oneDecimal(s.quality) },
		{ key: 'rested', label: 'Rested', value: oneDecimal(s.rested) },
		{ key: 'naps', label: 'Naps per week', value: s.naps_per_week.toFixed(1) }
	];
}

/** Each flag of SPEC §12.3 in plain words. */
export const FLAG_TEXT: Record<DiaryFlag, string> = {
	se_below_85: 'Sleep efficiency was below 85%: more than 15% of the time in bed was spent awake.',
	sol_over_30: 'Falling asleep took more than 30 minutes on average.',
	waso_over_30: 'Time awake during the night averaged more than 30 minutes.'
};

/** Shown with the flags: they are research markers, not a diagnosis (SPEC §12.3). */
export const FLAGS_NOTE =
	'These markers are used in sleep research to describe insomnia. They are information, not a diagnosis: talk to a doctor or sleep clinician about what they mean for you.';

/** The plain-language lines of a summary's flags; a sentence of its own when none holds. */
export function flagLines(s: DiarySummary): string[] {
	if (s.nights === 0) return ['No nights logged in this week.'];
	if (s.flags.length === 0) return ['None of the three insomnia markers applies to this week.'];
	return s.flags.map((f) => FLAG_TEXT[f]);
}

/** `Week of 3 Jun – 9 Jun`: the heading of a week block. */
export function weekHeading(week: { from: string; to: string }): string {
	return `${formatShortDate(week.from)} – ${formatShortDate(week.to)}`;
}

// ---------------------------------------------------------------------------------------------
// The sleep-efficiency line chart (SVG, no chart library)

/** Everything the SVG needs, in pixels. */
export interface EfficiencyGeometry {
	width: number;
	height: number;
	plot: { left: number; right: number; top: number; bottom: number };
	/** Points of nights with a value. */
	points: { date: string; x: number; y: number; value: number }[];
	/** One `d` attribute per run of consecutive nights with a value (a missing night breaks the line). */
	paths: string[];
	yTicks: { value: number; y: number; label: string }[];
	/** Date labels (every date when they fit, else every other or every seventh). */
	xTicks: { date: string; x: number; label: string }[];
	/** The 85% line of the efficiency flag. */
	threshold: { value: number; y: number };
	yMin: number;
}

/** Where the SE axis starts: 50%, or lower (in steps of 10) when a night was lower still. */
export function efficiencyAxisMin(values: readonly (number | null)[]): number {
	let min = 50;
	for (const v of values) if (v !== null && v < min) min = Math.floor(v / 10) * 10;
	return Math.max(0, min);
}

/** Lays out the chart of one value per date (ascending) in a `width` × `height` box. */
export function efficiencyGeometry(
	dates: readonly string[],
	values: readonly (number | null)[],
	width: number,
	height: number
): EfficiencyGeometry {
	// Room on the right for half of the newest date's label, which is centred on its point.
	const plot = { left: 40, right: width - 24, top: 10, bottom: height - 26 };
	const yMin = efficiencyAxisMin(values);
	const n = dates.length;
	const step = n > 1 ? (plot.right - plot.left) / (n - 1) : 0;
	const xOf = (i: number) => (n > 1 ? plot.left + i * step : (plot.left + plot.right) / 2);
	const yOf = (v: number) => plot.bottom - ((v - yMin) / (100 - yMin)) * (plot.bottom - plot.top);
	const round = (v: number) => Math.round(v * 10) / 10;

	const points: EfficiencyGeometry['points'] = [];
	const paths: string[] = [];
	let run: string[] = [];
	dates.forEach((date, i) => {
		const v = values[i] ?? null;
		if (v === null) {
			if (run.length > 1) paths.push(run.join(' '));
			run = [];
			return;
		}
		const x = round(xOf(i));
		const y = round(yOf(v));
		points.push({ date, x, y, value: v });
		run.push(`${run.length === 0 ? 'M' : 'L'}${x} ${y}`);
	});
	if (run.length > 1) paths.push(run.join(' '));

	const tickStep = 100 - yMin > 50 ? 25 : 10;
	const yTicks: EfficiencyGeometry['yTicks'] = [];
	for (let v = 100; v >= yMin; v -= tickStep) yTicks.push({ value: v, y: round(yOf(v)), label: `${v}%` });

	// A label needs about 44 px; thin them out on narrow screens.
	const every = step >= 44 ? 1 : step >= 22 ? 2 : 7;
	const xTicks: EfficiencyGeometry['xTicks'] = [];
	dates.forEach((date, i) => {
		if ((n - 1 - i) % every === 0) xTicks.push({ date, x: round(xOf(i)), label: shortDayMonth(date) });
	});

	return { width, height, plot, points, paths, yTicks, xTicks, threshold: { value: 85, y: round(yOf(85)) }, yMin };
}

function shortDayMonth(date: string): string {
	// "Mon 16 Jun" → "16 Jun": the weekday is in the table.
	return formatShortDate(date).slice(4);
}

/** The chart's accessible name: range, nights with a value and their mean. */
export function efficiencyLabel(rangeText: string, values: readonly (number | null)[]): string {
	const known = values.filter((v): v is number => v !== null);
	if (known.length === 0) return `Sleep efficiency per night, ${rangeText}: no nights logged`;
	const avg = known.reduce((a, b) => a + b, 0) / known.length;
	const nights = known.length === 1 ? '1 night' : `${known.length} nights`;
	return `Sleep efficiency per night, ${rangeText}: ${nights}, from ${Math.min(...known).toFixed(1)}% to ${Math.max(...known).toFixed(1)}%, average ${avg.toFixed(1)}%`;
}

// ---------------------------------------------------------------------------------------------
// Sleep window (SPEC §12.4)

/** `5h 45m` for a window length. */
export function windowLength(minutes: number): string {
	return formatDuration(minutes);
}

/** `+15 min`, `−15 min`, `no change`. */
export function changeText(change: number | null): string | null {
	if (change === null) return null;
	if (change === 0) return 'no change';
	return `${change > 0 ? '+' : '−'}${Math.abs(change)} min`;
}

/**
 * Whether "Use this window" applies: there is a recommendation and storing it changes something.
 * Storing an unchanged window would only restart its week (`since` = today), so it is not offered.
 */
export function canAdoptRecommendation(status: SleepWindowStatus): boolean {
	const r = status.recommendation;
	if (!r) return false;
	const c = status.current;
	if (!c) return true;
	return r.window_min !== c.window_min || clockHHMM(r.wake_time) !== clockHHMM(c.wake_time);
}

/** The reason as a sentence (the API's text starts in lower case). */
export function sentence(text: string): string {
	const t = text.trim();
	if (t === '') return t;
	const first = t[0]!.toUpperCase() + t.slice(1);
	return /[.!?]$/.test(first) ? first : `${first}.`;
}

// ---------------------------------------------------------------------------------------------
// The day view's diary facts

/** One labelled value of the day view; null reads "not recorded". */
export interface Fact {
	key: string;
	label: string;
	value: string | null;
}

/** The diary items of a session and its derived values (SPEC §12.1–12.2), for the day view. */
export function sessionDiaryFacts(s: SleepSession): { title: string; items: Fact[] }[] {
	const count = (v: number | null, one: string, many: string) => (v === null ? null : `${v} ${v === 1 ? one : many}`);
	return [
		{
			title: 'Sleep diary details',
			items: [
				{ key: 'in-bed', label: 'Got into bed', value: s.in_bed_time ? clockHHMM(s.in_bed_time) : null },
				{ key: 'waso', label: 'Minutes awake during the night', value: s.waso_min === null ? null : `${s.waso_min} min` },
				{ key: 'out-of-bed', label: 'Got out of bed', value: s.out_of_bed_time ? clockHHMM(s.out_of_bed_time) : null },
				{ key: 'rested', label: 'Rested on waking', value: s.rested === null ? null : `${s.rested} of 5` },
				{ key: 'alcohol', label: 'Alcoholic drinks', value: count(s.alcohol_drinks, 'drink', 'drinks') },
				{ key: 'caffeine', label: 'Caffeinated drinks', value: count(s.caffeine_drinks, 'drink', 'drinks') },
				{ key: 'medication', label: 'Sleep medication', value: s.medication }
			]
		},
		{
			title: 'Computed from this night',
			items: [
				{ key: 'tib', label: 'Time in bed', value: formatDuration(s.tib_min) },
				{ key: 'tst', label: 'Total sleep time', value: formatDuration(s.tst_min) },
				{ key: 'se', label: 'Sleep efficiency', value: s.se_pct === null ? null : `${s.se_pct.toFixed(1)}%` },
				{
					key: 'terminal-wake',
					label: 'In bed after final awakening',
					// Without "Got out of bed" the API reports 0: unknown, not zero minutes.
					value: s.out_of_bed_time ? formatDuration(s.terminal_wake_min) : null
				}
			]
		}
	];
}
