/**
 * The clinical diary of SPEC §12.6 against the real binary: the entry form's "Sleep diary details"
 * (saved and read back on the day view), the /diary page, its CSV download, the sleep-window flow
 * and the trends Timeline actogram; axe in both themes on every new or changed surface.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { addDays, expect, test, today, type SeedApi } from './fixtures';

const BUILD = join(import.meta.dirname, '../../build');

/** A session with any of the diary items, as the API accepts it. */
interface DiarySeed {
	date: string;
	bed_time: string;
	wake_time: string;
	latency_min?: number;
	awakenings?: number;
	quality?: number;
	in_bed_time?: string;
	waso_min?: number;
	out_of_bed_time?: string;
	rested?: number;
	alcohol_drinks?: number;
	caffeine_drinks?: number;
	medication?: string;
	note?: string;
	exercise_intensity?: 'none' | 'light' | 'hard';
}

async function post(page: Page, seed: SeedApi, path: string, data: unknown, method: 'POST' | 'PUT' = 'POST') {
	const res = await page.request.fetch(path, { method, data, headers: { 'X-CSRF-Token': await seed.csrf() } });
	expect(res.status(), await res.text()).toBeLessThan(300);
	return res;
}

async function createDiarySession(page: Page, seed: SeedApi, s: DiarySeed): Promise<number> {
	const res = await post(page, seed, '/api/sleep', { latency_min: 10, awakenings: 1, quality: 4, ...s });
	return ((await res.json()) as { id: number }).id;
}

/**
 * Quality and "Rested on waking" are typed inputs until §15.3's button rows land, radio groups after
 * (SPEC §8.15); these helpers work with either form.
 */
async function setQuality(page: Page, value: number) {
	const group = page.getByRole('radiogroup', { name: 'Quality' });
	if ((await group.count()) > 0) await group.getByRole('radio', { name: new RegExp(`^${value} `) }).check();
	else await page.getByLabel('Quality').fill(String(value));
}

async function restedIsRadioGroup(page: Page): Promise<boolean> {
	return (await page.getByRole('radiogroup', { name: 'Rested on waking' }).count()) > 0;
}

async function setRested(page: Page, label: string) {
	if (await restedIsRadioGroup(page)) await page.getByRole('radiogroup', { name: 'Rested on waking' }).getByRole('radio', { name: label }).check();
	else await page.getByLabel('Rested on waking').selectOption({ label });
}

async function expectRested(page: Page, label: string) {
	if (await restedIsRadioGroup(page)) await expect(page.getByRole('radio', { name: label })).toBeChecked();
	else await expect(page.getByLabel('Rested on waking')).toHaveValue(label.slice(0, 1));
}

