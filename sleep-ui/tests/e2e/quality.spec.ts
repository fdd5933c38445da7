/**
 * Accessibility (axe, both themes, every page), layout at 375 and 1280 px, and the JavaScript budget:
 * /login loads at most 100 KB of gzipped JavaScript and Chart.js loads only on /trends.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, today } from './fixtures';
import { seedHistory } from './history';

const BUILD = join(import.meta.dirname, '../../build');

async function settled(page: Page) {
	await expect(page.locator('h1').first()).toBeVisible();
	await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

async function scan(page: Page, name: string) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Pages scanned signed in, in groups so the scans run in parallel. */
const SIGNED_IN_GROUPS: Record<string, (id: number) => [string, string][]> = {
	diary: (id) => [
		['dashboard', '/'],
		['day', `/day/${today()}`],
		['not found', '/no-such-page']
	],
	entry: (id) => [
		['new entry', '/sleep/new'],
		['edit entry', `/sleep/${id}/edit`]
	],
	trends: () => [
		['trends chart', '/trends?compare=1&weekly=1'],
		['trends schedule', '/trends?view=schedule']
	]
};

for (const theme of ['light', 'dark'] as const) {
	test.describe(`axe, ${theme} theme`, () => {
		test.beforeEach(async ({ page, baseURL }) => {
			test.setTimeout(120_000);
			await page.context().addCookies([{ name: 'sleeptracker.theme', value: theme, url: baseURL! }]);
		});

		test('login page, also with errors and the expired-session message', async ({ page }) => {
			await page.goto('/login?reason=expired');
			await settled(page);
			await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
			await scan(page, 'login');
			await page.getByRole('button', { name: 'Sign in' }).click();
			await expect(page.getByText('Email is required')).toBeVisible();
			await scan(page, 'login with errors');
		});

		for (const [group, pages] of Object.entries(SIGNED_IN_GROUPS)) {
			test(`${group} pages`, async ({ page, seed }) => {
				await seed.login();
				const id = await seedHistory(seed, 15);
				for (const [name, path] of pages(id)) {
					await page.goto(path);
					await settled(page);
					if (path.startsWith('/trends?compare')) await expect(page.locator('canvas')).toBeVisible();
					await scan(page, name);
				}
			});
		}

		test('open menu and confirmation dialog', async ({ page, seed }) => {
			await seed.login();
			await seedHistory(seed, 2);
			await page.goto('/');
			await settled(page);
			await page.getByRole('button', { name: 'Profile' }).click();
			await scan(page, 'profile menu');
			await page.keyboard.press('Escape');
			await page.getByRole('button', { name: /^Actions for/ }).first().click();
			await page.getByRole('menuitem', { name: 'Delete' }).click();
			await expect(page.getByRole('dialog')).toBeVisible();
			await scan(page, 'confirm dialog');
		});
	});
}

test('layout: bottom navigation below 768 px, one-row header above, no horizontal scroll', async ({ page, seed }) => {
	await seed.login();
	await seedHistory(seed, 3);
	for (const width of [375, 767, 768, 1280]) {
		await page.setViewportSize({ width, height: 800 });
		for (const path of ['/', '/trends', `/day/${today()}`, '/sleep/new']) {
			await page.goto(path);
			await settled(page);
			const nav = page.getByRole('navigation', { name: 'Primary' });
			await expect(nav).toHaveCount(1);
			const box = (await nav.boundingBox())!;
			if (width < 768) {
				expect(Math.round(box.y + box.height)).toBe(800);
				// Full width of the page (desktop Chromium keeps a scrollbar gutter beside it).
				const viewportWidth = await page.evaluate(() => document.body.clientWidth);
				expect(Math.round(box.width)).toBe(viewportWidth);
			} else {
				const header = (await page.getByRole('banner').boundingBox())!;
				expect(header.height).toBeLessThanOrEqual(64);
				expect(box.y).toBeLessThan(header.height);
			}
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			expect(overflow, `${path} at ${width}px`).toBeLessThanOrEqual(0);
		}
	}
	// Touch targets: every visible button and link is at least 44 × 44 px at 375 px (inline text links excepted).
	await page.setViewportSize({ width: 375, height: 800 });
	for (const path of ['/', '/trends', `/day/${today()}`, '/sleep/new']) {
		await page.goto(path);
		await settled(page);
		const small = await page.evaluate(() =>
			Array.from(document.querySelectorAll<HTMLElement>('button, a[href], select, input:not([type=hidden]), summary'))
				.filter((el) => el.offsetParent !== null && !el.closest('p'))
				.map((el) => ({ el, r: el.getBoundingClientRect() }))
				.filter(({ r, el }) => {
					const isCheck = el instanceof HTMLInputElement && el.type === 'checkbox';
					const target = isCheck ? (el.closest('label')?.getBoundingClientRect() ?? r) : r;
					return target.height < 43.5 || target.width < 43.5;
				})
				.map(({ el, r }) => `${el.tagName} "${el.textContent?.trim() || el.getAttribute('aria-label')}" ${Math.round(r.width)}x${Math.round(r.height)}`)
		);
		expect(small, path).toEqual([]);
	}
});

/** JavaScript files a page loaded, from the server's own build. */
async function scriptsLoaded(page: Page, path: string): Promise<string[]> {
	const urls = new Set<string>();
	const listener = (r: { url(): string; resourceType(): string }) => {
		if (r.resourceType() === 'script' || r.url().endsWith('.js')) urls.add(new URL(r.url()).pathname);
	};
	page.on('request', listener);
	await page.goto(path);
	await settled(page);
	if (path.startsWith('/trends')) await expect(page.locator('canvas')).toBeVisible();
	await page.waitForLoadState('networkidle');
	page.off('request', listener);
	return [...urls];
}

const isChartLibrary = (file: string) => readFileSync(join(BUILD, file)).toString().includes('chartjs');

test('login JS stays under 100 KB gzipped and Chart.js loads only on /trends', async ({ page, seed }) => {
	const loginScripts = await scriptsLoaded(page, '/login');
	const gzipped = loginScripts.reduce((sum, file) => sum + readFileSync(join(BUILD, `${file}.gz`)).length, 0);
	test.info().annotations.push({ type: 'login-js-gzip-bytes', description: String(gzipped) });
	console.log(`login page: ${loginScripts.length} scripts, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
	expect(gzipped).toBeLessThan(100 * 1024);
	expect(loginScripts.filter(isChartLibrary)).toEqual([]);

	await seed.login();
	await seedHistory(seed, 3);
	for (const path of ['/', `/day/${today()}`, '/sleep/new']) {
		expect((await scriptsLoaded(page, path)).filter(isChartLibrary), path).toEqual([]);
	}
	expect((await scriptsLoaded(page, '/trends')).filter(isChartLibrary)).toHaveLength(1);
});

test('no request leaves the origin', async ({ page, seed, baseURL }) => {
	const foreign: string[] = [];
	page.on('request', (r) => {
		if (!r.url().startsWith(baseURL!) && !r.url().startsWith('data:')) foreign.push(r.url());
	});
	await seed.login();
	await seedHistory(seed, 3);
	for (const path of ['/', '/trends', `/day/${today()}`, '/sleep/new']) {
		await page.goto(path);
		await settled(page);
	}
	expect(foreign).toEqual([]);
});
