/**
 * Phone first (SPEC §15): the offline queue with Idempotency-Key replays, the installable app
 * (manifest, service worker and its caches), logging a night in three taps, and the dashboard's
 * "Last night" card, nights chart and folded runs of unlogged days; axe in both themes.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addDays, expect, signInWithForm, test, today, type SeedApi } from './fixtures';

test.beforeEach(async ({ seed }) => {
	await seed.login();
});

interface StoredSession {
	id: number;
	date: string;
	bed_time: string;
	wake_time: string;
	quality: number | null;
}

async function sessionsOf(seed: SeedApi, date: string): Promise<StoredSession[]> {
	return seed.get<StoredSession[]>(`/api/sleep/date/${date}`);
}

/** Opens the new-entry form and waits until its defaults are in. */
async function openNewEntry(page: Page) {
	await page.goto('/sleep/new');
	await expect(page.getByRole('radiogroup', { name: 'Quality' })).toBeVisible();
}

async function scan(page: Page, name: string) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('offline: the entry is queued, counted in the header, and stored exactly once when the connection returns', async ({ page, context, seed }) => {
	await page.setViewportSize({ width: 375, height: 812 });
	await openNewEntry(page);
	await context.setOffline(true);
	await expect(page.getByTestId('offline-banner-state')).toContainText('Offline');
	await page.getByRole('radio', { name: '4 Good' }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('banner').getByText('1 waiting to sync')).toBeVisible();
	expect(await page.evaluate(() => navigator.onLine)).toBe(false);
	// The count fits the one-row header at 375 px.
	expect((await page.getByRole('banner').boundingBox())!.height).toBeLessThanOrEqual(64);
	expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'test-results/phone-offline-375.png', animations: 'disabled' });

	const sent: string[] = [];
	page.on('request', (r) => {
		if (r.url().endsWith('/api/sleep') && r.method() === 'POST') sent.push(r.headers()['idempotency-key'] ?? '');
	});
	await context.setOffline(false);
	await expect(page.getByRole('banner').getByText(/waiting to sync/)).toHaveCount(0);
	await expect(page.getByTestId('offline-banner-state')).toHaveCount(0);
	expect(sent.length).toBeGreaterThan(0);
	expect(sent[0]).toMatch(/^[A-Za-z0-9_-]{1,100}$/);

	// A restart of the app replays nothing more: the queue is empty and one session is stored.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	const stored = await sessionsOf(seed, today());
	expect(stored).toHaveLength(1);
	expect(stored[0]).toMatchObject({ bed_time: '23:00:00', wake_time: '07:00:00', quality: 4 });
});

test('a 401 during the replay sends the user to sign in and keeps the queue, which syncs after signing in', async ({ page, context, seed }) => {
	await openNewEntry(page);
	await context.setOffline(true);
	await page.getByRole('radio', { name: '4 Good' }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('banner').getByText('1 waiting to sync')).toBeVisible();
	await seed.revokeSessionKeepingCookies();
	await context.setOffline(false);
	await expect(page).toHaveURL(/\/login\?.*reason=expired/);
	expect(await page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open('sleeptracker');
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		return new Promise<number>((resolve) => {
			const req = db.transaction('queue').objectStore('queue').count();
			req.onsuccess = () => resolve(req.result);
		});
	})).toBe(1);
	await signInWithForm(page);
	await expect(page).not.toHaveURL(/\/login/);
	await expect.poll(async () => (await sessionsOf(seed, today())).length, { timeout: 10_000 }).toBe(1);
	await expect(page.getByRole('banner').getByText(/waiting to sync/)).toHaveCount(0);
});

