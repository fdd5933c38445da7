/**
 * Import jobs (SPEC §13.4) for the /data page: the shapes, the format list by name, the upload with
 * progress (XMLHttpRequest, because fetch reports no upload progress) and the small pure helpers the
 * page shows. Job reads, commit and discard go through the shared client (`api`).
 */
import { ApiError, NETWORK_ERROR_MESSAGE, readCsrfToken, type SleepSession } from './api';
import { capitalize } from './format';

/** States of a job; `parsing`, `ready` and `committing` hold the one import slot. */
export type ImportState = 'parsing' | 'ready' | 'committing' | 'committed' | 'failed' | 'discarded';

/** A session an import stores (SleepSession without id and derived values). */
export type ImportedSession = Omit<SleepSession, 'id' | 'tib_min' | 'tst_min' | 'se_pct' | 'terminal_wake_min'>;

/** The ImportReport: the preview of a ready job, the final report of a committed one. */
export interface ImportReport {
	records: number;
	first_date: string | null;
	last_date: string | null;
	sessions: { new: number; duplicate: number; overlap: number; invalid: number };
	notes: { new: number; duplicate: number };
	exercise: { new: number; duplicate: number };
	sample: ImportedSession[];
	problems: { where: string; message: string }[];
	problems_total: number;
	timezone: string;
}

/** An import job. */
export interface ImportJob {
	id: string;
	format: string;
	state: ImportState;
	bytes_total: number;
	bytes_done: number;
	created_at: string;
	report: ImportReport | null;
	error: { code: string; message: string } | null;
}

/** Every format by name, in the order of SPEC §13.4, after "Detect automatically". */
export const IMPORT_FORMATS: { value: string; label: string }[] = [
	{ value: 'auto', label: 'Detect automatically' },
	{ value: 'sleeptracker-json', label: 'SleepTracker export (JSON)' },
	{ value: 'sleeptracker-csv', label: 'SleepTracker export (CSV)' },
	{ value: 'sleeptracker-v0-db', label: 'Original SleepTracker database' },
	{ value: 'sleep-as-android', label: 'Sleep as Android' },
	{ value: 'plees-tracker', label: 'Plees Tracker' },
	{ value: 'fitbit', label: 'Fitbit' },
	{ value: 'apple-health', label: 'Apple Health' },
	{ value: 'oura', label: 'Oura' }
];

/** The name of a format for people. */
export function formatLabel(value: string): string {
	return IMPORT_FORMATS.find((f) => f.value === value)?.label ?? value;
}

/** True while a job holds the import slot (a page opened later resumes it). */
export function isActive(job: ImportJob): boolean {
	return job.state === 'parsing' || job.state === 'ready' || job.state === 'committing';
}

/** Progress as a whole percentage 0–100; 0 when the total is unknown. */
export function percent(done: number, total: number): number {
	if (!(total > 0)) return 0;
	return Math.max(0, Math.min(100, Math.floor((100 * done) / total)));
}

/** A byte count for people: "512 B", "3.4 KB", "1.2 GB" (decimal units, like file managers). */
export function formatBytes(n: number): string {
	if (n < 1000) return `${n} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = n / 1000;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "3 new sessions" with the right plural. */
export function countText(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}

/** The sentence of a committed job's report. */
export function committedSummary(r: ImportReport): string {
	return (
		`Imported ${countText(r.sessions.new, 'session', 'sessions')}, ${countText(r.notes.new, 'note', 'notes')} ` +
		`and ${countText(r.exercise.new, 'exercise record', 'exercise records')}.`
	);
}

/** The query string of `POST /api/imports`: `auto` is the default and is not sent. */
export function importQuery(format: string, timezone?: string): string {
	const params = new URLSearchParams();
	if (format && format !== 'auto') params.set('format', format);
	if (timezone) params.set('timezone', timezone);
	const text = params.toString();
	return text ? `?${text}` : '';
}

/** What `uploadImport` needs from the browser; replaced in tests. */
export interface UploadEnvironment {
	xhr: () => XMLHttpRequest;
	cookies: () => string;
}

const browser: UploadEnvironment = {
	xhr: () => new XMLHttpRequest(),
	cookies: () => (typeof document === 'undefined' ? '' : document.cookie)
};

/**
 * Uploads `file` as the raw body of `POST /api/imports` and resolves with the new job. `onProgress`
 * receives the bytes sent so far. Rejects with an ApiError carrying the server's message (400, 409,
 * 413) or the network message; `signal` aborts the upload.
 */
export function uploadImport(
	file: Blob,
	format: string,
	onProgress: (sent: number, total: number) => void,
	signal?: AbortSignal,
	env: UploadEnvironment = browser
): Promise<ImportJob> {
	return new Promise((resolve, reject) => {
		const xhr = env.xhr();
		xhr.open('POST', `/api/imports${importQuery(format)}`);
		xhr.setRequestHeader('Content-Type', 'application/octet-stream');
		xhr.setRequestHeader('Accept', 'application/json');
		const token = readCsrfToken(env.cookies());
		if (token) xhr.setRequestHeader('X-CSRF-Token', token);
		xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
		xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network', message: NETWORK_ERROR_MESSAGE }));
		xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
		xhr.onload = () => {
			let body: unknown = undefined;
			try {
				body = JSON.parse(xhr.responseText);
			} catch {
				// Not JSON: a proxy page; handled below.
			}
			if (xhr.status === 202 && body && typeof body === 'object') {
				resolve(body as ImportJob);
				return;
			}
			const envelope = (body ?? {}) as { code?: unknown; message?: unknown };
			reject(
				new ApiError({
					status: xhr.status,
					code: typeof envelope.code === 'string' ? envelope.code : 'http_error',
					message:
						typeof envelope.message === 'string'
							? capitalize(envelope.message)
							: `Something went wrong (HTTP ${xhr.status}). Try again.`,
					sessionEnded: false
				})
			);
		};
		signal?.addEventListener('abort', () => xhr.abort());
		xhr.send(file);
	});
}
