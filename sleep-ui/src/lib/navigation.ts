/**
 * Where the app sends the user around sign-in (SPEC §4.2, §8.1, §8.3). Pure functions, shared by the
 * root layout's guard, the login page and the API client's "session ended" handler.
 */

/**
 * True when `next` is a safe in-app target: a single leading `/`, not `//` or `/\`, no backslash,
 * no control character, no scheme, and not an API path. The server applies the same rule.
 */
export function isSafeNext(next: string | null | undefined): next is string {
	if (!next || !next.startsWith('/')) return false;
	if (next.startsWith('//') || next.startsWith('/\\') || next.includes('\\')) return false;
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f]/.test(next)) return false;
	if (next.includes('://')) return false;
	return !next.startsWith('/api/') && next !== '/api';
}

/** The safe `next` target, or `/`. */
export function safeNextOrHome(next: string | null | undefined): string {
	return isSafeNext(next) ? next : '/';
}

/**
 * The login URL that brings the user back to `pathAndQuery` afterwards: just `/login` for the
 * dashboard, `/login?next=…` otherwise, plus `reason=expired` when a session ended during use.
 */
export function loginUrl(pathAndQuery: string, reason?: 'expired'): string {
	const params = new URLSearchParams();
	if (pathAndQuery && pathAndQuery !== '/' && isSafeNext(pathAndQuery) && !pathAndQuery.startsWith('/login')) {
		params.set('next', pathAndQuery);
	}
	if (reason) params.set('reason', reason);
	const text = params.toString();
	return text ? `/login?${text}` : '/login';
}
