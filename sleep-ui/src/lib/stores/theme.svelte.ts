/**
 * Light, dark or system theme (SPEC §8.6). The choice lives in the `sleeptracker.theme` cookie so the
 * inline script in app.html can apply it before the first paint, on every page including /login.
 */

/** What the user picked in the profile menu. */
export type ThemeChoice = 'light' | 'dark' | 'system';
/** What is actually applied to `<html data-theme>`. */
export type ResolvedTheme = 'light' | 'dark';

/** Name of the cookie that remembers the choice. */
export const THEME_COOKIE = 'sleeptracker.theme';
const ONE_YEAR_SECONDS = 31_536_000;

/** The stored choice in a `document.cookie` string; `system` when absent or unknown. */
export function parseThemeCookie(cookieHeader: string): ThemeChoice {
	for (const part of cookieHeader.split(';')) {
		const [name, value] = part.trim().split('=', 2);
		if (name === THEME_COOKIE && (value === 'light' || value === 'dark' || value === 'system')) return value;
	}
	return 'system';
}

/** The cookie string that stores `choice` (Secure over HTTPS). */
export function themeCookie(choice: ThemeChoice, secure: boolean): string {
	return `${THEME_COOKIE}=${choice}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The theme to apply for a choice, given the system preference. */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): ResolvedTheme {
	if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
	return choice;
}

/** The browser pieces the store touches; replaced in tests. */
export interface ThemeEnvironment {
	readCookies(): string;
	writeCookie(cookie: string): void;
	isSecure(): boolean;
	/** Current `prefers-color-scheme: dark` and a way to follow its changes. */
	prefersDark(): boolean;
	onPreferenceChange(listener: (dark: boolean) => void): () => void;
	apply(theme: ResolvedTheme): void;
}

/** The theme state; one instance (`theme`) is used by the app. */
export class ThemeStore {
	choice = $state<ThemeChoice>('system');
	systemPrefersDark = $state(false);
	/** The applied theme; the trends chart re-reads its colours when this changes. */
	resolved = $derived<ResolvedTheme>(resolveTheme(this.choice, this.systemPrefersDark));

	#env: ThemeEnvironment | null = null;
	#stopListening: (() => void) | null = null;

	/** Reads the stored choice and follows the system preference. Safe to call more than once. */
	init(env: ThemeEnvironment): void {
		this.#stopListening?.();
		this.#env = env;
		this.choice = parseThemeCookie(env.readCookies());
		this.systemPrefersDark = env.prefersDark();
		this.#stopListening = env.onPreferenceChange((dark) => {
			this.systemPrefersDark = dark;
			env.apply(resolveTheme(this.choice, dark));
		});
		env.apply(resolveTheme(this.choice, this.systemPrefersDark));
	}

	/** Applies and remembers a choice. */
	set(choice: ThemeChoice): void {
		this.choice = choice;
		if (!this.#env) return;
		this.#env.writeCookie(themeCookie(choice, this.#env.isSecure()));
		this.#env.apply(resolveTheme(choice, this.systemPrefersDark));
	}
}

/** The app's theme. */
export const theme = new ThemeStore();

/** The real browser environment. */
export function browserThemeEnvironment(): ThemeEnvironment {
	const query = window.matchMedia('(prefers-color-scheme: dark)');
	return {
		readCookies: () => document.cookie,
		writeCookie: (cookie) => {
			document.cookie = cookie;
		},
		isSecure: () => location.protocol === 'https:',
		prefersDark: () => query.matches,
		onPreferenceChange: (listener) => {
			const handler = (e: MediaQueryListEvent) => listener(e.matches);
			query.addEventListener('change', handler);
			return () => query.removeEventListener('change', handler);
		},
		apply: (t) => {
			document.documentElement.dataset.theme = t;
		}
	};
}
