/**
 * The offline queue of new sleep entries (SPEC §15.2), as plain logic over a storage interface so
 * that it can be tested without a browser. The app stores the queue in IndexedDB (./storage.ts) and
 * drives it from ./sync.svelte.ts.
 *
 * Every entry gets its Idempotency-Key when it is queued and keeps it for every attempt, so a
 * request whose response was lost is replayed by the server instead of stored twice (SPEC §15.1).
 */
import { ApiError, type SleepInput } from '$lib/api';

/** One queued new entry. */
export interface QueuedEntry {
	/** The Idempotency-Key of every attempt; also the entry's id in the queue. */
	key: string;
	/** Queue order: entries are sent oldest first. */
	seq: number;
	input: SleepInput;
	/** The server's message after a 400 (or another refusal): kept until the user edits or discards. */
	error: string | null;
}

/** Where the queue lives. */
export interface QueueStorage {
	all(): Promise<QueuedEntry[]>;
	get(key: string): Promise<QueuedEntry | undefined>;
	put(entry: QueuedEntry): Promise<void>;
	delete(key: string): Promise<void>;
}

/** Sends one entry; rejects with ApiError like the API client does. */
export type SendEntry = (entry: QueuedEntry) => Promise<void>;

/** Why a replay stopped before the end of the queue. */
export type StopReason = 'offline' | 'signed-out' | 'server';

export interface ReplayResult {
	/** Entries stored (or replayed) by the server and removed from the queue. */
	sent: number;
	/** Entries refused by the server during this replay, kept with its message. */
	rejected: number;
	/** Set when the replay stopped early; the remaining entries stay queued as they are. */
	stopped: StopReason | null;
}

let lastSeq = 0;

/** A strictly increasing order number, even for two entries queued in the same millisecond. */
export function nextSeq(now: number = Date.now()): number {
	lastSeq = Math.max(lastSeq + 1, now);
	return lastSeq;
}

/** A fresh Idempotency-Key (a UUID: 36 characters of the allowed A–Z a–z 0–9 and "-"). */
export function newIdempotencyKey(): string {
	if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The queue in sending order. */
export async function orderedEntries(storage: QueueStorage): Promise<QueuedEntry[]> {
	return (await storage.all()).sort((a, b) => a.seq - b.seq);
}

/** How a failed send is handled. */
export type Outcome = 'rejected' | StopReason;

/**
 * Classifies a failure: no answer → offline (try again later); 401, or a 403 whose detail starts
 * with `csrf:` → the session is gone (the user signs in, the queue stays); 429 and 5xx → the
 * server is struggling (try again later); any other 4xx → the server refused this entry, and
 * sending it again unchanged would only be refused again.
 */
export function classifyFailure(err: unknown): Outcome {
	if (!(err instanceof ApiError)) return 'offline';
	if (err.status === 0) return 'offline';
	if (err.status === 401 || (err.status === 403 && (err.detail ?? '').startsWith('csrf:'))) return 'signed-out';
	if (err.status === 429 || err.status >= 500) return 'server';
	return 'rejected';
}

/**
 * Sends the queue in order with each entry's own key. A success (new or replayed) removes the
 * entry; a refusal keeps it with the server's message and goes on with the next one; offline, a
 * signed-out session or a struggling server stop the replay with everything left in place.
 * Entries already refused are skipped until the user edits (which clears the message) or
 * discards them.
 */
export async function replayQueue(storage: QueueStorage, send: SendEntry): Promise<ReplayResult> {
	const result: ReplayResult = { sent: 0, rejected: 0, stopped: null };
	for (const entry of await orderedEntries(storage)) {
		if (entry.error !== null) continue;
		try {
			await send(entry);
		} catch (err) {
			const outcome = classifyFailure(err);
			if (outcome === 'rejected') {
				await storage.put({ ...entry, error: err instanceof Error ? err.message : String(err) });
				result.rejected++;
				continue;
			}
			result.stopped = outcome;
			return result;
		}
		await storage.delete(entry.key);
		result.sent++;
	}
	return result;
}

/** A storage in memory: the fallback when IndexedDB is unavailable, and the tests' storage. */
export function memoryStorage(initial: QueuedEntry[] = []): QueueStorage {
	const entries = new Map(initial.map((e) => [e.key, structuredClone(e)]));
	return {
		all: async () => [...entries.values()].map((e) => structuredClone(e)),
		get: async (key) => {
			const e = entries.get(key);
			return e ? structuredClone(e) : undefined;
		},
		put: async (entry) => {
			entries.set(entry.key, structuredClone(entry));
		},
		delete: async (key) => {
			entries.delete(key);
		}
	};
}
