/**
 * The one typed client for the SleepTracker API (SPEC §5, §8.3). Every API call of the UI goes
 * through here, so CSRF, error messages and "your session has ended" are handled in one place.
 *
 * The module has no SvelteKit imports: the root layout registers what happens when the session ends
 * (setSessionEndedHandler), which keeps this file testable with a fake fetch.
 */
import { capitalize } from './format';
import type { ImportJob } from './imports';

// ---------------------------------------------------------------------------------------------
// Response and request shapes (SPEC §5.2, §7)

/** Exercise intensity of a day. */
export type Intensity = 'none' | 'light' | 'hard';

/** One stored sleep session (routes `GET /api/sleep/{id}`, `/date/{date}`, `/range`). */
export interface SleepSession {
	id: number;
	/** Wake date `YYYY-MM-DD`. */
	date: string;
	/** `HH:MM:SS`; later than wake_time when the session began the evening before. */
	bed_time: string;
	wake_time: string;
	/** Null only on nights imported from a source that does not record it (SPEC §12.1). */
	latency_min: number | null;
	awakenings: number | null;
	quality: number | null;
	duration_min: number;
	// Consensus Sleep Diary items (SPEC §12.1): null = not recorded.
	/** `HH:MM:SS`, at most 12 h before bed_time. */
	in_bed_time: string | null;
	waso_min: number | null;
	/** `HH:MM:SS`, at most 12 h after wake_time. */
	out_of_bed_time: string | null;
	rested: number | null;
	alcohol_drinks: number | null;
	caffeine_drinks: number | null;
	medication: string | null;
	// Derived on read (SPEC §12.2).
	tib_min: number;
	tst_min: number;
	/** One decimal; null when the time in bed is 0. */
	se_pct: number | null;
	terminal_wake_min: number;
}

/**
 * The optional diary items of `POST`/`PUT /api/sleep` (SPEC §12.1). On `PUT` an absent field keeps
 * its stored value and an explicit null clears it; on `POST` absent means null.
 */
export interface DiaryItemsInput {
	in_bed_time?: string | null;
	waso_min?: number | null;
	out_of_bed_time?: string | null;
	rested?: number | null;
	alcohol_drinks?: number | null;
	caffeine_drinks?: number | null;
	medication?: string | null;
}

/** Body of `POST /api/sleep` and `PUT /api/sleep/{id}`. */
export interface SleepInput extends DiaryItemsInput {
	date: string;
	bed_time: string;
	wake_time: string;
	/** null only on PUT, for an imported night whose stored value is null (SPEC §12.1). */
	latency_min: number | null;
	awakenings: number | null;
	quality: number | null;
	exercise_intensity?: Intensity;
	note?: string;
}

/** The daily exercise intensity of one date. */
export interface IntensityDay {
	date: string;
	intensity: Intensity;
}

/** A free-text note of a date. */
export interface Note {
	id: number;
	date: string;
	body: string;
}

/** Answer of every creation route. */
export interface Created {
	id: number;
}

/** One daily row of `GET /api/trends/sleep-bars` (SPEC §7.1). */
export interface SleepBar {
	date: string;
	bed_time: string;
	wake_time: string;
	quality: number | null;
	duration_min: number | null;
}

/** Body of `GET /api/trends/summary` (SPEC §7.2). */
export interface TrendsSummary {
	duration_by_bucket: { bucket: string; avg_min: number; min_min: number; max_min: number }[];
	quality_by_bucket: { bucket: string; avg: number }[];
	latency_by_bucket: { bucket: string; median: number }[];
}

/** A personalization window (SPEC §7.5.7). */
export interface PersonalizationWindow {
	from: string;
	to: string;
	logged_days: number;
	missing_days: number;
	missing_days_pct: number;
}

/** Keys of the five recommendations, always in this order. */
export type RecommendationKey =
	| 'personal_duration_warning_tuning'
	| 'day_type_default_prefill'
	| 'social_jetlag_schedule_shift_insight'
	| 'regularity_insight_priority'
	| 'quality_aligned_factor_explanation';

