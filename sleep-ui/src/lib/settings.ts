/**
 * Pure helpers of the settings page (SPEC §16): the time-zone picker's list and search, the token
 * expiry choices, and how instants, sizes and scopes are shown. No Svelte, no fetch: Vitest covers it.
 */

/** The IANA zones the browser knows, or an empty list when it cannot tell. */
export function browserZones(): string[] {
	try {
		const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
		return intl.supportedValuesOf?.('timeZone') ?? [];
	} catch {
		return [];
	}
}

/**
 * The picker's zones: the known ones sorted, with UTC and the current zone always present (a zone the
 * server stored may be missing from the browser's list, and must still be shown as selected).
 */
export function zoneOptions(known: readonly string[], current: string): string[] {
	const zones = new Set(known);
	zones.add('UTC');
	if (current) zones.add(current);
	return [...zones].sort((a, b) => a.localeCompare(b, 'en'));
}

/** How a zone reads in the list: underscores as spaces ("America/New York"). */
export function zoneLabel(zone: string): string {
	return zone.replaceAll('_', ' ');
}

/**
 * The zones matching a search: every word of the query must appear in the zone (case-insensitive,
 * underscores and slashes count as spaces), so "new york" and "york america" both find
 * America/New_York. The current zone stays in the list, so the select never loses its value.
 */
export function filterZones(zones: readonly string[], query: string, current: string): string[] {
	const words = normalizeZoneText(query).split(' ').filter(Boolean);
	if (words.length === 0) return [...zones];
	return zones.filter((zone) => {
		if (zone === current) return true;
		const text = normalizeZoneText(zone);
		return words.every((w) => text.includes(w));
	});
}

function normalizeZoneText(text: string): string {
	return text.toLowerCase().replace(/[_/]+/g, ' ').trim();
}

/** The expiry choices of a new token; `null` days = never expires. */
export const TOKEN_EXPIRY_CHOICES: readonly { value: string; label: string; days: number | null }[] = [
	{ value: '30', label: '30 days', days: 30 },
	{ value: '90', label: '90 days', days: 90 },
	{ value: '365', label: '1 year', days: 365 },
	{ value: 'never', label: 'Never', days: null }
];

/** The expires_in_days of an expiry choice (an unknown value means the first choice). */
export function expiryDays(value: string): number | null {
	const choice = TOKEN_EXPIRY_CHOICES.find((c) => c.value === value) ?? TOKEN_EXPIRY_CHOICES[0]!;
	return choice.days;
}

/** What a scope allows, in words. */
export function scopeDescription(scope: 'read' | 'write'): string {
	return scope === 'read' ? 'Read only' : 'Read and write';
}

/**
 * An instant from the API ("2025-06-18T07:00:00Z") as a date and time in `zone`, for example
 * "18 Jun 2025, 09:00"; `fallback` when there is none.
 */
export function formatInstant(iso: string | null, zone: string, fallback = '—'): string {
	if (!iso) return fallback;
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return fallback;
	try {
		return new Intl.DateTimeFormat('en-GB', {
			timeZone: zone,
			day: 'numeric',
			month: 'short',
			year: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		}).format(date);
	} catch {
		return iso;
	}
}

/** A file size as "512 B", "1.5 KB", "12.3 MB" (powers of 1024). */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(1)} ${units[unit]}`;
}
