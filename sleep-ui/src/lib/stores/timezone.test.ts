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
