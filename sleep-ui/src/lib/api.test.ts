import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, errorMessage, NETWORK_ERROR_MESSAGE, readCsrfToken } from './api';

interface Call {
	url: string;
	init: RequestInit;
}

function fakeServer(respond: (call: Call) => Response | Promise<Response>, cookies = '') {
	const calls: Call[] = [];
	const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
		const call = { url: String(url), init: init ?? {} };
		calls.push(call);
		return respond(call);
	});
	const client = createApiClient({ fetch: fetch as unknown as typeof globalThis.fetch, cookies: () => cookies });
	return { client, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('readCsrfToken', () => {
	it('prefers __Host-csrf, falls back to csrf, and percent-decodes', () => {
		expect(readCsrfToken('a=1; __Host-csrf=abc%2Fdef; csrf=zzz')).toBe('abc/def');
		expect(readCsrfToken('csrf=q9X-7Tw; sleeptracker.theme=dark')).toBe('q9X-7Tw');
		expect(readCsrfToken('session=x')).toBe('');
		expect(readCsrfToken('')).toBe('');
		expect(readCsrfToken('csrf=%E0%A4%A')).toBe('%E0%A4%A');
	});
});

describe('requests', () => {
	it('sends JSON with the CSRF header on writes, same-origin credentials', async () => {
		const { client, calls } = fakeServer(() => json(201, { id: 7 }), '__Host-csrf=tok%2Ben');
		await expect(client.addNote('2025-06-16', 'hello')).resolves.toEqual({ id: 7 });
		const call = calls[0]!;
		expect(call.url).toBe('/api/note');
		expect(call.init.method).toBe('POST');
		expect(call.init.credentials).toBe('same-origin');
		const headers = call.init.headers as Record<string, string>;
		expect(headers['Content-Type']).toBe('application/json');
		expect(headers['X-CSRF-Token']).toBe('tok+en');
		expect(JSON.parse(String(call.init.body))).toEqual({ date: '2025-06-16', body: 'hello' });
	});

	it('sends no CSRF header on reads and builds query strings', async () => {
		const { client, calls } = fakeServer(() => json(200, []), 'csrf=abc');
		await client.sleepRange('2025-06-03', '2025-06-16');
		await client.personalization({ to: '2025-06-16', windowDays: 14 });
		await client.personalization();
		expect(calls.map((c) => c.url)).toEqual([
			'/api/sleep/range?from=2025-06-03&to=2025-06-16',
			'/api/trends/personalization?window_days=14&to=2025-06-16',
			'/api/trends/personalization'
		]);
		expect((calls[0]!.init.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
	});

	it('returns undefined for 204 answers', async () => {
		const { client, calls } = fakeServer(() => new Response(null, { status: 204 }), 'csrf=abc');
		await expect(client.deleteSleep(42)).resolves.toBeUndefined();
		expect(calls[0]!.init.method).toBe('DELETE');
		expect((calls[0]!.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('abc');
	});
});

describe('errors', () => {
	it("shows the server's message, capitalised", async () => {
		const { client } = fakeServer(() =>
			json(400, { code: 'bad_request', message: 'sleep session overlaps existing session' })
		);
		const err = await client.createSleep({
			date: '2025-06-16',
			bed_time: '22:00:00',
			wake_time: '06:00:00',
			latency_min: 0,
			awakenings: 0,
			quality: 3
		}).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError).message).toBe('Sleep session overlaps existing session');
		expect((err as ApiError).status).toBe(400);
		expect((err as ApiError).code).toBe('bad_request');
		expect(errorMessage(err)).toBe('Sleep session overlaps existing session');
	});

	it('reports a network failure in plain words', async () => {
		const { client } = fakeServer(() => {
			throw new TypeError('Failed to fetch');
		});
		const err = (await client.notes('2025-06-01', '2025-06-02').catch((e: unknown) => e)) as ApiError;
		expect(err.status).toBe(0);
		expect(err.message).toBe(NETWORK_ERROR_MESSAGE);
	});

	it('falls back to a sentence when the body is not an envelope', async () => {
		const { client } = fakeServer(() => new Response('<html>bad gateway</html>', { status: 502 }));
		const err = (await client.notes('2025-06-01', '2025-06-02').catch((e: unknown) => e)) as ApiError;
		expect(err.message).toBe('Something went wrong (HTTP 502). Try again.');
		expect(err.message).not.toMatch(/GET|failed: 502/);
	});

	it('reads Retry-After on throttled logins and never treats a failed login as a lost session', async () => {
		const ended = vi.fn();
		const { client } = fakeServer(({ url }) =>
			url === '/api/login'
				? json(429, { code: 'too_many_requests', message: 'too many failed login attempts; try again later', detail: 'retry after 61 seconds' }, { 'Retry-After': '61' })
				: json(401, { code: 'unauthorized', message: 'invalid email or password' })
		);
		client.setSessionEndedHandler(ended);
		const err = (await client.login('a@b.c', 'x').catch((e: unknown) => e)) as ApiError;
		expect(err.status).toBe(429);
		expect(err.retryAfterSeconds).toBe(61);
		expect(err.detail).toBe('retry after 61 seconds');
		expect(ended).not.toHaveBeenCalled();
	});
});

describe('session end', () => {
	it('calls the handler on a 401 and on a CSRF 403', async () => {
		const ended = vi.fn();
		let answer = json(401, { code: 'unauthorized', message: 'authentication required' });
		const { client } = fakeServer(() => answer);
		client.setSessionEndedHandler(ended);
		const first = (await client.sleepByDate('2025-06-16').catch((e: unknown) => e)) as ApiError;
		expect(first.sessionEnded).toBe(true);
		expect(ended).toHaveBeenCalledTimes(1);

		answer = json(403, { code: 'forbidden', message: 'CSRF check failed', detail: 'csrf: token mismatch' });
		await client.deleteNote(3).catch(() => undefined);
		expect(ended).toHaveBeenCalledTimes(2);
	});

	it('does not end the session for other errors or when told to ignore 401', async () => {
		const ended = vi.fn();
		let answer = json(404, { code: 'not_found', message: 'not found' });
		const { client } = fakeServer(() => answer);
		client.setSessionEndedHandler(ended);
		await client.getSleep(99).catch(() => undefined);
		answer = json(401, { code: 'unauthorized', message: 'authentication required' });
		await client.getTimezone({ ignoreSessionEnd: true }).catch(() => undefined);
		await client.logout().catch(() => undefined);
		expect(ended).not.toHaveBeenCalled();
	});

	it('passes aborts through untouched', async () => {
		const { client } = fakeServer(() => {
			throw new DOMException('aborted', 'AbortError');
		});
		await expect(client.sleepBars('2025-06-01', '2025-06-02')).rejects.toMatchObject({ name: 'AbortError' });
	});
});