test('a lost response is retried with the same key and replayed by the server: still one session', async ({ page, seed }) => {
	await openNewEntry(page);
	const keys: string[] = [];
	let replayed = '';
	await page.route('**/api/sleep', async (route) => {
		keys.push(route.request().headers()['idempotency-key'] ?? '');
		const response = await route.fetch();
		if (keys.length === 1) {
			// The server stored the session, but the answer never reaches the app.
			expect(response.status()).toBe(201);
			await route.abort('connectionreset');
			return;
		}
		replayed = response.headers()['idempotent-replayed'] ?? '';
		await route.fulfill({ response });
	});
	await page.getByRole('radio', { name: '3 Fair' }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('banner').getByText('1 waiting to sync')).toBeVisible();
	// The queue retries by itself a few seconds later.
	await expect(page.getByRole('banner').getByText(/waiting to sync/)).toHaveCount(0, { timeout: 15_000 });
	expect(keys).toHaveLength(2);
	expect(keys[1]).toBe(keys[0]);
	expect(replayed).toBe('true');
	expect(await sessionsOf(seed, today())).toHaveLength(1);
});

test('an overlapping offline entry is kept with the server message until the user discards it', async ({ page, context, seed }) => {
	const date = today();
	await seed.createSession({ date, bed_time: '22:00', wake_time: '06:00' });
	await openNewEntry(page);
	await context.setOffline(true);
	await page.getByRole('radio', { name: '2 Poor' }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('banner').getByText('1 waiting to sync')).toBeVisible();

	await context.setOffline(false);
	const panel = page.getByTestId('sync-panel-state');
	await expect(panel).toContainText('Sleep session overlaps existing session');
	// Kept: still counted, still there after a restart of the app.
	await expect(page.getByRole('banner').getByText('1 waiting to sync')).toBeVisible();
	await page.reload();
	await expect(panel).toContainText('Sleep session overlaps existing session');

	// "Edit" opens the queued values in the form.
	await panel.getByRole('link', { name: /^Edit/ }).click();
	await expect(page).toHaveURL(/\/sleep\/new\?queued=/);
	await expect(page.getByLabel('Bed time')).toHaveValue('23:00');
	await expect(page.getByRole('radio', { name: '2 Poor' })).toBeChecked();
	await page.goBack();

	await panel.getByRole('button', { name: /^Discard/ }).click();
	const dialog = page.getByRole('dialog');
	await expect(dialog).toContainText('Discard this entry?');
	await dialog.getByRole('button', { name: 'Discard' }).click();
	await expect(panel).toHaveCount(0);
	await expect(page.getByRole('banner').getByText(/waiting to sync/)).toHaveCount(0);
	expect(await sessionsOf(seed, date)).toHaveLength(1);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(panel).toHaveCount(0);
});

test('manifest, icons and service worker: registered, controlling after reload, old caches removed, never /api/', async ({ page, context, request }) => {
	const manifest = await request.get('/manifest.webmanifest');
	expect(manifest.status()).toBe(200);
	expect(manifest.headers()['content-type']).toBe('application/manifest+json');
	const body = (await manifest.json()) as {
		name: string;
		short_name: string;
		start_url: string;
		display: string;
		background_color: string;
		theme_color: string;
		icons: { src: string; sizes: string; type: string; purpose?: string }[];
	};
	expect(body).toMatchObject({ name: 'SleepTracker', short_name: 'Sleep', start_url: '/', display: 'standalone' });
	expect(body.background_color).toMatch(/^#[0-9a-f]{6}$/);
	expect(body.theme_color).toMatch(/^#[0-9a-f]{6}$/);
	expect(body.icons.some((i) => i.purpose === 'maskable')).toBe(true);
	for (const icon of body.icons) {
		const res = await request.get(icon.src);
		expect(res.status()).toBe(200);
		expect(res.headers()['content-type']).toBe('image/png');
		const png = await res.body();
		// PNG signature, then IHDR width and height (big-endian) at bytes 16 and 20.
		expect(png.subarray(1, 4).toString()).toBe('PNG');
		expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
	}
	expect(body.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));

	const sw = await request.get('/sw.js');
	expect(sw.status()).toBe(200);
	expect(sw.headers()['cache-control']).toBe('no-cache');
	expect(sw.headers()['content-type']).toMatch(/javascript/);
	expect(sw.headers()['content-security-policy']).not.toContain("'unsafe-inline'; script");

	await page.goto('/');
	await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.reload();
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '')).toMatch(/\/sw\.js$/);
	const current = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('sleeptracker-')));
	expect(current).toHaveLength(1);
	const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), current[0] ?? '');
	expect(cached).toContain('/__shell__');
	expect(cached).toContain('/manifest.webmanifest');
	expect(cached.some((p) => p.startsWith('/_app/immutable/'))).toBe(true);
	expect(cached.filter((p) => p.startsWith('/api/'))).toEqual([]);

	// A new build: the cache of an older build is left behind, then the new worker activates.
	await page.evaluate(async () => {
		const old = await caches.open('sleeptracker-0.0.9-0badcafe');
		await old.put('/_app/immutable/entry/old.js', new Response('old build'));
		for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
	});
	await page.reload();
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await expect
		.poll(() => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('sleeptracker-'))))
		.toEqual(current);

	// Signed out while the server is reachable: the page guard decides, not the cache.
	await context.clearCookies();
	await page.goto('/');
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('the app opens offline from the cache', async ({ page, context, seed }) => {
	await seed.createSession({ date: today(), bed_time: '23:00', wake_time: '07:00' });
	await page.goto('/sleep/new');
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.reload();
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: 'New sleep entry' })).toBeVisible();
	await expect(page.getByTestId('offline-banner-state')).toContainText('Offline');
	await expect(page.getByRole('radiogroup', { name: 'Quality' })).toBeVisible();
	await context.setOffline(false);
});

