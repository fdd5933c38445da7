/**
 * Test fixtures: every test gets its own sleep-api on a fresh database (`server`), the page's
 * baseURL pointing at it, and helpers to sign in and seed data through the real API.
 */
import { test as base, expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { E2E_EMAIL, E2E_PASSWORD, startServer, type RunningServer } from './server';

export { expect };
export { E2E_EMAIL, E2E_PASSWORD };

/** A session as the API accepts it. */
export interface SeedSession {
	date: string;
	bed_time: string;
	wake_time: string;
	latency_min?: number;
	awakenings?: number;
	quality?: number;
	exercise_intensity?: 'none' | 'light' | 'hard';
	note?: string;
}

/** Calls the API with the browser context's cookies (and its CSRF token on writes). */
export class SeedApi {
	constructor(
		private readonly request: APIRequestContext,
		private readonly context: BrowserContext
	) {}

	async csrf(): Promise<string> {
		const cookies = await this.context.cookies();
		return cookies.find((c) => c.name === 'csrf' || c.name === '__Host-csrf')?.value ?? '';
	}

	/** Signs in through the API; the browser context receives the cookies. */
	async login(): Promise<void> {
		const res = await this.request.post('/api/login', { data: { email: E2E_EMAIL, password: E2E_PASSWORD } });
		expect(res.status()).toBe(200);
	}

	async createSession(session: SeedSession): Promise<number> {
		const res = await this.request.post('/api/sleep', {
			data: { latency_min: 10, awakenings: 1, quality: 4, ...session },
			headers: { 'X-CSRF-Token': await this.csrf() }
		});
		expect(res.status(), await res.text()).toBe(201);
		return ((await res.json()) as { id: number }).id;
	}

	async addNote(date: string, body: string): Promise<number> {
		const res = await this.request.post('/api/note', {
			data: { date, body },
			headers: { 'X-CSRF-Token': await this.csrf() }
		});
		expect(res.status()).toBe(201);
		return ((await res.json()) as { id: number }).id;
	}

	async get<T>(path: string): Promise<T> {
		const res = await this.request.get(path);
		expect(res.status(), await res.text()).toBe(200);
		return (await res.json()) as T;
	}

	/**
	 * Ends the login session on the server while the browser keeps its (now revoked) cookies, as when
	 * a session expires during use.
	 */
	async revokeSessionKeepingCookies(): Promise<void> {
		const cookies = await this.context.cookies();
		const res = await this.request.post('/api/logout', { headers: { 'X-CSRF-Token': await this.csrf() } });
		expect(res.status()).toBe(204);
		await this.context.clearCookies();
		await this.context.addCookies(cookies);
	}
}

interface Fixtures {
	server: RunningServer;
	seed: SeedApi;
}

export const test = base.extend<Fixtures>({
	server: async ({}, use) => {
		const server = await startServer();
		await use(server);
		await server.stop();
	},
	baseURL: async ({ server }, use) => {
		await use(server.url);
	},
	seed: async ({ page, context }, use) => {
		await use(new SeedApi(page.request, context));
	}
});

/** Today's date (the server runs with APP_TZ=UTC and the browser in UTC). */
export function today(): string {
	return new Date().toISOString().slice(0, 10);
}

/** The date `n` days after `date`. */
export function addDays(date: string, n: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

/** Signs in through the login form and waits for the dashboard. */
export async function signInWithForm(page: Page, password = E2E_PASSWORD): Promise<void> {
	await page.getByLabel('Email').fill(E2E_EMAIL);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}
