/**
 * Root layout: a client-only single-page app (build/index.html is the one shell the Go server sends
 * for every page path) and the browser-side page guard of SPEC §8.1.
 */
import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { loginUrl, safeNextOrHome } from '$lib/navigation';
import { checkSession } from '$lib/stores/session.svelte';
import { hasSyncedTimezone, scheduleTimezoneSync } from '$lib/stores/timezone.svelte';
import type { LayoutLoad } from './$types';

export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

export const load: LayoutLoad = async ({ url }) => {
	const authenticated = await checkSession(api);
	if (url.pathname === '/login') {
		if (authenticated) redirect(303, safeNextOrHome(url.searchParams.get('next')));
		return {};
	}
	if (!authenticated) redirect(303, loginUrl(url.pathname + url.search));
	// Once per full app load with a valid session (the login page syncs on its own, SPEC §8.7),
	// after the first paint: "today" is the browser's local date until then (issue 11).
	if (!hasSyncedTimezone()) scheduleTimezoneSync(api);
	return {};
};