/** One recommendation. `rationale` and `suppression_reasons` are policy text, never shown. */
export interface Recommendation {
	action_key: RecommendationKey;
	status: 'recommended' | 'suppressed';
	confidence: 'high' | 'medium' | 'low';
	rationale: string;
	suppression_reasons: string[];
}

/** Quality factors ranked by `quality_factor_ranking`. */
export type QualityFactor =
	| 'duration_in_personal_range'
	| 'consistent_mid_sleep_timing'
	| 'weekday_schedule_alignment';

/** Body of `GET /api/trends/personalization` (SPEC §7.5.7). */
export interface Personalization {
	as_of: string;
	window_days: number;
	current_window: PersonalizationWindow;
	prior_window: PersonalizationWindow;
	metrics: {
		duration_baseline: {
			eligible: boolean;
			sample_days: number;
			p10_min: number | null;
			p50_min: number | null;
			p90_min: number | null;
			iqr_min: number | null;
			recent_out_of_range_incidence_pct: number | null;
		};
		day_type_timing_baseline: {
			eligible: boolean;
			weekday_sample_days: number;
			weekend_sample_days: number;
			weekday_bed_median_min: number | null;
			weekday_wake_median_min: number | null;
			weekend_bed_median_min: number | null;
			weekend_wake_median_min: number | null;
			midpoint_stable_across_windows: boolean;
			recent_14_day_diverges_from_baseline: boolean;
		};
		social_jetlag: {
			eligible: boolean;
			weekend_sample_days: number;
			current_delta_min: number | null;
			prior_delta_min: number | null;
			sustained_two_windows: boolean;
		};
		schedule_variability: {
			eligible: boolean;
			current_variability_min: number | null;
			prior_variability_min: number | null;
			sustained_two_windows: boolean;
			high_data_gap: boolean;
		};
		quality_factor_ranking: {
			eligible: boolean;
			sessions_with_quality: number;
			distinct_quality_values: number;
			stable_across_adjacent_windows: boolean;
			ranked_factors: { factor: QualityFactor; effect: number }[];
		};
	};
	recommendations: Recommendation[];
}

/** Weekly or range summary of the diary (SPEC §12.3); numbers are null when `nights` is 0. */
export interface DiarySummary {
	nights: number;
	tst_min: number | null;
	tib_min: number | null;
	terminal_wake_min: number | null;
	sol_min: number | null;
	awakenings: number | null;
	waso_min: number | null;
	quality: number | null;
	rested: number | null;
	se_pct: number | null;
	naps_per_week: number;
	flags: DiaryFlag[];
}

/** The quantitative insomnia markers of a summary, in this order. */
export type DiaryFlag = 'se_below_85' | 'sol_over_30' | 'waso_over_30';

/** One calendar date of the diary: its main session (longest of the wake date) and naps. */
export interface DiaryNight {
	date: string;
	main: SleepSession | null;
	naps: { count: number; minutes: number };
	exercise_intensity: Intensity | null;
	notes: number;
}

/** Body of `GET /api/diary` (SPEC §12.3). `weeks` are newest first. */
export interface Diary {
	from: string;
	to: string;
	nights: DiaryNight[];
	summary: DiarySummary;
	weeks: (DiarySummary & { from: string; to: string })[];
}

/** Body of `GET /api/diary/sleep-window` (SPEC §12.4). */
export interface SleepWindowStatus {
	current: { wake_time: string; bed_time: string; window_min: number; since: string } | null;
	recommendation: {
		wake_time: string;
		bed_time: string;
		window_min: number;
		/** Null only for the initial window. */
		change_min: number | null;
		reason: string;
	} | null;
	based_on: { from: string; to: string; nights: number; tst_min: number | null; tib_min: number | null; se_pct: number | null };
	/** Why there is no recommendation (fewer than 5 nights), else null. */
	reason: string | null;
}

/** Body of `GET /api/trends/regularity` (SPEC §12.5). */
export interface Regularity {
	from: string;
	to: string;
	sri: number | null;
	pairs: number;
	reason: string | null;
}

