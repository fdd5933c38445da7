import { describe, expect, it, vi } from 'vitest';
import { ApiError, type SleepInput } from '$lib/api';
import { classifyFailure, memoryStorage, newIdempotencyKey, nextSeq, orderedEntries, replayQueue, type QueuedEntry } from './queue';

function input(date: string): SleepInput {
	return { date, bed_time: '23:00:00', wake_time: '07:00:00', latency_min: 0, awakenings: 0, quality: 4 };
}

function entry(key: string, seq: number, error: string | null = null): QueuedEntry {
	return { key, seq, input: input(`2025-06-${String(seq).padStart(2, '0')}`), error };
}

const apiError = (status: number, message = 'x', detail?: string) =>
	new ApiError({ status, code: status === 0 ? 'network' : 'bad_request', message, detail });

describe('replayQueue', () => {
	it('sends in queue order with each entry its own key and removes what the server stored', async () => {
		const storage = memoryStorage([entry('c', 3), entry('a', 1), entry('b', 2)]);
		const sent: string[] = [];
		const result = await replayQueue(storage, async (e) => {
			sent.push(e.key);
		});
		expect(sent).toEqual(['a', 'b', 'c']);
		expect(result).toEqual({ sent: 3, rejected: 0, stopped: null });
		expect(await storage.all()).toEqual([]);
	});

	it('keeps a refused entry with the server message and goes on with the next', async () => {
		const storage = memoryStorage([entry('a', 1), entry('b', 2)]);
		const result = await replayQueue(storage, async (e) => {
			if (e.key === 'a') throw apiError(400, 'Sleep session overlaps existing session');
		});
		expect(result).toEqual({ sent: 1, rejected: 1, stopped: null });
		expect(await orderedEntries(storage)).toEqual([{ ...entry('a', 1), error: 'Sleep session overlaps existing session' }]);
	});

	it('skips entries already refused until the user edits or discards them', async () => {
		const storage = memoryStorage([entry('a', 1, 'Refused'), entry('b', 2)]);
		const send = vi.fn(async () => {});
		await replayQueue(storage, send);
		expect(send).toHaveBeenCalledTimes(1);
		expect((await storage.all()).map((e) => e.key)).toEqual(['a']);
	});

	it.each([
		['offline', apiError(0)],
		['signed-out', apiError(401)],
		['signed-out', apiError(403, 'CSRF check failed', 'csrf: token mismatch')],
		['server', apiError(500)],
		['server', apiError(429)]
	] as const)('stops with %s and keeps everything queued, unchanged', async (reason, failure) => {
		const initial = [entry('a', 1), entry('b', 2)];
		const storage = memoryStorage(initial);
		const send = vi.fn(async () => {
			throw failure;
		});
		const result = await replayQueue(storage, send);
		expect(result).toEqual({ sent: 0, rejected: 0, stopped: reason });
		expect(send).toHaveBeenCalledTimes(1);
		expect(await orderedEntries(storage)).toEqual(initial);
	});

	it('a replay that stopped offline resumes with the same keys', async () => {
		const storage = memoryStorage([entry('a', 1), entry('b', 2)]);
		let online = false;
		const keys: string[] = [];
		const send = async (e: QueuedEntry) => {
			keys.push(e.key);
			if (!online) throw apiError(0);
		};
		await replayQueue(storage, send);
		online = true;
		await replayQueue(storage, send);
		expect(keys).toEqual(['a', 'a', 'b']);
		expect(await storage.all()).toEqual([]);
	});
});

describe('classifyFailure', () => {
	it('treats errors that are not API errors as no answer', () => {
		expect(classifyFailure(new TypeError('Failed to fetch'))).toBe('offline');
	});
	it('treats a 403 that is not about CSRF and a 422 as refusals', () => {
		expect(classifyFailure(apiError(403))).toBe('rejected');
		expect(classifyFailure(apiError(422))).toBe('rejected');
	});
});

describe('keys and order', () => {
	it('makes keys the server accepts', () => {
		const key = newIdempotencyKey();
		expect(key).toMatch(/^[A-Za-z0-9_-]{1,100}$/);
		expect(newIdempotencyKey()).not.toBe(key);
	});
	it('orders entries queued in the same millisecond', () => {
		const a = nextSeq(1000);
		const b = nextSeq(1000);
		expect(b).toBeGreaterThan(a);
	});
});
