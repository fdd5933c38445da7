import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hasSyncedTimezone, resetTimezoneSync, syncTimezone, timezone } from './timezone.svelte';

function client(serverZone: string, failPost = false) {
	return {
		getTimezone: vi.fn(async () => ({ timezone: serverZone })),
		setTimezone: vi.fn(async () => {
			if (failPost) throw new Error('offline');
		})
	};
}

describe('time-zone sync', () => {
	beforeEach(() => {
		resetTimezoneSync();
		vi.spyOn(console, 'warn').mockImplementation(() => {});
	});

	it('sends the browser zone when it differs from the server', async () => {
		const c = client('UTC');
		await syncTimezone(c, 'Europe/Berlin');
		expect(c.setTimezone).toHaveBeenCalledWith('Europe/Berlin', { ignoreSessionEnd: true });
		expect(timezone.zone).toBe('Europe/Berlin');
		expect(hasSyncedTimezone()).toBe(true);
	});

	it('sends nothing when the zones match', async () => {
		const c = client('Asia/Tokyo');
		await syncTimezone(c, 'Asia/Tokyo');
		expect(c.setTimezone).not.toHaveBeenCalled();
		expect(timezone.zone).toBe('Asia/Tokyo');
	});

	it('fails silently and keeps the server zone for "today"', async () => {
		const c = client('America/New_York', true);
		await expect(syncTimezone(c, 'Europe/Berlin')).resolves.toBeUndefined();
		expect(timezone.zone).toBe('America/New_York');
		expect(timezone.today(new Date('2025-06-17T02:00:00Z'))).toBe('2025-06-16');
		expect(console.warn).toHaveBeenCalled();
	});
});

describe('no Intl before the first paint (issue 11)', () => {
	it('gives the local date before the sync and calls Intl only in the deferred sync', async () => {
		vi.resetModules();
		vi.useFakeTimers();
		const formats = vi.spyOn(Intl, 'DateTimeFormat');
		try {
			const store = await import('./timezone.svelte');
			const now = new Date(2025, 5, 17, 0, 30); // local midnight + 30 min
			expect(store.timezone.today(now)).toBe('2025-06-17');
			const c = client('Asia/Tokyo');
			store.scheduleTimezoneSync(c);
			expect(store.hasSyncedTimezone()).toBe(true);
			expect(c.getTimezone).not.toHaveBeenCalled();
			expect(formats).not.toHaveBeenCalled();
			await vi.runAllTimersAsync();
			expect(c.getTimezone).toHaveBeenCalledTimes(1);
			expect(formats).toHaveBeenCalled(); // the browser's zone, read by the sync
			// The server said Tokyo; the browser's zone differs in CI, so the sync sends it.
			const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
			expect(store.timezone.zone).toBe(browserZone);
			if (browserZone !== 'Asia/Tokyo') expect(c.setTimezone).toHaveBeenCalledWith(browserZone, { ignoreSessionEnd: true });
		} finally {
			vi.useRealTimers();
			formats.mockRestore();
		}
	});
});
