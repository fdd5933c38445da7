/** Logging sleep, the dashboard, the day view, editing, notes, exercise and deleting. */
import { addDays, expect, test, today } from './fixtures';

test.beforeEach(async ({ seed }) => {
	await seed.login();
});

test('log a night, see it on the dashboard and the day view, then edit it', async ({ page, seed }) => {
	const date = today();
	await page.goto('/');
	await expect(page.getByText('No sleep logged in these 14 days.')).toBeVisible();
	await page.getByRole('link', { name: 'Log sleep' }).click();
	await expect(page).toHaveURL(/\/sleep\/new$/);
	await expect(page.getByRole('heading', { level: 1, name: 'New sleep entry' })).toBeVisible();

	await expect(page.getByLabel('Date')).toHaveValue(date);
	await page.getByLabel('Bed time').fill('23:05');
	await page.getByLabel('Wake time').fill('06:30');
	await page.getByLabel('Latency').fill('15');
	await page.getByLabel('Awakenings').fill('2');
	await page.getByRole('radio', { name: '4 Good' }).check();
	await page.getByLabel('Exercise intensity').selectOption({ label: 'Light' });
	await page.getByLabel('Note', { exact: true }).fill('Slept well\nafter a walk');
	await expect(page.getByText('23/1000')).toBeVisible();
	await page.getByRole('button', { name: 'Save' }).click();

	await expect(page).toHaveURL(new RegExp(`/day/${date}$`));
	await expect(page.getByRole('status').getByText('Saved')).toBeVisible();
	await expect(page.getByText('Bed 23:05')).toBeVisible();
	await expect(page.getByText('Wake 06:30')).toBeVisible();
	await expect(page.getByRole('img', { name: 'Slept 23:05 to 06:30' })).toBeVisible();
	await expect(page.getByLabel('Exercise intensity')).toHaveValue('light');
	await expect(page.getByText('Slept well')).toBeVisible();

	// One request stored the session, its intensity and its note.
	const notes = await seed.get<{ body: string }[]>(`/api/note?from=${date}&to=${date}`);
	expect(notes.map((n) => n.body)).toEqual(['Slept well\nafter a walk']);

	await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Home' }).click();
	const card = page.getByTestId(`day-card-${date}-state`);
	await expect(card.getByText('1 session')).toBeVisible();
	await expect(card.getByText('Quality 4.0')).toBeVisible();
	await expect(card.getByText('Exercise: light')).toBeVisible();
	await expect(card.getByText('1 note')).toBeVisible();
	await expect(card.getByText('23:05–06:30')).toBeVisible();
	await expect(card.getByText('7h 25m').first()).toBeVisible();
	await expect(page.getByTestId('dashboard-summary-nights-state')).toHaveText('1');
	await expect(page.getByTestId('dashboard-summary-total-state')).toHaveText('7h 25m');

	// Edit through the session's actions menu.
	await card.getByRole('button', { name: 'Actions for 23:05–06:30' }).click();
	await page.getByRole('menuitem', { name: 'Edit' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Edit sleep entry' })).toBeVisible();
	await expect(page.getByLabel('Bed time')).toHaveValue('23:05');
	await page.getByRole('radio', { name: '5 Very good' }).check();
	await page.getByRole('button', { name: 'Update' }).click();
	await expect(page).toHaveURL(new RegExp(`/day/${date}$`));
	await expect(page.getByRole('status').getByText('Updated')).toBeVisible();
	await expect(page.getByTestId('day-summary-quality-state')).toHaveText('5.0');
});

test('a short nap is saved through the unusual-duration dialog', async ({ page, seed }) => {
	const date = today();
	await page.goto(`/sleep/new?date=${date}`);
	await page.getByLabel('Bed time').fill('13:00');
	await page.getByLabel('Wake time').fill('13:40');
	await page.getByRole('radio', { name: '3 Fair' }).check();
	await page.getByRole('button', { name: 'Save' }).click();

	const dialog = page.getByRole('dialog', { name: 'Unusual duration' });
	await expect(dialog).toBeVisible();
	await expect(dialog).toContainText('This entry lasts 40m, which is shorter than 2 hours or longer than 14 hours. Save it anyway?');
	await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();

	// Escape cancels and nothing is sent.
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('button', { name: 'Save' })).toBeFocused();
	expect(await seed.get<unknown[]>(`/api/sleep/date/${date}`)).toEqual([]);

	await page.getByRole('button', { name: 'Save' }).click();
	await dialog.getByRole('button', { name: 'Proceed' }).click();
	await expect(page).toHaveURL(new RegExp(`/day/${date}$`));
	await expect(page.getByText('Bed 13:00')).toBeVisible();
	await expect(page.getByTestId('day-summary-total-state')).toHaveText('40m');
});

test('a rejected save shows the server message and keeps the values', async ({ page, seed }) => {
	const date = today();
	await seed.createSession({ date, bed_time: '22:00', wake_time: '06:00' });
	await page.goto(`/sleep/new?date=${date}`);
	await page.getByLabel('Bed time').fill('05:00');
	await page.getByLabel('Wake time').fill('07:00');
	await page.getByRole('radio', { name: '3 Fair' }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('alert')).toHaveText('Sleep session overlaps existing session');
	await expect(page).toHaveURL(/\/sleep\/new/);
	await expect(page.getByLabel('Bed time')).toHaveValue('05:00');
});

test('form errors are tied to their fields and focus the first one', async ({ page }) => {
	await page.goto('/sleep/new');
	await page.getByLabel('Latency').fill('200');
	// A new entry starts with no quality chosen (SPEC §15.3).
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByLabel('Latency')).toBeFocused();
	await expect(page.getByLabel('Latency')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('Latency must be between 0 and 180')).toBeVisible();
	await expect(page.getByText('Quality must be between 1 and 5')).toBeVisible();
	await expect(page.getByLabel('Latency')).toHaveAccessibleDescription(/Latency must be between 0 and 180/);
});

