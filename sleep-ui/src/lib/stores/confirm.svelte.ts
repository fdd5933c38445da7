/**
 * Requests for the one confirmation dialog (SPEC §8.5). Pages ask `await confirmAction({...})` and get
 * true (confirmed) or false (cancel, Escape, backdrop); the dialog component in the root layout shows
 * the current request. The browser's confirm() is never used.
 */

/** What the dialog shows. */
export interface ConfirmRequest {
	title: string;
	message: string;
	/** Label of the confirming button ("Delete", "Proceed"). */
	confirmLabel: string;
	/** Destructive actions style the confirm button as dangerous; focus always starts on Cancel. */
	destructive?: boolean;
}

interface PendingConfirm extends ConfirmRequest {
	id: number;
	resolve: (confirmed: boolean) => void;
}

/** The dialog's state: at most one open request. */
export class ConfirmStore {
	current = $state<PendingConfirm | null>(null);
	#nextId = 1;

	/** Opens the dialog; a request made while another is open cancels the older one. */
	ask(request: ConfirmRequest): Promise<boolean> {
		this.current?.resolve(false);
		return new Promise<boolean>((resolve) => {
			this.current = { ...request, id: this.#nextId++, resolve };
		});
	}

	/** Closes the dialog with an answer. */
	settle(confirmed: boolean): void {
		const pending = this.current;
		if (!pending) return;
		this.current = null;
		pending.resolve(confirmed);
	}
}

/** The app's confirmation dialog state. */
export const confirmDialog = new ConfirmStore();

/** Asks the user to confirm; resolves to true only on the confirm button. */
export function confirmAction(request: ConfirmRequest): Promise<boolean> {
	return confirmDialog.ask(request);
}
