/**
 * The app side of the offline queue (SPEC §15.2): whether the browser is online, the queued
 * entries for the header ("N waiting to sync") and the sync panel, saving a new entry through the
 * queue, and replaying it on reconnect, at every start and after a failed attempt.
 */
import { api, ApiError, type SleepInput } from '$lib/api';
import { classifyFailure, newIdempotencyKey, nextSeq, orderedEntries, replayQueue, type QueuedEntry, type QueueStorage } from './queue';
import { browserStorage } from './storage';
import { session } from '$lib/stores/session.svelte';

class OfflineState {
	/** False while the browser reports no network (the "Offline" banner). */
	online = $state(true);
	/** The queue in sending order. */
	entries = $state<QueuedEntry[]>([]);
	/** Entries refused by the server, shown with their message, "Edit" and "Discard". */
	rejected = $derived(this.entries.filter((e) => e.error !== null));
}

/** The app-wide offline state. */
export const offline = new OfflineState();

/** Retries after an unanswered attempt start after 3 s and back off to a minute. */
const RETRY_MIN_MS = 3000;
const RETRY_MAX_MS = 60_000;

let storage: QueueStorage | null = null;
let syncing: Promise<void> | null = null;
let again = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryDelay = RETRY_MIN_MS;

function store(): QueueStorage {
	storage ??= browserStorage();
	return storage;
}

/** Re-reads the queue into the reactive state. */
async function refresh(): Promise<void> {
	offline.entries = await orderedEntries(store());
}

function send(entry: QueuedEntry): Promise<void> {
	return api.createSleep(entry.input, { idempotencyKey: entry.key }).then(() => undefined);
}

/** Tries again later while the browser believes it is online (a lost response, a restarting server). */
function scheduleRetry(): void {
	if (retryTimer !== null || !offline.online) return;
	retryTimer = setTimeout(() => {
		retryTimer = null;
		void syncQueue();
	}, retryDelay);
	retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
}

/**
 * Sends the queue in order (one replay at a time; a request made meanwhile runs once more
 * afterwards). A 401 has already sent the user to sign in through the API client; the queue waits
 * for the next start.
 */
export function syncQueue(): Promise<void> {
	if (syncing) {
		again = true;
		return syncing;
	}
	syncing = (async () => {
		do {
			again = false;
			const result = await replayQueue(store(), send);
			await refresh();
			if (result.stopped === 'offline' || result.stopped === 'server') scheduleRetry();
			else retryDelay = RETRY_MIN_MS;
		} while (again);
	})().finally(() => {
		syncing = null;
	});
	return syncing;
}

/** What became of a saved entry. */
export type SaveOutcome = 'saved' | 'queued';

/**
 * Saves a new entry through the queue: it is stored on the device first, with a fresh
 * Idempotency-Key (or the key of the queued entry being edited), then sent.
 *
 * - stored by the server → removed from the queue: 'saved';
 * - no answer (offline, or the response was lost) → stays queued and is replayed with the same
 *   key: 'queued';
 * - the session is gone → stays queued; the API client is already on its way to sign-in;
 * - refused, or a server error → rethrown for the form's banner. A new entry leaves the queue (the
 *   values stay in the form); an edited queued entry stays queued with the new values (and, when
 *   refused, the server's message), so it is never lost without the user choosing to discard it.
 */
export async function saveNewEntry(input: SleepInput, queuedKey?: string): Promise<SaveOutcome> {
	const existing = queuedKey ? await store().get(queuedKey) : undefined;
	const entry: QueuedEntry = existing
		? { ...existing, input, error: null }
		: { key: newIdempotencyKey(), seq: nextSeq(), input, error: null };
	await store().put(entry);
	await refresh();
	try {
		await send(entry);
	} catch (err) {
		const outcome = classifyFailure(err);
		if (outcome === 'offline') {
			scheduleRetry();
			return 'queued';
		}
		if (existing && outcome === 'rejected') {
			await store().put({ ...entry, error: err instanceof Error ? err.message : String(err) });
		} else if (existing && outcome === 'server') {
			scheduleRetry(); // stays queued with the new values, retried later
		} else if (outcome === 'rejected' || outcome === 'server') {
			await store().delete(entry.key);
		}
		await refresh();
		throw err;
	}
	await store().delete(entry.key);
	await refresh();
	return 'saved';
}

/** The queued entry with key, for "Edit". */
export function queuedEntry(key: string): Promise<QueuedEntry | undefined> {
	return store().get(key);
}

/** Removes an entry at the user's request ("Discard"). */
export async function discardEntry(key: string): Promise<void> {
	await store().delete(key);
	await refresh();
}

let started = false;

/**
 * Starts the offline machinery once per app load: tracks the network, and replays the queue now
 * and whenever the connection returns.
 */
export function startOffline(): void {
	if (started || typeof window === 'undefined') return;
	started = true;
	offline.online = navigator.onLine;
	window.addEventListener('online', () => {
		offline.online = true;
		retryDelay = RETRY_MIN_MS;
		void syncQueue();
	});
	window.addEventListener('offline', () => {
		offline.online = false;
	});
	// At start, and again after a sign-in that follows a 401 (the queue waited for it).
	$effect.root(() => {
		$effect(() => {
			if (session.authenticated === true) void refresh().then(() => syncQueue());
		});
	});
	void refresh();
}

/** True when err means the request never got an answer. */
export function isNetworkError(err: unknown): boolean {
	return err instanceof ApiError && err.status === 0;
}