test('quick log: defaults from the last 14 nights, then open, tap a quality, Save — three taps', async ({ page, seed }) => {
	const t = today();
	// Nine nights 23:30–07:00 and five 00:30–08:00: the circular medians are 23:30 and 07:00 (a mean
	// would be about 23:51 and 07:21). A nap on one date is not a main session and is ignored.
	for (let i = 1; i <= 14; i++) {
		const late = i <= 5;
		await seed.createSession({ date: addDays(t, -i), bed_time: late ? '00:30' : '23:30', wake_time: late ? '08:00' : '07:00' });
	}
	await seed.createSession({ date: addDays(t, -3), bed_time: '14:00', wake_time: '15:00' });

	await page.goto('/');
	await expect(page.getByTestId('dashboard-last-night-state')).toBeVisible();
	await page.getByRole('link', { name: 'Log sleep' }).click(); // 1
	await expect(page.getByLabel('Bed time')).toHaveValue('23:30');
	await expect(page.getByLabel('Wake time')).toHaveValue('07:00');
	await expect(page.getByLabel('Date')).toHaveValue(t);
	await expect(page.getByRole('radiogroup', { name: 'Quality' }).getByRole('radio', { checked: true })).toHaveCount(0);
	await expect(page.getByRole('radiogroup', { name: 'Rested on waking' })).toBeVisible();
	await expect(page.getByText('Sleep diary details')).toBeVisible();
	await page.setViewportSize({ width: 375, height: 900 });
	await page.getByRole('radiogroup', { name: 'Rested on waking' }).evaluate((el) => el.scrollIntoView({ block: 'center' }));
	await page.screenshot({ path: 'test-results/phone-quick-log-375.png', animations: 'disabled' });
	await page.getByRole('radio', { name: '5 Very good' }).check(); // 2
	await page.getByRole('button', { name: 'Save' }).click(); // 3
	await expect(page).toHaveURL(new RegExp(`/day/${t}$`));
	const stored = await sessionsOf(seed, t);
	expect(stored).toHaveLength(1);
	expect(stored[0]).toMatchObject({ bed_time: '23:30:00', wake_time: '07:00:00', quality: 5 });
});

test('Save asks for a quality; steppers change latency and awakenings within range', async ({ page }) => {
	await openNewEntry(page);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Quality must be between 1 and 5')).toBeVisible();
	await expect(page.getByRole('radio', { name: '1 Very poor' })).toBeFocused();
	const latency = page.getByRole('group', { name: 'Latency (min)' });
	await latency.getByRole('button', { name: 'More' }).click();
	await latency.getByRole('button', { name: 'More' }).click();
	await expect(page.getByLabel('Latency')).toHaveValue('10');
	await latency.getByRole('button', { name: 'Less' }).click();
	await expect(page.getByLabel('Latency')).toHaveValue('5');
	const awakenings = page.getByRole('group', { name: 'Awakenings' });
	await awakenings.getByRole('button', { name: 'Less' }).click();
	await expect(page.getByLabel('Awakenings')).toHaveValue('0');
	await awakenings.getByRole('button', { name: 'More' }).click();
	await expect(page.getByLabel('Awakenings')).toHaveValue('1');
});

