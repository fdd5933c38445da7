/** The client functions of the clinical diary (SPEC §12.3–12.5): paths, queries, bodies and CSRF. */
import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, diaryCsvUrl } from './api';

function fakeServer(respond: () => Response, cookies = 'csrf=tok') {
	const calls: { url: string; init: RequestInit }[] = [];
	const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
		calls.push({ url: String(url), init: init ?? {} });
		return respond();
	});
	return { client: createApiClient({ fetch: fetch as unknown as typeof globalThis.fetch, cookies: () => cookies }), calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('diary client', () => {
	it('reads the diary, the sleep window and the SRI without a CSRF header', async () => {
		const { client, calls } = fakeServer(() => json(200, {}));
		await client.diary('2025-06-04', '2025-06-17');
		await client.sleepWindow();
		await client.sleepWindow('2025-06-17');
		await client.regularity('2025-05-21', '2025-06-17');
		expect(calls.map((c) => [c.init.method, c.url])).toEqual([
			['GET', '/api/diary?from=2025-06-04&to=2025-06-17'],
			['GET', '/api/diary/sleep-window'],
			['GET', '/api/diary/sleep-window?to=2025-06-17'],
			['GET', '/api/trends/regularity?from=2025-05-21&to=2025-06-17']
		]);
		expect(calls.every((c) => (c.init.headers as Record<string, string>)['X-CSRF-Token'] === undefined)).toBe(true);
	});

	it('stores and removes the window with the CSRF header', async () => {
		const { client, calls } = fakeServer(() => new Response(null, { status: 204 }));
		await expect(client.setSleepWindow('06:30:00', 345)).resolves.toBeUndefined();
		await expect(client.deleteSleepWindow()).resolves.toBeUndefined();
		expect(calls.map((c) => [c.init.method, c.url])).toEqual([
			['PUT', '/api/diary/sleep-window'],
			['DELETE', '/api/diary/sleep-window']
		]);
		expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ wake_time: '06:30:00', window_min: 345 });
		expect((calls[1]!.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok');
	});

	it("shows the server's message for a refused window", async () => {
		const { client } = fakeServer(() => json(400, { code: 'bad_request', message: 'window_min must be between 300 and 720' }));
		const err = await client.setSleepWindow('06:30', 200).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError).message).toBe('Window_min must be between 300 and 720');
	});

	it('links the CSV of a range', () => {
		expect(diaryCsvUrl('2025-06-04', '2025-06-17')).toBe('/api/diary?format=csv&from=2025-06-04&to=2025-06-17');
	});
});
