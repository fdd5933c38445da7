import { beforeEach, describe, expect, it, vi } from 'vitest';
import { checkSession, markSignedIn, markSignedOut, session } from './session.svelte';

describe('session state', () => {
	beforeEach(() => {
		session.authenticated = null;
	});

	it('asks the server once and remembers the answer', async () => {
		const probe = vi.fn(async () => ({ authenticated: true }));
		const client = { session: probe };
		const [a, b] = await Promise.all([checkSession(client), checkSession(client)]);
		expect([a, b]).toEqual([true, true]);
		await checkSession(client);
		expect(probe).toHaveBeenCalledTimes(1);
		expect(probe).toHaveBeenCalledWith({ ignoreSessionEnd: true });
	});

	it('treats a failed probe as signed out', async () => {
		await expect(checkSession({ session: async () => Promise.reject(new Error('offline')) })).resolves.toBe(false);
		expect(session.authenticated).toBe(false);
	});

	it('follows sign-in and sign-out', async () => {
		markSignedIn();
		const probe = vi.fn();
		await expect(checkSession({ session: probe })).resolves.toBe(true);
		markSignedOut();
		await expect(checkSession({ session: probe })).resolves.toBe(false);
		expect(probe).not.toHaveBeenCalled();
	});
});

describe('session state offline', () => {
	beforeEach(() => {
		session.authenticated = null;
	});

	it('opens the app when the probe fails because the browser is offline (SPEC §15.2)', async () => {
		vi.stubGlobal('navigator', { onLine: false });
		try {
			await expect(checkSession({ session: async () => Promise.reject(new Error('offline')) })).resolves.toBe(true);
		} finally {
			vi.unstubAllGlobals();
		}
	});
});
