/**
 * Toast messages (SPEC §8.5). Success and info toasts stay 4 s, errors 8 s; hovering or focusing a
 * toast pauses its timer. The list lives in the root layout, so toasts survive client navigation.
 */

/** How a toast is announced: success/info politely, errors as alerts. */
export type ToastKind = 'success' | 'info' | 'error';

/** One visible toast. */
export interface Toast {
	id: number;
	kind: ToastKind;
	message: string;
}

/** Display time per kind, in milliseconds. */
export const TOAST_DURATION_MS: Record<ToastKind, number> = { success: 4000, info: 4000, error: 8000 };

interface Timer {
	handle: ReturnType<typeof setTimeout> | null;
	remaining: number;
	startedAt: number;
}

/** The toast list and its timers. */
export class ToastStore {
	items = $state<Toast[]>([]);
	#nextId = 1;
	#timers = new Map<number, Timer>();
	#now: () => number;

	constructor(now: () => number = () => Date.now()) {
		this.#now = now;
	}

	/** Shows a message; returns its id. */
	show(message: string, kind: ToastKind = 'success'): number {
		const id = this.#nextId++;
		this.items.push({ id, kind, message });
		this.#timers.set(id, { handle: null, remaining: TOAST_DURATION_MS[kind], startedAt: 0 });
		this.resume(id);
		return id;
	}

	/** Shows an error message (announced as an alert). */
	error(message: string): number {
		return this.show(message, 'error');
	}

	/** Removes a toast now. */
	dismiss(id: number): void {
		const timer = this.#timers.get(id);
		if (timer?.handle) clearTimeout(timer.handle);
		this.#timers.delete(id);
		this.items = this.items.filter((t) => t.id !== id);
	}

	/** Stops a toast's countdown (pointer over it, or focus inside it). */
	pause(id: number): void {
		const timer = this.#timers.get(id);
		if (!timer?.handle) return;
		clearTimeout(timer.handle);
		timer.handle = null;
		timer.remaining = Math.max(0, timer.remaining - (this.#now() - timer.startedAt));
	}

	/** Continues a paused countdown. */
	resume(id: number): void {
		const timer = this.#timers.get(id);
		if (!timer || timer.handle) return;
		timer.startedAt = this.#now();
		timer.handle = setTimeout(() => this.dismiss(id), timer.remaining);
	}
}

/** The app's toasts. */
export const toasts = new ToastStore();
