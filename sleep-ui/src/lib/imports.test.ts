import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { committedSummary, formatBytes, importQuery, isActive, percent, uploadImport, type ImportJob, type ImportReport } from './imports';

/** A scripted XMLHttpRequest: records what was sent and answers with `status` and `body`. */
class FakeXhr {
	method = '';
	url = '';
	headers: Record<string, string> = {};
	sent: unknown = undefined;
	status = 0;
	responseText = '';
	upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
	onload: (() => void) | null = null;
	onerror: (() => void) | null = null;
	onabort: (() => void) | null = null;
	constructor(private answer: { status: number; body: string } | 'network') {}
	open(method: string, url: string) {
		this.method = method;
		this.url = url;
	}
	setRequestHeader(name: string, value: string) {
		this.headers[name] = value;
	}
	send(body: unknown) {
		this.sent = body;
		this.upload.onprogress?.({ loaded: 5, total: 10, lengthComputable: true });
		if (this.answer === 'network') {
			this.onerror?.();
			return;
		}
		this.status = this.answer.status;
		this.responseText = this.answer.body;
		this.onload?.();
	}
	abort() {
		this.onabort?.();
	}
}

const job: ImportJob = {
	id: 'imp_AAAAAAAAAAAAAAAAAAAAAA',
	format: 'sleeptracker-json',
	state: 'parsing',
	bytes_total: 10,
	bytes_done: 0,
	created_at: '2025-06-18T07:00:00Z',
	report: null,
	error: null
};

function env(xhr: FakeXhr) {
	return { xhr: () => xhr as unknown as XMLHttpRequest, cookies: () => 'csrf=tok%2Fen' };
}

describe('uploadImport', () => {
	it('posts the raw file with the CSRF token and reports progress', async () => {
		const xhr = new FakeXhr({ status: 202, body: JSON.stringify(job) });
		const progress: number[][] = [];
		const file = new Blob(['0123456789']);
		const got = await uploadImport(file, 'fitbit', (s, t) => progress.push([s, t]), undefined, env(xhr));
		expect(got).toEqual(job);
		expect(xhr.method).toBe('POST');
		expect(xhr.url).toBe('/api/imports?format=fitbit');
		expect(xhr.headers['X-CSRF-Token']).toBe('tok/en');
		expect(xhr.headers['Content-Type']).toBe('application/octet-stream');
		expect(xhr.sent).toBe(file);
		expect(progress).toEqual([[5, 10]]);
	});

	it('rejects with the server message, or the network message', async () => {
		const conflict = new FakeXhr({ status: 409, body: '{"code":"conflict","message":"another import is in progress; commit or discard it first"}' });
		await expect(uploadImport(new Blob(['x']), 'auto', () => {}, undefined, env(conflict))).rejects.toMatchObject({
			status: 409,
			code: 'conflict',
			message: 'Another import is in progress; commit or discard it first'
		});
		const proxy = new FakeXhr({ status: 502, body: '<html>' });
		await expect(uploadImport(new Blob(['x']), 'auto', () => {}, undefined, env(proxy))).rejects.toMatchObject({
			message: 'Something went wrong (HTTP 502). Try again.'
		});
		const down = new FakeXhr('network');
		await expect(uploadImport(new Blob(['x']), 'auto', () => {}, undefined, env(down))).rejects.toBeInstanceOf(ApiError);
	});
});

describe('helpers', () => {
	it('builds the query without the default format', () => {
		expect(importQuery('auto')).toBe('');
		expect(importQuery('apple-health', 'Europe/London')).toBe('?format=apple-health&timezone=Europe%2FLondon');
	});
	it('computes bounded percentages', () => {
		expect(percent(0, 0)).toBe(0);
		expect(percent(1, 3)).toBe(33);
		expect(percent(12, 10)).toBe(100);
	});
	it('formats sizes', () => {
		expect(formatBytes(999)).toBe('999 B');
		expect(formatBytes(1500)).toBe('1.5 KB');
		expect(formatBytes(1_073_741_824)).toBe('1.1 GB');
		expect(formatBytes(250_000_000)).toBe('250 MB');
	});
	it('knows the active states and words the report', () => {
		expect(['parsing', 'ready', 'committing', 'committed', 'failed', 'discarded'].map((s) => isActive({ ...job, state: s as ImportJob['state'] }))).toEqual([
			true, true, true, false, false, false
		]);
		const r = { sessions: { new: 1 }, notes: { new: 0 }, exercise: { new: 2 } } as ImportReport;
		expect(committedSummary(r)).toBe('Imported 1 session, 0 notes and 2 exercise records.');
	});
});
