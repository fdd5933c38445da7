/** Theme choice in the profile menu: applied at once, remembered across reloads, keyboard-operable. */
import { expect, test } from './fixtures';

test.beforeEach(async ({ seed }) => {
	await seed.login();
});

test('the theme persists across reloads and applies on the login page', async ({ page, context }) => {
	await page.emulateMedia({ colorScheme: 'light' });
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

	await page.getByRole('button', { name: 'Profile' }).click();
	const dark = page.getByRole('menuitemradio', { name: 'Dark' });
	await expect(page.getByRole('menuitemradio', { name: 'System' })).toHaveAttribute('aria-checked', 'true');
	await dark.click();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await expect(page.getByRole('menu')).toHaveCount(0);

	const cookie = (await context.cookies()).find((c) => c.name === 'sleeptracker.theme');
	expect(cookie?.value).toBe('dark');
	expect(cookie?.sameSite).toBe('Lax');
	expect(cookie?.path).toBe('/');

	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await page.getByRole('button', { name: 'Profile' }).click();
	await expect(page.getByRole('menuitemradio', { name: 'Dark' })).toHaveAttribute('aria-checked', 'true');
	await page.keyboard.press('Escape');

	await page.goto('/login?reason=expired');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('System follows the system preference live', async ({ page }) => {
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.goto('/trends');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await page.emulateMedia({ colorScheme: 'light' });
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('the profile menu works with the keyboard alone', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

	// The skip link is the first focusable element.
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();

	const button = page.getByRole('button', { name: 'Profile' });
	await button.focus();
	await expect(button).toHaveAttribute('aria-haspopup', 'menu');
	await page.keyboard.press('Enter');
	await expect(button).toHaveAttribute('aria-expanded', 'true');
	await expect(page.getByRole('menuitemradio', { name: 'Light' })).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await expect(page.getByRole('menuitemradio', { name: 'Dark' })).toBeFocused();
	await page.keyboard.press('End');
	await expect(page.getByRole('menuitem', { name: 'Log out' })).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await expect(page.getByRole('menuitemradio', { name: 'Light' })).toBeFocused();
	await page.keyboard.press('ArrowUp');
	await expect(page.getByRole('menuitem', { name: 'Log out' })).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(page.getByRole('menu')).toHaveCount(0);
	await expect(button).toBeFocused();

	await page.keyboard.press('ArrowUp');
	await expect(page.getByRole('menuitem', { name: 'Log out' })).toBeFocused();
	await page.keyboard.press('Home');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Space');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await expect(button).toBeFocused();

	// A click outside closes the menu.
	await page.keyboard.press('ArrowDown');
	await expect(page.getByRole('menu')).toBeVisible();
	await page.getByRole('heading', { level: 1 }).click();
	await expect(page.getByRole('menu')).toHaveCount(0);
});
