import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToastStore } from './toasts.svelte';

describe('ToastStore', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	const store = () => new ToastStore(() => Date.now());

	it('removes success toasts after 4 s and errors after 8 s', () => {
		const toasts = store();
		toasts.show('Saved');
		toasts.error('Sleep session overlaps existing session');
		expect(toasts.items.map((t) => [t.kind, t.message])).toEqual([
			['success', 'Saved'],
			['error', 'Sleep session overlaps existing session']
		]);
		vi.advanceTimersByTime(3999);
		expect(toasts.items).toHaveLength(2);
		vi.advanceTimersByTime(1);
		expect(toasts.items.map((t) => t.message)).toEqual(['Sleep session overlaps existing session']);
		vi.advanceTimersByTime(4000);
		expect(toasts.items).toHaveLength(0);
	});

	it('pauses while hovered or focused and resumes with the remaining time', () => {
		const toasts = store();
		const id = toasts.show('Deleted');
		vi.advanceTimersByTime(3000);
		toasts.pause(id);
		vi.advanceTimersByTime(60_000);
		expect(toasts.items).toHaveLength(1);
		toasts.resume(id);
		vi.advanceTimersByTime(999);
		expect(toasts.items).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(toasts.items).toHaveLength(0);
	});

	it('dismisses at once and ignores unknown ids', () => {
		const toasts = store();
		const a = toasts.show('Note added', 'info');
		toasts.show('Logged out');
		toasts.dismiss(a);
		toasts.dismiss(999);
		toasts.pause(999);
		toasts.resume(999);
		expect(toasts.items.map((t) => t.message)).toEqual(['Logged out']);
		vi.advanceTimersByTime(10_000);
		expect(toasts.items).toHaveLength(0);
	});
});
