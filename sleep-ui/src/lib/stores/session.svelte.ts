/**
 * Whether the browser holds a valid login session, as far as the app knows. Probed once per full
 * app load with `GET /api/session` (SPEC §8.1) and then kept up to date by sign-in, sign-out and any
 * API call that finds the session gone.
 */
import type { ApiClient } from '$lib/api';

class SessionState {
	/** null until the first probe has answered. */
	authenticated = $state<boolean | null>(null);
}

/** The app-wide session state. */
export const session = new SessionState();

let probe: Promise<boolean> | null = null;

/**
 * The session status, asking the server only the first time. A probe that fails (network) counts
 * as signed out, so the user lands on the login page, which reports the network problem itself —
 * except while the browser is offline: then the app opens from the service worker's cache so the
 * entry form can queue entries (SPEC §15.2). Once online, the queue's first request (or any other)
 * meets the server, and a 401 there still ends the session.
 */
export function checkSession(client: Pick<ApiClient, 'session'>): Promise<boolean> {
	if (session.authenticated !== null) return Promise.resolve(session.authenticated);
	probe ??= client
		.session({ ignoreSessionEnd: true })
		.then((r) => r.authenticated === true)
		.catch(() => isOffline())
		.then((authenticated) => {
			session.authenticated = authenticated;
			probe = null;
			return authenticated;
		});
	return probe;
}

function isOffline(): boolean {
	return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** Records a successful sign-in. */
export function markSignedIn(): void {
	session.authenticated = true;
}

/** Records that the session is gone (logout, 401, revoked). */
export function markSignedOut(): void {
	session.authenticated = false;
}
