/** Test data shared by unit tests: the diary fields of a SleepSession with nothing recorded. */
import type { SleepSession } from '../api';

/** Diary items all null and derived values of a session without them (SPEC §12.1–12.2). */
export const NO_DIARY_ITEMS: Pick<
	SleepSession,
	| 'in_bed_time'
	| 'waso_min'
	| 'out_of_bed_time'
	| 'rested'
	| 'alcohol_drinks'
	| 'caffeine_drinks'
	| 'medication'
	| 'tib_min'
	| 'tst_min'
	| 'se_pct'
	| 'terminal_wake_min'
> = {
	in_bed_time: null,
	waso_min: null,
	out_of_bed_time: null,
	rested: null,
	alcohol_drinks: null,
	caffeine_drinks: null,
	medication: null,
	tib_min: 0,
	tst_min: 0,
	se_pct: null,
	terminal_wake_min: 0
};