/** A personal API token as listed by `GET /api/tokens` (SPEC §16); never the token itself. */
export interface ApiToken {
	id: number;
	name: string;
	scope: 'read' | 'write';
	/** Instants are UTC, `2025-06-18T07:00:00Z`. */
	created_at: string;
	/** Null: never expires. */
	expires_at: string | null;
	/** Null until first used; updated at most once a minute. */
	last_used_at: string | null;
}

/** Body of `POST /api/tokens`. */
export interface TokenInput {
	/** The login password, asked again because a token outlives the session. */
	password: string;
	name: string;
	scope: 'read' | 'write';
	expires_in_days: number | null;
}

/** Answer of `POST /api/tokens`: the only time the token itself is shown. */
export interface CreatedApiToken {
	id: number;
	name: string;
	scope: 'read' | 'write';
	created_at: string;
	expires_at: string | null;
	/** `st_` + 43 base64url characters. */
	token: string;
}

/** Body of `GET /api/backups` (SPEC §13.2). */
export interface BackupStatus {
	/** Null when scheduled backups are off (`BACKUP_DIR` unset). */
	dir: string | null;
	interval_hours: number;
	keep: number;
	last_success: string | null;
	last_error: { at: string; message: string } | null;
	/** Newest first. */
	files: { name: string; size_bytes: number; created_at: string }[];
}

// ---------------------------------------------------------------------------------------------
// Errors

/** Shown when the server cannot be reached at all (SPEC §8.3). */
export const NETWORK_ERROR_MESSAGE = 'Network error. Check your connection and try again.';

/** A failed API call. `message` is ready to show to the user. */
export class ApiError extends Error {
	/** HTTP status, or 0 when the request never got an answer. */
	readonly status: number;
	/** The envelope's machine-readable code (`bad_request`, `unauthorized`, …) or `network`. */
	readonly code: string;
	/** The envelope's `detail`, present for CSRF and throttling errors. */
	readonly detail: string | undefined;
	/** Seconds from the `Retry-After` header, when the server sent one. */
	readonly retryAfterSeconds: number | undefined;
	/** True when this failure ended the session and the app is already leaving for /login. */
	readonly sessionEnded: boolean;

	constructor(init: {
		status: number;
		code: string;
		message: string;
		detail?: string;
		retryAfterSeconds?: number;
		sessionEnded?: boolean;
	}) {
		super(init.message);
		this.name = 'ApiError';
		this.status = init.status;
		this.code = init.code;
		this.detail = init.detail;
		this.retryAfterSeconds = init.retryAfterSeconds;
		this.sessionEnded = init.sessionEnded ?? false;
	}
}

/** The user-facing message of any error thrown while calling the API. */
export function errorMessage(error: unknown): string {
	if (error instanceof ApiError) return error.message;
	if (error instanceof Error && error.message) return capitalize(error.message);
	return 'Something went wrong. Try again.';
}

// ---------------------------------------------------------------------------------------------
// CSRF

const CSRF_COOKIES = ['__Host-csrf', 'csrf'] as const;

/**
 * The CSRF token from a `document.cookie` string: the `__Host-csrf` cookie, else `csrf`,
 * percent-decoded. Empty when neither is set.
 */
