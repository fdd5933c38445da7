/**
 * Registers the service worker (src/service-worker.ts, served as /sw.js, SPEC §15.2) once the page
 * has loaded, so that its precaching never competes with the first paint. Not in development: the
 * dev server serves no /sw.js and stale caches would only get in the way.
 */
import { dev } from '$app/environment';

export function registerServiceWorker(): void {
	if (dev || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
	const register = () => {
		navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
			console.warn('service worker registration failed', err);
		});
	};
	if (document.readyState === 'complete') register();
	else window.addEventListener('load', register, { once: true });
}
