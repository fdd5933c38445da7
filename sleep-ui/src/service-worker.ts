/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
/**
 * The service worker of SPEC §15.2, served by sleep-api as /sw.js (public, no-cache).
 *
 * - Install: caches the hashed assets of this build (`build`), the static files (`files`) and the
 *   HTML shell, in a cache named after this build.
 * - Activate: deletes the caches of older builds and takes control of open pages.
 * - Navigations are network-first, so while the server is reachable its page guard decides (a
 *   signed-out user gets its 303 to /login, never a cached page). Only when the network fails does
 *   the cached shell answer, and the app opens offline.
 * - `/api/` is never intercepted or cached: the offline queue (src/lib/offline) owns writes, and
 *   data is always fresh or visibly unavailable.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE_PREFIX = 'sleeptracker-';
/** The build's asset list names the build: hashed file names change whenever their content does. */
const CACHE = `${CACHE_PREFIX}${version}-${fnv1a([...build, ...files].join('\n'))}`;
/** Where the shell is kept; never a real URL, so no request maps to it by accident. */
const SHELL = '/__shell__';
const ASSETS = [...build, ...files];
const PRECACHED = new Set(ASSETS);

/** 32-bit FNV-1a as 8 hex digits: a short, stable name for the asset list. */
function fnv1a(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}

/**
 * The shell is the same index.html for every page. /login serves it to everyone: signed out
 * directly, signed in after the guard's redirect, so the fetch follows redirects and the body is
 * stored as a plain response (a redirected response may not answer a navigation).
 */
async function cacheShell(cache: Cache): Promise<void> {
	try {
		const response = await fetch('/login', { credentials: 'same-origin', cache: 'no-store' });
		if (response.ok) await cache.put(SHELL, await plainHtml(response));
	} catch {
		// Offline during install: the next successful navigation stores the shell.
	}
}

async function plainHtml(response: Response): Promise<Response> {
	return new Response(await response.blob(), {
		status: 200,
		headers: { 'Content-Type': 'text/html; charset=utf-8' }
	});
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll(ASSETS);
			await cacheShell(cache);
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key.startsWith(CACHE_PREFIX) && key !== CACHE) await caches.delete(key);
			}
			await sw.clients.claim();
		})()
	);
});

/** Network first; the cached shell only when the server cannot be reached at all. */
async function navigate(request: Request): Promise<Response> {
	try {
		const response = await fetch(request);
		const type = response.headers.get('Content-Type') ?? '';
		if (response.status === 200 && type.startsWith('text/html')) {
			const copy = response.clone();
			void caches.open(CACHE).then(async (cache) => cache.put(SHELL, await plainHtml(copy)));
		}
		return response;
	} catch {
		const cached = await caches.match(SHELL, { cacheName: CACHE });
		return cached ?? Response.error();
	}
}

/** Assets of this build: from the cache, else the network (an evicted entry). */
async function asset(request: Request, path: string): Promise<Response> {
	const cached = await caches.match(path, { cacheName: CACHE });
	return cached ?? fetch(request);
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/sw.js') return;
	if (request.mode === 'navigate') {
		event.respondWith(navigate(request));
		return;
	}
	if (PRECACHED.has(url.pathname)) event.respondWith(asset(request, url.pathname));
});
