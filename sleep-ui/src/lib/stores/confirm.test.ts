import { describe, expect, it } from 'vitest';
import { ConfirmStore } from './confirm.svelte';

const request = { title: 'Delete this note?', message: 'Gone for good.', confirmLabel: 'Delete', destructive: true };

describe('ConfirmStore', () => {
	it('resolves true on confirm and closes', async () => {
		const store = new ConfirmStore();
		const answer = store.ask(request);
		expect(store.current?.title).toBe('Delete this note?');
		store.settle(true);
		await expect(answer).resolves.toBe(true);
		expect(store.current).toBeNull();
	});

	it('resolves false on cancel, and a newer request cancels an older one', async () => {
		const store = new ConfirmStore();
		const first = store.ask(request);
		const second = store.ask({ ...request, title: 'Unusual duration', confirmLabel: 'Proceed' });
		await expect(first).resolves.toBe(false);
		expect(store.current?.title).toBe('Unusual duration');
		store.settle(false);
		await expect(second).resolves.toBe(false);
		store.settle(true); // nothing open: no effect
		expect(store.current).toBeNull();
	});
});
