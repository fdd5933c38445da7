/**
 * Screenshots of the clinical diary surfaces at 375 and 1280 px in both themes, and the printed
 * /diary as an A4 landscape PDF (test-results/screenshots): 14 nights must fit on one page.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { addDays, expect, test, today, type SeedApi } from './fixtures';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

async function write(page: Page, seed: SeedApi, method: 'POST' | 'PUT', path: string, data: unknown) {
	const res = await page.request.fetch(path, { method, data, headers: { 'X-CSRF-Token': await seed.csrf() } });
	expect(res.status(), await res.text()).toBeLessThan(300);
	return res;
}

/** Two full weeks with every diary item, long medication text and notes, plus a sleep window. */
async function seedFullDiary(page: Page, seed: SeedApi) {
	const t = today();
	for (let i = 13; i >= 0; i--) {
		const poor = i % 3 === 0;
		await write(page, seed, 'POST', '/api/sleep', {
			date: addDays(t, -i),
			in_bed_time: poor ? '21:55' : '22:40',
			bed_time: poor ? '22:50' : '23:05',
			latency_min: poor ? 50 : 15,
			awakenings: poor ? 4 : 1,
			waso_min: poor ? 55 : 10,
			wake_time: '06:30',
			out_of_bed_time: poor ? '07:25' : '06:45',
			quality: poor ? 2 : 4,
			rested: poor ? 1 : 4,
			alcohol_drinks: i % 4 === 0 ? 3 : 0,
			caffeine_drinks: 1 + (i % 3),
			medication: i % 5 === 0 ? 'zolpidem 5 mg at 22:30, melatonin 2 mg' : null,
			exercise_intensity: i % 2 === 0 ? 'light' : 'none',
			note: i % 4 === 1 ? 'Stressful day at work, woke at 3 and read for a while' : undefined
		});
	}
	await write(page, seed, 'POST', '/api/sleep', { date: t, bed_time: '14:00', wake_time: '14:35', latency_min: 5, awakenings: 0, quality: 3 });
	await write(page, seed, 'PUT', '/api/diary/sleep-window', { wake_time: '06:30', window_min: 405 });
}

/** Visible controls smaller than 44 × 44 px (SPEC §8.14), as quality.spec.ts measures them. */
async function smallTargets(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		Array.from(document.querySelectorAll<HTMLElement>('main button, main a[href], main select, main input:not([type=hidden]), main summary'))
			.filter((el) => el.offsetParent !== null && !el.closest('p'))
			.map((el) => ({ el, r: el.getBoundingClientRect() }))
			.filter(({ r }) => r.height < 43.5 || r.width < 43.5)
			.map(({ el, r }) => `${el.tagName} "${el.textContent?.trim() || el.getAttribute('aria-label')}" ${Math.round(r.width)}x${Math.round(r.height)}`)
	);
}

async function settled(page: Page) {
	await expect(page.locator('h1').first()).toBeVisible();
	await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

for (const theme of ['light', 'dark'] as const) {
	test(`clinical diary screenshots (${theme})`, async ({ page, seed, baseURL }) => {
		test.setTimeout(180_000);
		await page.context().addCookies([{ name: 'sleeptracker.theme', value: theme, url: baseURL! }]);
		await seed.login();
		await seedFullDiary(page, seed);
		const main = (await seed.get<{ id: number; in_bed_time: string | null }[]>(`/api/sleep/date/${today()}`)).find((s) => s.in_bed_time)!;
		const pages: [string, string][] = [
			['diary', '/diary'],
			['dashboard-window', '/'],
			['day-diary', `/day/${today()}`],
			['edit-diary', `/sleep/${main.id}/edit`],
			['new-diary', '/sleep/new'],
			['trends-timeline', '/trends?view=timeline'],
			['trends-timeline-30', `/trends?view=timeline&from=${addDays(today(), -29)}&to=${today()}`]
		];
		for (const width of [1280, 375]) {
			await page.setViewportSize({ width, height: width > 800 ? 900 : 812 });
			for (const [name, path] of pages) {
				await page.goto(path);
				await settled(page);
				if (name === 'new-diary') await page.getByTestId('entry-diary-toggle-action').click();
				await page.waitForTimeout(300);
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				expect(overflow, `${name} at ${width}px scrolls horizontally`).toBeLessThanOrEqual(0);
				await page.screenshot({ path: `${SHOTS}/${name}-${width}-${theme}.png`, fullPage: true });
				if (width === 375) expect(await smallTargets(page), `${name}: touch targets under 44 px`).toEqual([]);
			}
		}
	});
}

test('the printed diary fits 14 nights on one landscape A4 page', async ({ page, seed, baseURL }) => {
	test.setTimeout(120_000);
	// Dark on screen: the print stylesheet still prints black on white.
	await page.context().addCookies([{ name: 'sleeptracker.theme', value: 'dark', url: baseURL! }]);
	await seed.login();
	await seedFullDiary(page, seed);
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto('/diary');
	await settled(page);
	await expect(page.locator('tbody tr')).toHaveCount(14);

	await page.emulateMedia({ media: 'print' });
	// Nothing of the app's chrome and no buttons on paper.
	await expect(page.getByRole('banner')).toBeHidden();
	await expect(page.getByRole('navigation', { name: 'Primary' })).toBeHidden();
	await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
	await expect(page.getByRole('link', { name: 'Download CSV' })).toBeHidden();
	await expect(page.getByRole('button', { name: 'Stop' })).toBeHidden();

	// page.pdf() prints with print media (emulated screen media would override it).
	const pdf = await page.pdf({ landscape: true, format: 'A4', printBackground: true });
	writeFileSync(`${SHOTS}/diary-print.pdf`, pdf);
	const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
	expect(pages).toHaveLength(1);
});
