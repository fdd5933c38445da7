/**
 * "Your data" (SPEC §16 /data, §13.4) against the real binary: reached from the profile menu, the
 * export and backup links, an import from file choice to preview to "Import" and the final report,
 * a job left ready found again after a reload and cancelled, a file that fails to read, a file no
 * format recognises; axe in both themes on the form and the preview.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const exportFile = JSON.stringify({
	format: 'sleeptracker-export',
	version: 1,
	exported_at: '2025-06-18T07:00:00Z',
	timezone: null,
	sessions: [
		{ date: '2025-06-16', bed_time: '23:00:00', wake_time: '07:00:00', latency_min: 10, awakenings: 1, quality: 4, duration_min: 480,
		  in_bed_time: null, waso_min: null, out_of_bed_time: null, rested: null, alcohol_drinks: null, caffeine_drinks: null, medication: null },
		{ date: '2025-06-17', bed_time: '23:30:00', wake_time: '06:45:00', latency_min: null, awakenings: null, quality: null, duration_min: 435,
		  in_bed_time: '23:10:00', waso_min: 15, out_of_bed_time: '07:00:00', rested: 3, alcohol_drinks: 0, caffeine_drinks: 1, medication: null },
		{ date: '2025-06-17', bed_time: '06:00:00', wake_time: '08:00:00', latency_min: 0, awakenings: 0, quality: 3, duration_min: 120,
		  in_bed_time: null, waso_min: null, out_of_bed_time: null, rested: null, alcohol_drinks: null, caffeine_drinks: null, medication: null }
	],
	exercise: [{ date: '2025-06-16', intensity: 'light', start_time: null, duration_min: null }],
	notes: [{ date: '2025-06-16', body: 'Späte Tasse Kaffee ☕' }],
	sleep_window: null
});

async function scan(page: Page, name: string) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function chooseFile(page: Page, name: string, body: string) {
	await page.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(body) });
}

test.beforeEach(async ({ seed }) => {
	await seed.login();
});

test('import a SleepTracker export: preview, import, report', async ({ page, seed }) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'Profile' }).click();
	await page.getByRole('menuitem', { name: 'Your data' }).click();
	await expect(page).toHaveURL(/\/data$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();

	await expect(page.getByRole('link', { name: 'Export JSON' })).toHaveAttribute('href', '/api/export?format=json');
	await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/api/export?format=csv');
	await expect(page.getByRole('link', { name: 'Download backup' })).toHaveAttribute('href', '/api/backup');

	const select = page.getByLabel('Format');
	await expect(select).toHaveValue('auto');
	await expect(select.locator('option:checked')).toHaveText('Detect automatically');
	const options = await select.locator('option').allTextContents();
	expect(options).toEqual([
		'Detect automatically', 'SleepTracker export (JSON)', 'SleepTracker export (CSV)', 'Original SleepTracker database',
		'Sleep as Android', 'Plees Tracker', 'Fitbit', 'Apple Health', 'Oura'
	]);

	// Without a file: told so, nothing sent.
	await page.getByRole('button', { name: 'Upload and preview' }).click();
	await expect(page.getByTestId('data-import-error-state')).toHaveText('Choose a file to import.');

	await chooseFile(page, 'sleeptracker-export.json', exportFile);
	await page.getByRole('button', { name: 'Upload and preview' }).click();
	const preview = page.getByTestId('data-import-report-state');
	await expect(preview).toBeVisible();
	await expect(preview.getByText('Preview of SleepTracker export (JSON)')).toBeVisible();
	await expect(page.getByTestId('data-import-records-state')).toHaveText('3');
	await expect(page.getByTestId('data-import-sessions-state').locator('td')).toHaveText(['2', '0', '1', '0']);
	await expect(page.getByTestId('data-import-notes-state').locator('td').first()).toHaveText('1');
	await expect(page.getByTestId('data-import-sample-state').getByRole('listitem')).toHaveCount(2);
	const problems = page.getByTestId('data-import-problems-state');
	await expect(problems).toContainText('session 3:');
	await expect(problems).toContainText('overlaps the session of 2025-06-17 (23:30–06:45) at session 2');
	// Nothing stored before "Import".
	expect(await seed.get<unknown[]>('/api/sleep/range?from=2025-06-01&to=2025-06-30')).toHaveLength(0);

	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByTestId('data-import-done-state')).toHaveText('Imported 2 sessions, 1 note and 1 exercise record.');
	const stored = await seed.get<{ date: string; quality: number | null }[]>('/api/sleep/range?from=2025-06-01&to=2025-06-30');
	expect(stored.map((s) => [s.date, s.quality])).toEqual([['2025-06-16', 4], ['2025-06-17', null]]);
	const notes = await seed.get<{ body: string }[]>('/api/note?from=2025-06-16&to=2025-06-16');
	expect(notes.map((n) => n.body)).toEqual(['Späte Tasse Kaffee ☕']);

	// The same file again: nothing new.
	await page.getByRole('button', { name: 'Import another file' }).click();
	await chooseFile(page, 'again.json', exportFile);
	await page.getByRole('button', { name: 'Upload and preview' }).click();
	await expect(page.getByTestId('data-import-sessions-state').locator('td')).toHaveText(['0', '2', '1', '0']);

	// A page opened later finds the job left ready; Cancel discards it.
	await page.reload();
	await expect(page.getByTestId('data-import-report-state')).toBeVisible();
	await page.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByRole('button', { name: 'Upload and preview' })).toBeVisible();
	const jobs = await seed.get<{ state: string }[]>('/api/imports');
	expect(jobs.map((j) => j.state)).toEqual(['discarded', 'committed']);
});

test('a file that cannot be read, and one no format recognises', async ({ page }) => {
	await page.goto('/data');
	await chooseFile(page, 'notes.txt', 'just some words\n');
	await page.getByRole('button', { name: 'Upload and preview' }).click();
	await expect(page.getByTestId('data-import-error-state')).toHaveText('Could not recognise the file; choose its format');

	await chooseFile(page, 'broken.json', '{"format":"sleeptracker-export",\n"version":1,\n"sessions":[}');
	await page.getByLabel('Format').selectOption({ label: 'SleepTracker export (JSON)' });
	await page.getByRole('button', { name: 'Upload and preview' }).click();
	await expect(page.getByTestId('data-import-failed-state')).toContainText('line 3: malformed JSON');
	await expect(page.getByTestId('data-import-failed-state')).toContainText('Nothing was stored.');
	await page.getByRole('button', { name: 'Try another file' }).click();
	await expect(page.getByLabel('Format')).toHaveValue('auto');
});

for (const theme of ['light', 'dark'] as const) {
	test(`axe, ${theme} theme: the data page and an import preview`, async ({ page, baseURL }) => {
		await page.context().addCookies([{ name: 'sleeptracker.theme', value: theme, url: baseURL! }]);
		await page.goto('/data');
		await expect(page.getByRole('button', { name: 'Upload and preview' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
		await scan(page, 'data page');
		await chooseFile(page, 'export.json', exportFile);
		await page.getByRole('button', { name: 'Upload and preview' }).click();
		await expect(page.getByTestId('data-import-report-state')).toBeVisible();
		await scan(page, 'import preview');
		// The preview fits a phone: no horizontal scrolling at 375 px.
		await page.setViewportSize({ width: 375, height: 812 });
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow, 'the preview scrolls sideways at 375 px').toBeLessThanOrEqual(0);
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		await expect(page.getByTestId('data-import-done-state')).toBeVisible();
		await scan(page, 'import report');
	});
}