/** Nights with gaps: dates −0…−13 of the window, a nap on today's date, runs of unlogged days. */
async function seedDashboard(seed: SeedApi) {
	const t = today();
	const logged = [0, 1, 2, 6, 7, 8, 9, 12];
	for (const i of logged) {
		await seed.createSession({ date: addDays(t, -i), bed_time: i % 2 ? '23:10' : '22:40', wake_time: i % 3 ? '06:50' : '07:30', quality: 2 + (i % 4) });
	}
	await seed.createSession({ date: t, bed_time: '13:30', wake_time: '14:10', quality: 4 });
}

for (const width of [375, 1280]) {
	test(`dashboard at ${width} px: Last night, the nights chart and folded runs`, async ({ page, seed }) => {
		await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
		await seedDashboard(seed);
		const t = today();
		await page.goto('/');
		const last = page.getByTestId('dashboard-last-night-state');
		await expect(last.getByRole('heading', { name: 'Last night' })).toBeVisible();
		await expect(last.getByTestId('dashboard-last-night-times-state')).toHaveText(/22:40\s*→?\s*(to)?\s*07:30/);
		await expect(last).toContainText('8h 50m');
		await expect(last).toContainText('Quality');
		const chart = page.getByRole('img', { name: /^Sleep per night on a clock from 18:00 to 14:00/ });
		await expect(chart).toHaveAccessibleName(/8 of 14 nights logged\.$/);
		await expect(page.locator('[data-testid^="dashboard-chart-bar-"]')).toHaveCount(9);
		// Folded runs: −3…−5 and −10…−11 and −13.
		await expect(page.getByText('3 days not logged')).toBeVisible();
		await expect(page.getByText('2 days not logged')).toBeVisible();
		await expect(page.getByText('1 day not logged')).toBeVisible();
		await expect(page.getByTestId(`day-card-${addDays(t, -4)}-state`)).toHaveCount(0);
		await expect(page.getByTestId(`day-card-${t}-state`)).toBeVisible();
		await expect(page.getByRole('heading', { level: 1, name: 'Last 14 days' })).toBeVisible();
		// The bars grow in, unless the user prefers reduced motion.
		const bar = page.locator('[data-testid^="dashboard-chart-bar-"]').first();
		expect(await bar.evaluate((el) => getComputedStyle(el).animationName)).toMatch(/grow/);
		await page.emulateMedia({ reducedMotion: 'reduce' });
		expect(await bar.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: `test-results/phone-dashboard-${width}.png`, fullPage: true, animations: 'disabled' });
	});
}

for (const theme of ['light', 'dark'] as const) {
	test(`axe, ${theme} theme: dashboard, quick-log form with an error, offline banner and an unsynced entry`, async ({ page, context, seed, baseURL }) => {
		await context.addCookies([{ name: 'sleeptracker.theme', value: theme, url: baseURL! }]);
		await seedDashboard(seed);
		await page.goto('/');
		await expect(page.getByTestId('dashboard-chart-state')).toBeVisible();
		await page.getByTestId('dashboard-chart-table-action').click();
		await scan(page, 'dashboard');

		await openNewEntry(page);
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('Quality must be between 1 and 5')).toBeVisible();
		await scan(page, 'new entry with error');

		await context.setOffline(true);
		await page.getByRole('radio', { name: '3 Fair' }).check();
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByRole('banner').getByText('1 waiting to sync')).toBeVisible();
		await expect(page.getByTestId('offline-banner-state')).toBeVisible();
		await scan(page, 'offline banner and header count');
		await context.setOffline(false);
		await expect(page.getByTestId('sync-panel-state')).toContainText('Sleep session overlaps existing session');
		await scan(page, 'unsynced entry');
	});
}
