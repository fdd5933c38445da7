/** Sign-in, the page guard, the time-zone sync, logging out and a session that ends during use. */
import { addDays, E2E_EMAIL, expect, signInWithForm, test, today } from './fixtures';

test.describe('login', () => {
	test.use({ timezoneId: 'Asia/Tokyo' });

	test('a failed login shows an alert; a successful one opens the dashboard and syncs the time zone', async ({ page, seed }) => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/login$/);
		await expect(page).toHaveTitle('Sign in · SleepTracker');
		await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
		await expect(page.getByRole('navigation')).toHaveCount(0);

		await signInWithForm(page, 'wrong-password');
		await expect(page.getByRole('alert')).toHaveText('Invalid email or password');
		await expect(page).toHaveURL(/\/login$/);

		// Typing clears the banner.
		await page.getByLabel('Password').fill('e2e-password');
		await expect(page.getByRole('alert')).toHaveCount(0);
		await page.getByRole('button', { name: 'Sign in' }).click();

		await expect(page).toHaveURL(/\/$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Last 14 days' })).toBeVisible();
		const nav = page.getByRole('navigation', { name: 'Primary' });
		await expect(nav.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
		await expect(nav.getByRole('link', { name: 'Trends' })).toBeVisible();

		// The browser's zone was sent right after login.
		expect(await seed.get<{ timezone: string }>('/api/settings/timezone')).toEqual({ timezone: 'Asia/Tokyo' });
	});
});

test('client checks run before anything is sent', async ({ page }) => {
	let logins = 0;
	page.on('request', (r) => {
		if (r.url().endsWith('/api/login')) logins++;
	});
	await page.goto('/login');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByText('Email is required')).toBeVisible();
	await expect(page.getByText('Password is required')).toBeVisible();
	await expect(page.getByLabel('Email')).toBeFocused();
	await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
	await page.getByLabel('Email').fill(E2E_EMAIL);
	await expect(page.getByText('Email is required')).toHaveCount(0);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByLabel('Password')).toBeFocused();
	expect(logins).toBe(0);

	// The visibility toggle switches the input type and never shares the "Password" label.
	const toggle = page.getByRole('button', { name: 'Show' });
	await toggle.click();
	await expect(page.getByLabel('Password')).toHaveAttribute('type', 'text');
	await expect(page.getByRole('button', { name: 'Hide' })).toHaveAttribute('aria-pressed', 'true');
});

test('an unauthenticated page goes to login and back to the requested page', async ({ page }) => {
	await page.goto('/trends?metric=quality&view=chart');
	await expect(page).toHaveURL(/\/login\?next=%2Ftrends%3Fmetric%3Dquality%26view%3Dchart$/);
	await signInWithForm(page);
	await expect(page).toHaveURL(/\/trends\?metric=quality&view=chart$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Trends' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Quality', exact: true })).toHaveAttribute('aria-pressed', 'true');
});

test('signing in also works without JavaScript', async ({ browser, baseURL }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('Email').fill(E2E_EMAIL);
	await page.getByLabel('Password').fill('wrong');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(/\/login\?error=invalid_credentials$/);
	await page.getByLabel('Email').fill(E2E_EMAIL);
	await page.getByLabel('Password').fill('e2e-password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(/\/$/);
	expect((await context.cookies()).map((c) => c.name).sort()).toEqual(['csrf', 'session']);
	await context.close();
});

test('log out from the profile menu', async ({ page, seed }) => {
	await seed.login();
	await page.goto('/');
	await page.getByRole('button', { name: 'Profile' }).click();
	const menu = page.getByRole('menu');
	await expect(menu).toBeVisible();
	await menu.getByRole('menuitem', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('status').getByText('Logged out')).toBeVisible();
	// The session is really gone.
	await page.goto('/trends');
	await expect(page).toHaveURL(/\/login\?next=%2Ftrends$/);
});

test('an expired session sends the user to login and back to where they were', async ({ page, seed }) => {
	await seed.login();
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: 'Last 14 days' })).toBeVisible();

	await seed.revokeSessionKeepingCookies();
	await page.getByRole('button', { name: 'Previous 14 days' }).click();

	const previousTo = addDays(today(), -14);
	await expect(page).toHaveURL(new RegExp(`/login\\?next=%2F%3Fto%3D${previousTo}&reason=expired$`));
	await expect(page.getByText('Your session has ended. Please sign in again.')).toBeVisible();
	await signInWithForm(page);
	await expect(page).toHaveURL(new RegExp(`/\\?to=${previousTo}$`));
	await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Last 14 days');
});

test('an unknown page shows "Page not found" inside the app', async ({ page, seed }) => {
	await seed.login();
	const response = await page.goto('/no-such-page');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	await expect(page).toHaveTitle('Page not found · SleepTracker');
});
