/** Trends: chart and schedule views with data, state in the URL, comparison, insights, range checks. */
import { addDays, expect, test, today } from './fixtures';
import { seedHistory } from './history';

test.beforeEach(async ({ seed }) => {
	await seed.login();
});

test('chart and schedule render with data', async ({ page, seed }) => {
	await seedHistory(seed, 30);
	await page.goto('/trends');
	await expect(page).toHaveTitle('Trends · SleepTracker');
	await expect(page.getByRole('heading', { level: 1, name: 'Trends' })).toBeVisible();
	await expect(page.getByText(`Last 14 days · ${addDays(today(), -13)} – ${today()}`)).toBeVisible();
	await expect(page.getByRole('button', { name: '14 days' })).toHaveAttribute('aria-pressed', 'true');

	const chart = page.getByRole('img', { name: /^Duration per night, .+, 14 nights$/ });
	await expect(chart).toBeVisible();
	expect(await chart.evaluate((el) => el.tagName)).toBe('CANVAS');
	await expect(page.getByTestId('trends-summary-nights-state')).toHaveText('14');
	await expect(page.getByText('Is my sleep duration changing?')).toBeVisible();
	await expect(page.getByTestId('trends-delta-state')).toHaveText(/^(\+?-?\d+ min vs prior period)$/);

	// The data table lists every calendar date.
	await page.getByText('Show data table').click();
	await expect(page.getByRole('table').getByRole('row')).toHaveCount(15);

	// Metric, comparison and weekly average live in the URL.
	await page.getByRole('button', { name: 'Bedtime' }).click();
	await expect(page).toHaveURL(/metric=bedtime/);
	await expect(page.getByText('Is my bedtime shifting?')).toBeVisible();
	await expect(page.getByTestId('trends-delta-state')).toHaveText(/min (later|earlier) vs prior period$|^No timing shift vs prior period$/);
	await page.getByLabel('Compare to prior period').check();
	await expect(page).toHaveURL(/compare=1/);
	await expect(page.getByText('Prior period', { exact: true }).first()).toBeVisible();
	await page.getByLabel('Weekly average').check();
	await expect(page.getByText('Weekly average is available for duration and quality.')).toBeVisible();
	await page.getByRole('button', { name: 'Quality', exact: true }).click();
	await expect(page.getByText('3 is the middle of the 1–5 scale.')).toBeVisible();
	await expect(page.getByRole('img', { name: /^Quality per night/ })).toBeVisible();

	// Reloading keeps the state.
	await page.reload();
	await expect(page.getByRole('button', { name: 'Quality', exact: true })).toHaveAttribute('aria-pressed', 'true');
	await expect(page.getByLabel('Compare to prior period')).toBeChecked();

	await page.getByRole('button', { name: 'Schedule' }).click();
	await expect(page).toHaveURL(/view=schedule/);
	const rows = page.getByTestId('trends-schedule-view-state').getByRole('listitem');
	await expect(rows).toHaveCount(14);
	await expect(rows.first().getByRole('img', { name: /^Slept \d\d:\d\d to \d\d:\d\d$/ })).toBeVisible();
	await expect(rows.first()).toContainText(/\d\d:\d\d – \d\d:\d\d/);
	await expect(rows.first()).toContainText(/Duration \d+:\d\d/);

	await page.getByRole('button', { name: '30 days' }).click();
	await expect(rows).toHaveCount(30);
	await expect(page.getByText(`Last 30 days · ${addDays(today(), -29)} – ${today()}`)).toBeVisible();
});

test('insights appear in plain language and "Show in chart" highlights the evidence', async ({ page, seed }) => {
	await seedHistory(seed, 30);
	await page.goto('/trends');
	const insights = page.getByTestId('trends-insights-state');
	await expect(insights.getByRole('heading', { name: 'Weekend shift' })).toBeVisible();
	await expect(insights).toContainText(/On weekends your sleep midpoint is about \d+ min later than on weekdays\./);
	await expect(insights).not.toContainText(/policy|suppress|requires/i);

	await page.getByRole('button', { name: 'Show in chart: Weekend shift' }).click();
	await expect(page).toHaveURL(/metric=bedtime/);
	await expect(page).toHaveURL(/compare=1/);
	await expect(page.getByText('Weekend nights highlighted')).toBeVisible();
	await page.getByRole('button', { name: 'Clear highlight' }).click();
	await expect(page.getByText('Weekend nights highlighted')).toHaveCount(0);
});

test('custom ranges are checked before any request and empty ranges say so', async ({ page }) => {
	await page.goto('/trends');
	await page.getByLabel('From', { exact: true }).fill('2025-06-10');
	await page.getByLabel('To', { exact: true }).fill('2025-06-01');
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page.getByText('Start date must be on or before end date')).toBeVisible();
	await page.getByLabel('From', { exact: true }).fill('2010-01-01');
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page.getByText('Range must be 3660 days or less')).toBeVisible();

	await page.getByLabel('From', { exact: true }).fill('2025-06-01');
	await page.getByLabel('To', { exact: true }).fill('2025-06-10');
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/from=2025-06-01&to=2025-06-10/);
	await expect(page.getByText('2025-06-01 – 2025-06-10', { exact: true })).toBeVisible();
	await expect(page.getByText('No sleep logged in this range.')).toBeVisible();
	await expect(page.locator('canvas')).toHaveCount(0);
	await expect(page.getByText('Keep logging — insights appear once there are enough nights in this range.')).toBeVisible();
	for (const preset of ['7 days', '14 days', '30 days']) {
		await expect(page.getByRole('button', { name: preset })).toHaveAttribute('aria-pressed', 'false');
	}
});