test('add, edit and delete a note on the day page', async ({ page }) => {
	const date = addDays(today(), -1);
	await page.goto(`/day/${date}`);
	await expect(page.getByText('No notes for this day.')).toBeVisible();

	// A blank note is not sent.
	await page.getByLabel('New note').fill('   ');
	await page.getByRole('button', { name: 'Add note' }).click();
	await expect(page.getByText('No notes for this day.')).toBeVisible();

	await page.getByLabel('New note').fill('Noisy street\nearplugs helped');
	await expect(page.getByText('28/1000')).toBeVisible();
	await page.getByRole('button', { name: 'Add note' }).click();
	await expect(page.getByRole('status').getByText('Note added')).toBeVisible();
	await expect(page.getByText('Noisy street')).toBeVisible();

	await page.getByRole('button', { name: /^Edit note/ }).click();
	await page.getByLabel('Edit note').fill('Quiet night');
	await page.getByRole('button', { name: 'Save note' }).click();
	await expect(page.getByRole('status').getByText('Note updated')).toBeVisible();
	await expect(page.getByText('Quiet night')).toBeVisible();

	await page.reload();
	await expect(page.getByText('Quiet night')).toBeVisible();

	await page.getByRole('button', { name: /^Delete note/ }).click();
	const dialog = page.getByRole('dialog', { name: 'Delete this note?' });
	await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
	await dialog.getByRole('button', { name: 'Delete' }).click();
	await expect(page.getByRole('status').getByText('Note deleted')).toBeVisible();
	await expect(page.getByText('No notes for this day.')).toBeVisible();
});

test('set the exercise intensity on the day page', async ({ page, seed }) => {
	const date = addDays(today(), -2);
	await page.goto(`/day/${date}`);
	const select = page.getByLabel('Exercise intensity');
	await expect(select).toHaveValue('');
	await select.selectOption({ label: 'Hard' });
	await expect(page.getByRole('status').getByText('Exercise intensity saved')).toBeVisible();
	expect(await seed.get(`/api/exercise/intensity?from=${date}&to=${date}`)).toEqual([{ date, intensity: 'hard' }]);
	await page.reload();
	await expect(page.getByLabel('Exercise intensity')).toHaveValue('hard');
	await expect(page.getByRole('option', { name: 'Not recorded' })).toHaveCount(0);
});

