/**
 * The offline queue's IndexedDB storage (SPEC §15.2), through the `idb` package. One database
 * "sleeptracker" with one object store "queue" keyed by the entry's Idempotency-Key.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { memoryStorage, type QueuedEntry, type QueueStorage } from './queue';

interface QueueDB extends DBSchema {
	queue: { key: string; value: QueuedEntry };
}

const DB_NAME = 'sleeptracker';
const DB_VERSION = 1;

let database: Promise<IDBPDatabase<QueueDB>> | null = null;

function open(): Promise<IDBPDatabase<QueueDB>> {
	database ??= openDB<QueueDB>(DB_NAME, DB_VERSION, {
		upgrade(db) {
			if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'key' });
		}
	});
	return database;
}

/**
 * The browser's queue storage. Without IndexedDB (a private mode that blocks it) the queue lives in
 * memory: entries still sync while the tab stays open.
 */
export function browserStorage(): QueueStorage {
	if (typeof indexedDB === 'undefined') return memoryStorage();
	return {
		all: async () => (await open()).getAll('queue'),
		get: async (key) => (await open()).get('queue', key),
		put: async (entry) => {
			// $state proxies cannot be cloned into IndexedDB: store a plain copy.
			await (await open()).put('queue', JSON.parse(JSON.stringify(entry)) as QueuedEntry);
		},
		delete: async (key) => (await open()).delete('queue', key)
	};
}
