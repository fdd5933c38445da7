/**
 * The user timezone and "today" (SPEC §8.7). The server's zone decides what today is; the browser's
 * zone is sent to the server right after sign-in and once per full app load.
 */
import type { ApiClient } from '$lib/api';
import { browserTimeZone, todayIn } from '$lib/time';

class TimezoneState {
	/** The zone the server reports (after the sync: the browser's zone, when the update succeeded). */
	zone = $state(safeBrowserZone());

	/** Today's date in the user timezone. */
	today(now: Date = new Date()): string {
		return todayIn(this.zone, now);
	}
}

function safeBrowserZone(): string {
	try {
		return browserTimeZone() || 'UTC';
	} catch {
		return 'UTC';
	}
}

/** The app-wide time-zone state. */
export const timezone = new TimezoneState();

let syncedThisLoad = false;

/** True once a sync has run during this app load (so the layout does not repeat the login's sync). */
export function hasSyncedTimezone(): boolean {
	return syncedThisLoad;
}

/**
 * Compares the browser's zone with the server's and updates the server when they differ. Failures
 * are silent apart from the console: the app keeps working with the zone it knows.
 */
export async function syncTimezone(
	client: Pick<ApiClient, 'getTimezone' | 'setTimezone'>,
	browserZone: string = safeBrowserZone()
): Promise<void> {
	syncedThisLoad = true;
	try {
		const { timezone: serverZone } = await client.getTimezone({ ignoreSessionEnd: true });
		timezone.zone = serverZone;
		if (browserZone && serverZone !== browserZone) {
			await client.setTimezone(browserZone, { ignoreSessionEnd: true });
			timezone.zone = browserZone;
		}
	} catch (err) {
		console.warn('time-zone sync failed', err);
	}
}

/** Forgets the per-load sync (after sign-out, the next sign-in syncs again). Also used by tests. */
export function resetTimezoneSync(): void {
	syncedThisLoad = false;
}