export function readCsrfToken(cookieHeader: string): string {
	const cookies = new Map<string, string>();
	for (const part of cookieHeader.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		const name = part.slice(0, eq).trim();
		if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
	}
	for (const name of CSRF_COOKIES) {
		const raw = cookies.get(name);
		if (raw) return safeDecode(raw);
	}
	return '';
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

// ---------------------------------------------------------------------------------------------
// Transport

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Per-call options. */
export interface RequestOptions {
	/** Do not treat a 401 as "session ended" (login, logout, the silent time-zone sync). */
	ignoreSessionEnd?: boolean;
	/** Cancels the request; an aborted call rejects with the DOMException from fetch. */
	signal?: AbortSignal;
	/** Sent as `Idempotency-Key` (SPEC §15.1): a retry with the same key is never stored twice. */
	idempotencyKey?: string;
}

/** What the client needs from its environment; replaced by fakes in tests. */
export interface ApiEnvironment {
	fetch: typeof fetch;
	/** The current `document.cookie`. */
	cookies: () => string;
}

type SessionEndedHandler = () => void;

/** Builds a client bound to an environment. The app uses `api`, built on the browser's. */
export function createApiClient(env: ApiEnvironment) {
	let onSessionEnded: SessionEndedHandler = () => {};

	async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
		const headers: Record<string, string> = { Accept: 'application/json' };
		if (body !== undefined) headers['Content-Type'] = 'application/json';
		if (method !== 'GET') {
			const token = readCsrfToken(env.cookies());
			if (token) headers['X-CSRF-Token'] = token;
		}
		if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;

		let response: Response;
		try {
			response = await env.fetch(path, {
				method,
				headers,
				credentials: 'same-origin',
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: options.signal
			});
		} catch (err) {
			if (isAbort(err)) throw err;
			throw new ApiError({ status: 0, code: 'network', message: NETWORK_ERROR_MESSAGE });
		}

		if (response.ok) {
			if (response.status === 204) return undefined as T;
			const text = await response.text();
			return (text ? JSON.parse(text) : undefined) as T;
		}
		throw await failure(response, options);
	}

	async function failure(response: Response, options: RequestOptions): Promise<ApiError> {
		let code = 'http_error';
		let message = '';
		let detail: string | undefined;
		try {
			const envelope = (await response.json()) as { code?: unknown; message?: unknown; detail?: unknown };
			if (typeof envelope.code === 'string') code = envelope.code;
			if (typeof envelope.message === 'string') message = envelope.message;
			if (typeof envelope.detail === 'string') detail = envelope.detail;
		} catch {
			// Not an envelope (a proxy error page, for example): fall back to a generic sentence.
		}
		const retry = Number(response.headers.get('Retry-After'));
		const ended =
			!options.ignoreSessionEnd &&
			(response.status === 401 || (response.status === 403 && (detail ?? '').startsWith('csrf:')));
		if (ended) onSessionEnded();
		return new ApiError({
			status: response.status,
			code,
			message: message ? capitalize(message) : `Something went wrong (HTTP ${response.status}). Try again.`,
			detail,
			retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : undefined,
			sessionEnded: ended
		});
	}

	const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options);
	const query = (params: Record<string, string | number | undefined>) => {
		const search = new URLSearchParams();
		for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
		const text = search.toString();
		return text ? `?${text}` : '';
	};

	return {
		/** Registers what to do when a call finds the session gone (401, or 403 with a `csrf:` detail). */
		setSessionEndedHandler(handler: SessionEndedHandler) {
			onSessionEnded = handler;
		},

		// Auth and settings
		login: (email: string, password: string) =>
			request<{ ok: boolean }>('POST', '/api/login', { email, password }, { ignoreSessionEnd: true }),
		logout: () => request<void>('POST', '/api/logout', undefined, { ignoreSessionEnd: true }),
		session: (options?: RequestOptions) => get<{ authenticated: boolean }>('/api/session', options),
		getTimezone: (options?: RequestOptions) => get<{ timezone: string }>('/api/settings/timezone', options),
		setTimezone: (timezone: string, options?: RequestOptions) =>
			request<void>('POST', '/api/settings/timezone', { timezone }, options),

		// API tokens (SPEC §16) and the backup status (§13.2)
		tokens: (options?: RequestOptions) => get<ApiToken[]>('/api/tokens', options),
		createToken: (input: TokenInput) => request<CreatedApiToken>('POST', '/api/tokens', input),
		revokeToken: (id: number) => request<void>('DELETE', `/api/tokens/${id}`),
		backupStatus: (options?: RequestOptions) => get<BackupStatus>('/api/backups', options),

		// Sleep sessions
		createSleep: (input: SleepInput, options?: RequestOptions) => request<Created>('POST', '/api/sleep', input, options),
		getSleep: (id: number, options?: RequestOptions) => get<SleepSession>(`/api/sleep/${id}`, options),
		updateSleep: (id: number, input: SleepInput) => request<void>('PUT', `/api/sleep/${id}`, input),
		deleteSleep: (id: number) => request<void>('DELETE', `/api/sleep/${id}`),
		sleepByDate: (date: string, options?: RequestOptions) =>
			get<SleepSession[]>(`/api/sleep/date/${date}`, options),
		sleepRange: (from: string, to: string, options?: RequestOptions) =>
			get<SleepSession[]>(`/api/sleep/range${query({ from, to })}`, options),

		// Exercise and notes
		setIntensity: (date: string, intensity: Intensity) =>
			request<Created>('POST', '/api/exercise', { date, intensity }),
		intensities: (from: string, to: string, options?: RequestOptions) =>
			get<IntensityDay[]>(`/api/exercise/intensity${query({ from, to })}`, options),
		addNote: (date: string, body: string) => request<Created>('POST', '/api/note', { date, body }),
		notes: (from: string, to: string, options?: RequestOptions) =>
			get<Note[]>(`/api/note${query({ from, to })}`, options),
		updateNote: (id: number, date: string, body: string) =>
			request<void>('PUT', `/api/note/${id}`, { date, body }),
		deleteNote: (id: number) => request<void>('DELETE', `/api/note/${id}`),

		// Trends
		sleepBars: (from: string, to: string, options?: RequestOptions) =>
			get<SleepBar[]>(`/api/trends/sleep-bars${query({ from, to })}`, options),
		summary: (from: string, to: string, bucket: 'day' | 'week', options?: RequestOptions) =>
			get<TrendsSummary>(`/api/trends/summary${query({ from, to, bucket })}`, options),
		regularity: (from: string, to: string, options?: RequestOptions) =>
			get<Regularity>(`/api/trends/regularity${query({ from, to })}`, options),

		// Clinical diary and sleep window (SPEC §12.3–12.4)
		diary: (from: string, to: string, options?: RequestOptions) =>
			get<Diary>(`/api/diary${query({ from, to })}`, options),
		sleepWindow: (to?: string, options?: RequestOptions) =>
			get<SleepWindowStatus>(`/api/diary/sleep-window${query({ to })}`, options),
		setSleepWindow: (wakeTime: string, windowMin: number) =>
			request<void>('PUT', '/api/diary/sleep-window', { wake_time: wakeTime, window_min: windowMin }),
		deleteSleepWindow: () => request<void>('DELETE', '/api/diary/sleep-window'),
		// Import jobs (SPEC §13.4); the upload itself is uploadImport in imports.ts (it needs progress).
		imports: (options?: RequestOptions) => get<ImportJob[]>('/api/imports', options),
		importJob: (id: string, options?: RequestOptions) =>
			get<ImportJob>(`/api/imports/${encodeURIComponent(id)}`, options),
		commitImport: (id: string) => request<ImportJob>('POST', `/api/imports/${encodeURIComponent(id)}/commit`),
		discardImport: (id: string) => request<void>('DELETE', `/api/imports/${encodeURIComponent(id)}`),
		personalization: (params: { windowDays?: number; to?: string } = {}, options?: RequestOptions) =>
			get<Personalization>(
				`/api/trends/personalization${query({ window_days: params.windowDays, to: params.to })}`,
				options
			)
	};
}

/** The link of the diary's CSV download (`GET /api/diary?format=csv`, SPEC §12.3). */
export function diaryCsvUrl(from: string, to: string): string {
	return `/api/diary?${new URLSearchParams({ format: 'csv', from, to }).toString()}`;
}

/** The client type, for components that receive it. */
export type ApiClient = ReturnType<typeof createApiClient>;

function isAbort(err: unknown): boolean {
	return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** The app's client, bound to the browser. */
export const api: ApiClient = createApiClient({
	fetch: (input, init) => globalThis.fetch(input, init),
	cookies: () => (typeof document === 'undefined' ? '' : document.cookie)
});