test('delete an entry from the dashboard and from the day page', async ({ page, seed }) => {
	const date = today();
	await seed.createSession({ date, bed_time: '22:00', wake_time: '06:00' });
	await seed.createSession({ date, bed_time: '13:00', wake_time: '14:00', quality: 5 });
	await page.goto('/');
	const card = page.getByTestId(`day-card-${date}-state`);
	await expect(card.getByText('2 sessions')).toBeVisible();

	const actions = card.getByRole('button', { name: 'Actions for 13:00–14:00' });
	await actions.click();
	await page.getByRole('menuitem', { name: 'Delete' }).click();
	const dialog = page.getByRole('dialog', { name: 'Delete this entry?' });
	await expect(dialog).toContainText(/The session from 13:00 to 14:00 on \w{3} \d+ \w{3} \d{4} will be removed\. This can't be undone\./);
	// Cancel returns focus to the control that opened the menu.
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(card.getByText('2 sessions')).toBeVisible();

	await actions.click();
	await page.getByRole('menuitem', { name: 'Delete' }).click();
	await dialog.getByRole('button', { name: 'Delete' }).click();
	await expect(page.getByRole('status').getByText('Deleted')).toBeVisible();
	await expect(card.getByText('1 session', { exact: true })).toBeVisible();
	await expect(page.getByTestId('dashboard-summary-total-state')).toHaveText('8h');

	await page.goto(`/day/${date}`);
	await page.getByRole('button', { name: 'Delete session 22:00–06:00' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
	await expect(page.getByText('No sleep logged for this day.')).toBeVisible();
	expect(await seed.get<unknown[]>(`/api/sleep/date/${date}`)).toEqual([]);
});

test('the confirmation dialog traps focus and restores it', async ({ page, seed }) => {
	const date = today();
	const id = await seed.createSession({ date, bed_time: '22:00', wake_time: '06:00' });
	await page.goto(`/sleep/${id}/edit`);
	await expect(page.getByLabel('Bed time')).toHaveValue('22:00');
	const del = page.getByRole('button', { name: 'Delete', exact: true });
	await del.focus();
	await page.keyboard.press('Enter');
	const dialog = page.getByRole('dialog', { name: 'Delete this entry?' });
	await expect(dialog).toHaveAttribute('aria-modal', 'true');
	await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(dialog.getByRole('button', { name: 'Delete' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
	await page.keyboard.press('Shift+Tab');
	await expect(dialog.getByRole('button', { name: 'Delete' })).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(del).toBeFocused();

	// Confirming deletes and returns to the day.
	await del.click();
	await dialog.getByRole('button', { name: 'Delete' }).click();
	await expect(page).toHaveURL(new RegExp(`/day/${date}$`));
	await expect(page.getByText('No sleep logged for this day.')).toBeVisible();
});

test('invalid dates and missing entries are explained', async ({ page }) => {
	await page.goto('/day/2025-02-30');
	await expect(page.getByText('That is not a valid date.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Back to dashboard' })).toBeVisible();
	await page.goto('/sleep/999/edit');
	await expect(page.getByText('This entry does not exist.')).toBeVisible();
	await page.goto('/sleep/abc/edit');
	await expect(page.getByText('This entry does not exist.')).toBeVisible();
});

test('dashboard windows move by 14 days and jump to a date', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('button', { name: 'Next 14 days' })).toBeDisabled();
	await page.getByRole('button', { name: 'Previous 14 days' }).click();
	const to = addDays(today(), -14);
	await expect(page).toHaveURL(new RegExp(`/\\?to=${to}$`));
	await expect(page.getByText(`${addDays(to, -13)} – ${to}`)).toBeVisible();
	await page.getByRole('button', { name: 'Next 14 days' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Last 14 days' })).toBeVisible();
	await page.getByLabel('Jump to date').fill('2025-01-20');
	await page.getByRole('button', { name: 'Go' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '7 Jan – 20 Jan 2025' })).toBeVisible();
});
