/**
 * The settings page (SPEC §16): an API token is created (shown once, copied), listed with its last use,
 * revoked through the confirmation dialog, and then refused by the server; the time zone is chosen
 * from the searchable list; the backup section shows only when the server reports backups.
 */
import AxeBuilder from '@axe-core/playwright';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { E2E_PASSWORD, expect, test } from './fixtures';

test.beforeEach(async ({ seed }) => {
	await seed.login();
});

/** A client without cookies: only the Bearer header speaks for it. */
async function bearerClient(baseURL: string, token: string): Promise<APIRequestContext> {
	return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

test('create, copy, list and revoke an API token; the revoked token is refused', async ({ page, context, server }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
	await page.goto('/');
	await page.getByRole('button', { name: 'Profile' }).click();
	await page.getByRole('menuitem', { name: 'Settings' }).click();
	await expect(page).toHaveURL(/\/settings$/);
	await expect(page).toHaveTitle('Settings · SleepTracker');
	await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
	await expect(page.getByTestId('settings-tokens-empty-state')).toBeVisible();

	// A wrong password is refused next to the password field, and nothing is created.
	await page.getByLabel('Token name').fill('Weekly export');
	await page.getByLabel('Read and write').check();
	await page.getByLabel('Expires after').selectOption({ label: 'Never' });
	await page.getByLabel('Your password').fill('not my password');
	await page.getByRole('button', { name: 'Create token' }).click();
	await expect(page.getByTestId('settings-token-password-error-state')).toHaveText('Password is incorrect');
	await expect(page.getByTestId('settings-tokens-empty-state')).toBeVisible();

	await page.getByLabel('Your password').fill(E2E_PASSWORD);
	await page.getByRole('button', { name: 'Create token' }).click();
	const created = page.getByTestId('settings-token-created-state');
	await expect(created).toContainText('Copy it now: it is shown only once.');
	const token = await page.getByTestId('settings-token-value-state').inputValue();
	expect(token).toMatch(/^st_[A-Za-z0-9_-]{43}$/);

	await page.getByRole('button', { name: 'Copy', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

	// The list shows the token (never the token itself), not used yet.
	const list = page.getByTestId('settings-tokens-state');
	const row = list.getByRole('listitem').filter({ hasText: 'Weekly export' });
	await expect(row).toContainText('Read and write');
	await expect(row).toContainText('never expires');
	await expect(row).toContainText('Never used');
	await page.getByRole('button', { name: 'Done' }).click();
	await expect(created).toHaveCount(0);
	await expect(page.getByText(token)).toHaveCount(0);

	// A script uses it: reads and writes without cookies or CSRF.
	const script = await bearerClient(server.url, token);
	const recent = await script.get('/api/sleep/recent?days=7');
	expect(recent.status()).toBe(200);
	const note = await script.post('/api/note', { data: { date: '2025-06-01', body: 'from cron' } });
	expect(note.status()).toBe(201);

	await page.reload();
	await expect(page.getByTestId('settings-tokens-state').getByRole('listitem').filter({ hasText: 'Weekly export' })).toContainText(
		'Last used'
	);

	// Revoke through the confirmation dialog: Cancel keeps it, Revoke ends it.
	await page.getByRole('button', { name: 'Revoke Weekly export' }).click();
	const dialog = page.getByRole('dialog', { name: 'Revoke token?' });
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	expect((await script.get('/api/sleep/recent?days=7')).status()).toBe(200);

	await page.getByRole('button', { name: 'Revoke Weekly export' }).click();
	await dialog.getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Token revoked' })).toBeVisible();
	await expect(page.getByTestId('settings-tokens-empty-state')).toBeVisible();

	const refused = await script.get('/api/sleep/recent?days=7');
	expect(refused.status()).toBe(401);
	expect(refused.headers()['www-authenticate']).toBe('Bearer error="invalid_token"');
	expect(await refused.json()).toEqual({ code: 'unauthorized', message: 'authentication required' });
	await script.dispose();

	// The owner's own session is untouched.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});

test('a read token cannot write', async ({ page, server }) => {
	await page.goto('/settings');
	await page.getByLabel('Token name').fill('Dashboard');
	await expect(page.getByLabel('Read only')).toBeChecked();
	await page.getByLabel('Your password').fill(E2E_PASSWORD);
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = await page.getByTestId('settings-token-value-state').inputValue();
	const script = await bearerClient(server.url, token);
	expect((await script.get('/api/settings/timezone')).status()).toBe(200);
	const write = await script.post('/api/note', { data: { date: '2025-06-01', body: 'no' } });
	expect(write.status()).toBe(403);
	expect(await write.json()).toEqual({ code: 'forbidden', message: "this token's scope does not allow this request" });
	expect((await script.get('/api/tokens')).status()).toBe(403);
	await script.dispose();
	await expect(page.getByTestId('settings-tokens-state').getByRole('listitem').filter({ hasText: 'Dashboard' })).toContainText(
		'expires'
	);
});

test('the time zone is chosen from a searchable list with the current zone preselected', async ({ page, seed }) => {
	await page.goto('/settings');
	const select = page.getByRole('listbox', { name: 'Time zone' });
	await expect(select).toHaveValue('UTC');
	await expect(page.getByRole('button', { name: 'Save time zone' })).toBeDisabled();

	await page.getByLabel('Search time zones').fill('tokyo');
	await expect(select.locator('option', { hasText: 'Asia/Tokyo' })).toHaveCount(1);
	await expect(select.locator('option', { hasText: 'Europe/Berlin' })).toHaveCount(0);
	await select.selectOption('Asia/Tokyo');
	await page.getByRole('button', { name: 'Save time zone' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
	await expect(page.getByTestId('settings-timezone-current-state')).toHaveText('Asia/Tokyo');
	expect(await seed.get<{ timezone: string }>('/api/settings/timezone')).toEqual({ timezone: 'Asia/Tokyo' });

	await page.getByLabel('Search time zones').fill('new york');
	await expect(select.locator('option', { hasText: 'America/New York' })).toHaveCount(1);
});

test('the backup section shows only when the server reports backups', async ({ page }) => {
	const status = (await page.request.get('/api/backups')).status();
	await page.goto('/settings');
	await expect(page.getByTestId('settings-tokens-section-state')).toBeVisible();
	if (status === 200) {
		await expect(page.getByRole('heading', { name: 'Backups' })).toBeVisible();
	} else {
		// Give the status request time to answer before asserting the absence.
		await page.waitForLoadState('networkidle');
		await expect(page.getByTestId('settings-backup-state')).toHaveCount(0);
	}
});

test('the settings page has no serious axe findings in either theme and fits 375 px', async ({ page, baseURL }) => {
	test.setTimeout(120_000);
	for (const theme of ['light', 'dark'] as const) {
		await page.context().addCookies([{ name: 'sleeptracker.theme', value: theme, url: baseURL! }]);
		for (const width of [1280, 375]) {
			await page.setViewportSize({ width, height: 900 });
			await page.goto('/settings');
			await expect(page.getByTestId('settings-tokens-empty-state')).toBeVisible();
			await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			expect(overflow, `settings at ${width}px scrolls horizontally`).toBeLessThanOrEqual(0);
			const results = await new AxeBuilder({ page }).analyze();
			const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
			expect(bad.map((v) => `${theme} ${width}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
		}
	}
});
