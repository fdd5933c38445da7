import { describe, expect, it } from 'vitest';
import { parseThemeCookie, resolveTheme, ThemeStore, themeCookie, type ResolvedTheme, type ThemeEnvironment } from './theme.svelte';

function fakeEnvironment(cookies: string, prefersDark: boolean, secure = false) {
	const state = { cookies, written: [] as string[], applied: [] as ResolvedTheme[], listener: null as ((dark: boolean) => void) | null };
	const env: ThemeEnvironment = {
		readCookies: () => state.cookies,
		writeCookie: (c) => state.written.push(c),
		isSecure: () => secure,
		prefersDark: () => prefersDark,
		onPreferenceChange: (l) => {
			state.listener = l;
			return () => (state.listener = null);
		},
		apply: (t) => state.applied.push(t)
	};
	return { env, state };
}

describe('theme cookie', () => {
	it('reads the stored choice, defaulting to system', () => {
		expect(parseThemeCookie('a=1; sleeptracker.theme=dark')).toBe('dark');
		expect(parseThemeCookie('sleeptracker.theme=light; csrf=x')).toBe('light');
		expect(parseThemeCookie('sleeptracker.theme=purple')).toBe('system');
		expect(parseThemeCookie('')).toBe('system');
	});

	it('writes a one-year, site-wide cookie, Secure over HTTPS', () => {
		expect(themeCookie('dark', false)).toBe('sleeptracker.theme=dark; Path=/; Max-Age=31536000; SameSite=Lax');
		expect(themeCookie('system', true)).toBe('sleeptracker.theme=system; Path=/; Max-Age=31536000; SameSite=Lax; Secure');
	});

	it('resolves system from the preference', () => {
		expect(resolveTheme('system', true)).toBe('dark');
		expect(resolveTheme('system', false)).toBe('light');
		expect(resolveTheme('light', true)).toBe('light');
	});
});

describe('ThemeStore', () => {
	it('applies the stored choice on init and stores a new choice', () => {
		const { env, state } = fakeEnvironment('sleeptracker.theme=light', true, true);
		const theme = new ThemeStore();
		theme.init(env);
		expect(theme.choice).toBe('light');
		expect(state.applied).toEqual(['light']);
		theme.set('dark');
		expect(theme.choice).toBe('dark');
		expect(state.written).toEqual(['sleeptracker.theme=dark; Path=/; Max-Age=31536000; SameSite=Lax; Secure']);
		expect(state.applied.at(-1)).toBe('dark');
	});

	it('follows live changes of the system preference while on System', () => {
		const { env, state } = fakeEnvironment('', false);
		const theme = new ThemeStore();
		theme.init(env);
		expect(state.applied).toEqual(['light']);
		state.listener?.(true);
		expect(state.applied.at(-1)).toBe('dark');
		theme.set('light');
		state.listener?.(true);
		expect(state.applied.at(-1)).toBe('light');
	});
});
