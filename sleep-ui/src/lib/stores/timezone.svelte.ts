/**
 * The user timezone and "today" (SPEC §8.7). The server's zone decides what today is; the browser's
 * zone is sent to the server right after sign-in and once per full app load.
 */
import type { ApiClient } from '$lib/api';
import { afterLoadIdle, browserTimeZone, localToday, todayIn } from '$lib/time';

class TimezoneState {
	/**
	 * The zone the server reports (after the sync: the browser's zone, when the update succeeded);
	 * null until the first sync of this load, which runs after the first paint.
	 */
	#zone = $state<string | null>(null);

	/** The user timezone; before the sync, the browser's zone (read on demand). */
	get zone(): string {
		return this.#zone ?? safeBrowserZone();
	}

	set zone(value: string) {
		this.#zone = value;
	}

	/**
	 * Today's date in the user timezone. Before the sync, and whenever the user timezone is the
	 * browser's own, this is the browser's local date: no `Intl` call on the way to the first paint
	 * (issue 11). In the usual case the sync then confirms the same zone and nothing changes.
	 */
	today(now: Date = new Date()): string {
		const zone = this.#zone;
		if (zone === null || zone === detectedZone) return localToday(now);
		return todayIn(zone, now);
	}
}

/** The browser's zone once something has read it (the sync or a page that shows the zone). */
let detectedZone: string | null = null;

function safeBrowserZone(): string {
	if (detectedZone !== null) return detectedZone;
	try {
		detectedZone = browserTimeZone() || 'UTC';
	} catch {
		detectedZone = 'UTC';
	}
	return detectedZone;
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

/**
 * The once-per-load sync of a signed-in app load (SPEC §8.7), started a few seconds after the page
 * has loaded, when the main thread is idle: reading the browser's zone pays ICU's start-up
 * (≈ 90 ms on a throttled phone), and nothing on screen waits for it ("today" is the browser's
 * date until then, which the sync confirms in the usual case).
 */
export function scheduleTimezoneSync(client: Pick<ApiClient, 'getTimezone' | 'setTimezone'>): void {
	syncedThisLoad = true;
	afterLoadIdle(() => void syncTimezone(client));
}

/** Forgets the per-load sync (after sign-out, the next sign-in syncs again). Also used by tests. */
export function resetTimezoneSync(): void {
	syncedThisLoad = false;
}
