/**
 * Screenshots of every page at 1280 and 375 px, light and dark, saved as test artifacts in
 * test-results/screenshots; plus layout checks that hold at both widths (no horizontal scroll,
 * exactly one navigation placement, one-row header on desktop).
 */
import { mkdirSync } from 'node:fs';
import { expect, test, today } from './fixtures';
import { seedHistory } from './history';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

for (const theme of ['light', 'dark'] as const) {
	test(`screenshots of every page (${theme})`, async ({ page, seed, baseURL }) => {
		test.setTimeout(120_000);
		await page.context().addCookies([{ name: 'sleeptracker.theme', value: theme, url: baseURL! }]);
		const pages: [string, string][] = [['login', '/login']];
		for (const width of [1280, 375]) {
			await page.setViewportSize({ width, height: width > 800 ? 900 : 812 });
			await page.goto('/login');
			await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
			await page.screenshot({ path: `${SHOTS}/login-${width}-${theme}.png`, fullPage: true });
		}
		await seed.login();
		const id = await seedHistory(seed, 21);
		pages.push(
			['dashboard', '/'],
			['day', `/day/${today()}`],
			['new', '/sleep/new'],
			['edit', `/sleep/${id}/edit`],
			['trends', '/trends'],
			['trends-schedule', '/trends?view=schedule'],
			['not-found', '/no-such-page']
		);
		for (const width of [1280, 375]) {
			await page.setViewportSize({ width, height: width > 800 ? 900 : 812 });
			for (const [name, path] of pages.slice(1)) {
				await page.goto(path);
				await expect(page.locator('h1')).toBeVisible();
				await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
				if (name === 'trends') await expect(page.locator('canvas')).toBeVisible();
				await page.waitForTimeout(400);
				// No horizontal scrolling at any width.
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				expect(overflow, `${name} at ${width}px scrolls horizontally`).toBeLessThanOrEqual(0);
				await page.screenshot({ path: `${SHOTS}/${name}-${width}-${theme}.png`, fullPage: true });
				// Full-page captures move the fixed bottom bar; keep what a phone shows too.
				if (width < 768) await page.screenshot({ path: `${SHOTS}/${name}-${width}-${theme}-viewport.png` });
			}
			// The profile menu and the confirmation dialog (a bottom sheet below 640 px).
			await page.goto('/');
			await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
			await page.getByRole('button', { name: 'Profile' }).click();
			await page.screenshot({ path: `${SHOTS}/profile-menu-${width}-${theme}.png` });
			await page.keyboard.press('Escape');
			await page.getByRole('button', { name: /^Actions for/ }).first().click();
			await page.getByRole('menuitem', { name: 'Delete' }).click();
			await expect(page.getByRole('dialog')).toBeVisible();
			await page.screenshot({ path: `${SHOTS}/confirm-dialog-${width}-${theme}.png` });
			await page.keyboard.press('Escape');
		}
	});
}