async function settled(page: Page) {
	await expect(page.locator('h1').first()).toBeVisible();
	await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

async function scan(page: Page, name: string) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * Two weeks ending today: poor nights (long latency, awake in the night, efficiency below 85%) in
 * the older week, good ones in the newer week, a gap, a nap, and a medication that a spreadsheet
 * would otherwise read as a formula.
 */
async function seedTwoWeeks(page: Page, seed: SeedApi) {
	const t = today();
	for (let i = 13; i >= 0; i--) {
		const date = addDays(t, -i);
		if (i === 9 || i === 2) continue; // two dates without data
		const poor = i >= 7;
		await createDiarySession(page, seed, {
			date,
			in_bed_time: poor ? '22:00' : '22:50',
			bed_time: '23:00',
			latency_min: poor ? 45 : 10,
			awakenings: poor ? 3 : 1,
			waso_min: poor ? 40 : 10,
			wake_time: '06:30',
			out_of_bed_time: poor ? '07:15' : '06:40',
			quality: poor ? 2 : 4,
			rested: poor ? 2 : 4,
			alcohol_drinks: i % 3 === 0 ? 2 : 0,
			caffeine_drinks: 1,
			medication: i === 0 ? '=HYPERLINK("x")' : undefined,
			exercise_intensity: i % 4 === 0 ? 'light' : undefined
		});
	}
	// A nap on the newest date.
	await createDiarySession(page, seed, { date: t, bed_time: '14:00', wake_time: '14:35', latency_min: 5, awakenings: 0, quality: 3 });
	await seed.addNote(t, 'Felt rested, walked at lunch');
}

test.beforeEach(async ({ seed }) => {
	await seed.login();
});

test('the entry form saves the diary details and the day view reads them back', async ({ page, seed }) => {
	const date = today();
	await page.goto(`/sleep/new?date=${date}`);
	const toggle = page.getByTestId('entry-diary-toggle-action');
	const section = page.getByTestId('entry-diary-state');
	// Collapsed on a new entry.
	await expect(section).not.toHaveAttribute('open');
	await expect(page.getByLabel('Got into bed')).toBeHidden();

	await page.getByLabel('Bed time').fill('23:05');
	await page.getByLabel('Wake time').fill('06:30');
	await page.getByLabel('Latency').fill('15');
	await page.getByLabel('Awakenings').fill('2');
	await setQuality(page, 4);

	// Opens with the keyboard.
	await toggle.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByLabel('Got into bed')).toBeVisible();

	// A client check: more than 12 hours before bed time.
	await page.getByLabel('Got into bed').fill('10:00');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Got into bed must be at most 12 hours before the bed time')).toBeVisible();
	await expect(page.getByLabel('Got into bed')).toBeFocused();
	await expect(page.getByLabel('Got into bed')).toHaveAttribute('aria-invalid', 'true');
	expect(await seed.get<unknown[]>(`/api/sleep/date/${date}`)).toEqual([]);

	// The worked example of SPEC §12.2.
	await page.getByLabel('Got into bed').fill('22:40');
	await page.getByLabel('Minutes awake during the night').fill('20');
	await page.getByLabel('Got out of bed').fill('06:50');
	await setRested(page, '3 Somewhat rested');
	await page.getByLabel('Alcoholic drinks').fill('0');
	await page.getByLabel('Caffeinated drinks').fill('2');
	await page.getByLabel('Sleep medication').fill('  melatonin 2 mg at 22:00  ');
	// Every item of the section counts, zeros included ("Rested" may sit outside it, SPEC §15.3).
	await expect(section.getByText((await restedIsRadioGroup(page)) ? '6 recorded' : '7 recorded')).toBeVisible();
	await page.getByRole('button', { name: 'Save' }).click();

	await expect(page).toHaveURL(new RegExp(`/day/${date}$`));
	const [stored] = await seed.get<Record<string, unknown>[]>(`/api/sleep/date/${date}`);
	expect(stored).toMatchObject({
		in_bed_time: '22:40:00',
		waso_min: 20,
		out_of_bed_time: '06:50:00',
		rested: 3,
		alcohol_drinks: 0,
		caffeine_drinks: 2,
		medication: 'melatonin 2 mg at 22:00',
		duration_min: 445,
		tib_min: 490,
		tst_min: 410,
		se_pct: 83.7,
		terminal_wake_min: 20
	});
	const id = stored!.id as number;
	const fact = (key: string) => page.getByTestId(`day-session-${id}-${key}-state`);
	await expect(fact('in-bed')).toHaveText('22:40');
	await expect(fact('waso')).toHaveText('20 min');
	await expect(fact('out-of-bed')).toHaveText('06:50');
	await expect(fact('rested')).toHaveText('3 of 5');
	await expect(fact('alcohol')).toHaveText('0 drinks');
	await expect(fact('caffeine')).toHaveText('2 drinks');
	await expect(fact('medication')).toHaveText('melatonin 2 mg at 22:00');
	await expect(fact('tib')).toHaveText('8h 10m');
	await expect(fact('tst')).toHaveText('6h 50m');
	await expect(fact('se')).toHaveText('83.7%');
	await expect(fact('terminal-wake')).toHaveText('20m');

	// Edit: the section opens by itself with the stored values; clearing a field clears it.
	await page.getByRole('link', { name: 'Edit session 23:05–06:30' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Edit sleep entry' })).toBeVisible();
	await expect(section).toHaveAttribute('open', '');
	await expect(page.getByLabel('Got into bed')).toHaveValue('22:40');
	await expectRested(page, '3 Somewhat rested');
	await expect(page.getByLabel('Sleep medication')).toHaveValue('melatonin 2 mg at 22:00');
	await page.getByLabel('Sleep medication').fill('');
	await page.getByLabel('Got out of bed').fill('');
	await page.getByRole('button', { name: 'Update' }).click();
	await expect(page).toHaveURL(new RegExp(`/day/${date}$`));
	await expect(fact('medication')).toHaveText('not recorded');
	await expect(fact('out-of-bed')).toHaveText('not recorded');
	// Without "Got out of bed" the time in bed after waking is unknown, not 0.
	await expect(fact('terminal-wake')).toHaveText('not recorded');
	await expect(fact('in-bed')).toHaveText('22:40');
	const [updated] = await seed.get<Record<string, unknown>[]>(`/api/sleep/date/${date}`);
	expect(updated).toMatchObject({ medication: null, out_of_bed_time: null, in_bed_time: '22:40:00', waso_min: 20, rested: 3, tib_min: 470 });
});

test('an entry without diary items shows them as not recorded, never 0', async ({ page, seed }) => {
	const id = await seed.createSession({ date: today(), bed_time: '23:00', wake_time: '07:00', latency_min: 20 });
	await page.goto(`/day/${today()}`);
	for (const key of ['in-bed', 'waso', 'out-of-bed', 'rested', 'alcohol', 'caffeine', 'medication', 'terminal-wake']) {
		await expect(page.getByTestId(`day-session-${id}-${key}-state`)).toHaveText('not recorded');
	}
	await expect(page.getByTestId(`day-session-${id}-tst-state`)).toHaveText('7h 40m');
	await page.goto(`/sleep/${id}/edit`);
	await expect(page.getByTestId('entry-diary-state')).not.toHaveAttribute('open');
});

test('the diary page: two weeks in CSV column order, weekly summaries and flags, chart, navigation', async ({ page, seed }) => {
	await seedTwoWeeks(page, seed);
	const t = today();
	const scripts = new Set<string>();
	page.on('request', (r) => {
		if (r.url().endsWith('.js')) scripts.add(new URL(r.url()).pathname);
	});

	await page.goto('/');
	await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Diary' }).click();
	await expect(page).toHaveURL(/\/diary$/);
	await expect(page).toHaveTitle('Diary · SleepTracker');
	await expect(page.getByRole('heading', { level: 1, name: 'Sleep diary' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Diary' })).toHaveAttribute('aria-current', 'page');
	await settled(page);

	const tables = page.getByRole('table');
	await expect(tables).toHaveCount(2);
	// One row per night, 7 per week, including the dates without data.
	await expect(page.locator('tbody tr')).toHaveCount(14);
	const headers = await tables.first().locator('thead th').allInnerTexts();
	expect(headers).toEqual([
		'Date', 'In bed', 'Lights out', 'SOL', 'Wakes', 'WASO', 'Final wake', 'Out of bed', 'Quality', 'Rested', 'TIB', 'TST', 'SE %', 'Naps', 'Nap min', 'Alcohol', 'Caffeine', 'Medication', 'Exercise', 'Notes'
	]);

	const cells = async (date: string) =>
		(await page.getByTestId(`diary-night-${date}-state`).locator('th, td').allInnerTexts()).map((c) => c.trim());
	// Newest night: good, with a nap, a note and the medication.
	const newest = await cells(t);
	expect(newest.slice(1)).toEqual(['22:50', '23:00', '10', '1', '10', '06:30', '06:40', '4', '4', '7:50', '7:10', '91.5', '1', '35', '2', '1', '=HYPERLINK("x")', 'Light', '1']);
	// A date without data: every cell but the date empty.
	expect((await cells(addDays(t, -2))).slice(1).every((c) => c === '')).toBe(true);

	// Summaries: the older week is flagged on all three markers, in plain words, with the note.
	const older = page.getByTestId(`diary-week-${addDays(t, -13)}-state`);
	await expect(older.getByText('Sleep efficiency was below 85%: more than 15% of the time in bed was spent awake.')).toBeVisible();
	await expect(older.getByText('Falling asleep took more than 30 minutes on average.')).toBeVisible();
	await expect(older.getByText('Time awake during the night averaged more than 30 minutes.')).toBeVisible();
	await expect(older.getByText(/not a diagnosis/)).toBeVisible();
	await expect(page.getByTestId(`diary-week-${addDays(t, -13)}-nights-state`)).toHaveText('6');
	const newer = page.getByTestId(`diary-week-${addDays(t, -6)}-state`);
	await expect(newer.getByText('None of the three insomnia markers applies to this week.')).toBeVisible();
	await expect(page.getByTestId(`diary-week-${addDays(t, -6)}-naps-state`)).toHaveText('1.0');
	await expect(page.getByTestId(`diary-week-${addDays(t, -6)}-sol-state`)).toHaveText('10.0 min');

	// The efficiency chart: SVG, one point per night with a main session.
	const chart = page.getByRole('img', { name: /^Sleep efficiency per night, .+: 12 nights, from/ });
	await expect(chart).toBeVisible();
	expect(await chart.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
	await expect(chart.locator('circle')).toHaveCount(12);

	// Previous / next two weeks.
	await expect(page.getByRole('button', { name: 'Next two weeks' })).toBeDisabled();
	await page.getByRole('button', { name: 'Previous two weeks' }).click();
	await expect(page).toHaveURL(new RegExp(`/diary\\?to=${addDays(t, -14)}$`));
	await settled(page);
	await expect(page.locator('tbody tr')).toHaveCount(14);
	await expect(page.getByText('No nights logged in this week.')).toHaveCount(2);
	await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', `/api/diary?format=csv&from=${addDays(t, -27)}&to=${addDays(t, -14)}`);
	await page.getByRole('button', { name: 'Next two weeks' }).click();
	await expect(page).toHaveURL(new RegExp(`/diary\\?to=${t}$`));
	await expect(page.locator('tbody tr')).toHaveCount(14);

	// The page never loads the chart library.
	const chartLibrary = [...scripts].filter((file) => {
		try {
			return readFileSync(join(BUILD, file)).toString().includes('chartjs');
		} catch {
			return false;
		}
	});
	expect(chartLibrary).toEqual([]);
});

test('"Download CSV" downloads the diary of the two weeks shown', async ({ page, seed }) => {
	await seedTwoWeeks(page, seed);
	const t = today();
	const from = addDays(t, -13);
	await page.goto('/diary');
	await settled(page);
	const link = page.getByRole('link', { name: 'Download CSV' });
	await expect(link).toHaveAttribute('href', `/api/diary?format=csv&from=${from}&to=${t}`);

	// The headers of the response itself.
	const res = await page.request.get((await link.getAttribute('href'))!);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
	expect(res.headers()['content-disposition']).toBe(`attachment; filename="sleep-diary-${from}-to-${t}.csv"`);

	const downloadPromise = page.waitForEvent('download');
	await link.click();
	const download = await downloadPromise;
	expect(download.suggestedFilename()).toBe(`sleep-diary-${from}-to-${t}.csv`);
	const text = readFileSync((await download.path())!, 'utf8');
	const lines = text.split('\r\n');
	expect(lines[0]).toBe(
		'date,in_bed_time,bed_time,latency_min,awakenings,waso_min,wake_time,out_of_bed_time,quality,rested,tib_min,tst_min,se_pct,naps_count,naps_min,alcohol_drinks,caffeine_drinks,medication,exercise_intensity,notes'
	);
	expect(lines.at(-1)).toBe(''); // CRLF after the last row too
	expect(lines).toHaveLength(16);
	expect(lines[1]!.startsWith(`${from},22:00,23:00,45,3,40,06:30,07:15,2,2,`)).toBe(true);
	// A date without data: only the date and the zero naps.
	expect(lines[1 + 11]).toBe(`${addDays(t, -2)},,,,,,,,,,,,,0,0,,,,,`);
	// The formula guard: the medication reaches a spreadsheet as text.
	expect(lines[14]).toBe(`${t},22:50,23:00,10,1,10,06:30,06:40,4,4,470,430,91.5,1,35,2,1,"'=HYPERLINK(""x"")",light,"Felt rested, walked at lunch"`);
});

test('sleep window: use the recommendation, see it on the dashboard, stop it', async ({ page, seed }) => {
	const t = today();
	for (let i = 6; i >= 1; i--) {
		await createDiarySession(page, seed, { date: addDays(t, -i), in_bed_time: '22:50', bed_time: '23:00', latency_min: 20, waso_min: 10, wake_time: '06:30', out_of_bed_time: '06:40' });
	}
	await page.goto('/');
	await settled(page);
	await expect(page.getByTestId('dashboard-window-state')).toHaveCount(0);

	await page.goto('/diary');
	await settled(page);
	const card = page.getByTestId('diary-window-state');
	await expect(card.getByText('No sleep window is set.')).toBeVisible();
	// 6 nights of 7 h 30 min in bed minus 30 min awake = 7 h of sleep → an initial 7-hour window.
	await expect(card.getByTestId('diary-window-reason-state')).toHaveText('Initial window from your average total sleep time.');
	await expect(card.getByTestId('diary-window-recommendation-state')).toContainText('Bedtime 23:30, rising time 06:30 (7h)');
	await expect(card.getByTestId('diary-window-based-on-state')).toContainText('Based on 6 nights of');
	await expect(card.getByRole('button', { name: 'Stop' })).toHaveCount(0);

	await card.getByRole('button', { name: 'Use this window' }).click();
	await expect(page.getByRole('status').getByText('Sleep window saved')).toBeVisible();
	await expect(card.getByTestId('diary-window-bedtime-state')).toHaveText('23:30');
	await expect(card.getByTestId('diary-window-rising-state')).toHaveText('06:30');
	// Just set: keep it for a week, nothing to adopt.
	await expect(card.getByTestId('diary-window-reason-state')).toHaveText('Keep the window for a full week before changing it.');
	await expect(card.getByRole('button', { name: 'Use this window' })).toHaveCount(0);
	const stored = await seed.get<{ current: { window_min: number; since: string } }>('/api/diary/sleep-window');
	expect(stored.current).toMatchObject({ window_min: 420, since: t });

	await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Home' }).click();
	const tonight = page.getByTestId('dashboard-window-state');
	await expect(tonight.getByRole('heading', { name: "Tonight's sleep window" })).toBeVisible();
	await expect(page.getByTestId('dashboard-window-bedtime-state')).toHaveText('23:30');
	await expect(page.getByTestId('dashboard-window-rising-state')).toHaveText('06:30');

	await page.goto('/diary');
	await settled(page);
	await card.getByRole('button', { name: 'Stop' }).click();
	const dialog = page.getByRole('dialog', { name: 'Stop the sleep window?' });
	await expect(dialog).toContainText('The window from 23:30 to 06:30 will be removed.');
	await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	expect((await seed.get<{ current: unknown }>('/api/diary/sleep-window')).current).not.toBeNull();

	await card.getByRole('button', { name: 'Stop' }).click();
	await dialog.getByRole('button', { name: 'Stop' }).click();
	await expect(page.getByRole('status').getByText('Sleep window stopped')).toBeVisible();
	await expect(card.getByText('No sleep window is set.')).toBeVisible();
	expect((await seed.get<{ current: unknown }>('/api/diary/sleep-window')).current).toBeNull();
	await page.goto('/');
	await settled(page);
	await expect(page.getByTestId('dashboard-window-state')).toHaveCount(0);
});

test('trends Timeline: a double-plotted actogram with the SRI and a text alternative', async ({ page, seed }) => {
	const t = today();
	// SPEC §12.5's first example: 7 consecutive nights 23:00 → 07:00, latency 0 → 6 pairs, SRI 100.0.
	for (let i = 6; i >= 0; i--) {
		await seed.createSession({ date: addDays(t, -i), bed_time: '23:00', wake_time: '07:00', latency_min: 0 });
	}
	await page.goto('/trends');
	await settled(page);
	await page.getByRole('button', { name: 'Timeline' }).click();
	await expect(page).toHaveURL(/view=timeline/);
	await expect(page.getByRole('button', { name: 'Timeline' })).toHaveAttribute('aria-pressed', 'true');
	await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
	await expect(page.getByTestId('trends-sri-value-state')).toHaveText('100.0');
	await expect(page.getByText('from 6 pairs of consecutive nights')).toBeVisible();

	const actogram = page.getByRole('img', { name: /^Sleep timeline, .+: 14 days, 7 nights logged\. Sleep Regularity Index 100\.0\.$/ });
	await expect(actogram).toBeVisible();
	expect(await actogram.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
	// Double plot: row d shows d and d + 1, so the night that ends on d (23:00 on d − 1 → 07:00 on d)
	// is drawn in row d − 2 (its first hour, at the right edge), row d − 1 (whole, across the row's
	// midnight) and row d (its morning, at the left edge): 3 bars for each of the 7 nights.
	const bars = actogram.locator('rect.sleep');
	const rowsWithBars = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-date')));
	expect(rowsWithBars).toHaveLength(21);
	expect(rowsWithBars.filter((d) => d === addDays(t, -3))).toHaveLength(3);
	expect(rowsWithBars.filter((d) => d === t)).toHaveLength(1);
	// 14 rows, oldest at the top, the newest at the bottom.
	const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	const dayMonth = (d: string) => `${Number(d.slice(8))} ${MONTHS[Number(d.slice(5, 7)) - 1]}`;
	const labels = (await actogram.locator('text').allTextContents()).map((l) => l.trim()).filter((l) => / [A-Z][a-z]{2}$/.test(l));
	expect(labels).toHaveLength(14);
	expect(labels[0]).toBe(dayMonth(addDays(t, -13)));
	expect(labels.at(-1)).toBe(dayMonth(t));

	// The text alternative lists every date.
	await page.getByText('Show the nights as text').click();
	await expect(page.getByTestId('trends-timeline-table-state').getByRole('listitem')).toHaveCount(14);
	await expect(page.getByTestId('trends-timeline-table-state').getByText('23:00–07:00').first()).toBeVisible();

	// Fewer than 5 pairs: no SRI, and the reason.
	await page.goto(`/trends?view=timeline&from=${addDays(t, -3)}&to=${t}`);
	await expect(page.getByTestId('trends-sri-value-state')).toHaveText('not available');
	await expect(page.getByText('At least 5 pairs of consecutive logged nights are needed (3 so far).')).toBeVisible();
});

for (const theme of ['light', 'dark'] as const) {
	test(`axe, ${theme} theme: diary, entry form with diary details, day view, timeline, dashboard window`, async ({ page, seed, baseURL }) => {
		test.setTimeout(120_000);
		await page.context().addCookies([{ name: 'sleeptracker.theme', value: theme, url: baseURL! }]);
		await seedTwoWeeks(page, seed);
		await post(page, seed, '/api/diary/sleep-window', { wake_time: '06:30', window_min: 420 }, 'PUT');
		const first = (await seed.get<{ id: number; in_bed_time: string | null }[]>(`/api/sleep/date/${today()}`)).find((x) => x.in_bed_time);

		for (const [name, path] of [
			['diary', '/diary'],
			['dashboard with window', '/'],
			['day with diary facts', `/day/${today()}`],
			['edit entry with diary details', `/sleep/${first!.id}/edit`],
			['trends timeline', '/trends?view=timeline']
		] as const) {
			await page.goto(path);
			await settled(page);
			await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
			if (name === 'diary') await expect(page.getByTestId('diary-window-current-state')).toBeVisible();
			if (name === 'trends timeline') await expect(page.getByTestId('trends-actogram-state')).toBeVisible();
			await scan(page, name);
		}
		// The new-entry form with the section open and a client error shown.
		await page.goto('/sleep/new');
		await settled(page);
		await page.getByText('Sleep diary details').click();
		await page.getByLabel('Alcoholic drinks').fill('99');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('Alcoholic drinks must be between 0 and 30')).toBeVisible();
		await scan(page, 'new entry with diary error');
		// The stop dialog.
		await page.goto('/diary');
		await settled(page);
		await page.getByRole('button', { name: 'Stop' }).click();
		await expect(page.getByRole('dialog')).toBeVisible();
		await scan(page, 'stop dialog');
	});
}

test('an imported night without a rating or latency can be corrected without inventing them', async ({ page, seed }) => {
	// Plees Tracker records no latency, and rating 0 means "not rated" (SPEC §14).
	const t = today();
	const start = Date.parse(`${addDays(t, -1)}T23:00:00Z`);
	const csv = `sid,start,stop,rating\n1,${start},${start + 8 * 3600_000},0\n`;
	const csrf = { 'X-CSRF-Token': await seed.csrf() };
	const job = await page.request.post('/api/imports?format=plees-tracker&timezone=UTC', {
		data: csv,
		headers: { ...csrf, 'Content-Type': 'application/octet-stream' }
	});
	expect(job.status(), await job.text()).toBe(202);
	const { id } = (await job.json()) as { id: string };
	await expect
		.poll(async () => ((await (await page.request.get(`/api/imports/${id}`)).json()) as { state: string }).state)
		.toBe('ready');
	expect((await page.request.post(`/api/imports/${id}/commit`, { headers: csrf })).status()).toBe(200);
	const stored = (await (await page.request.get(`/api/sleep/date/${t}`)).json()) as { id: number; quality: null; latency_min: null }[];
	expect(stored).toHaveLength(1);
	const night = stored[0]!;
	expect(night.quality).toBeNull();
	expect(night.latency_min).toBeNull();

	await page.goto(`/sleep/${night.id}/edit`);
	await settled(page);
	await expect(page.getByLabel('Latency')).toHaveValue('');
	await expect(page.getByLabel('Awakenings')).toHaveValue('');
	await page.getByLabel('Wake time').fill('06:45');
	await page.getByRole('button', { name: 'Update' }).click();
	await expect(page).not.toHaveURL(/\/edit$/);
	const saved = (await (await page.request.get(`/api/sleep/${night.id}`)).json()) as Record<string, unknown>;
	expect(saved.wake_time).toBe('06:45:00');
	expect(saved.quality).toBeNull();
	expect(saved.latency_min).toBeNull();
	expect(saved.awakenings).toBeNull();
});
