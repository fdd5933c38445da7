import { describe, expect, it } from 'vitest';
import {
	expiryDays,
	filterZones,
	formatBytes,
	formatInstant,
	scopeDescription,
	TOKEN_EXPIRY_CHOICES,
	zoneLabel,
	zoneOptions
} from './settings';

describe('zoneOptions', () => {
	it('sorts, deduplicates and always contains UTC and the current zone', () => {
		expect(zoneOptions(['Europe/Berlin', 'Asia/Tokyo', 'Europe/Berlin'], 'Etc/GMT+5')).toEqual([
			'Asia/Tokyo',
			'Etc/GMT+5',
			'Europe/Berlin',
			'UTC'
		]);
		expect(zoneOptions([], '')).toEqual(['UTC']);
	});
});

describe('filterZones', () => {
	const zones = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Asia/Tokyo', 'UTC'];

	it('matches every word, ignoring case, underscores and slashes', () => {
		expect(filterZones(zones, 'new york', 'UTC')).toEqual(['America/New_York', 'UTC']);
		expect(filterZones(zones, 'YORK america', 'Asia/Tokyo')).toEqual(['America/New_York', 'Asia/Tokyo']);
		expect(filterZones(zones, 'america/los_angeles', '')).toEqual(['America/Los_Angeles']);
		expect(filterZones(zones, 'nowhere', '')).toEqual([]);
	});

	it('keeps the current zone so the select never loses its value', () => {
		expect(filterZones(zones, 'tokyo', 'Europe/London')).toEqual(['Europe/London', 'Asia/Tokyo']);
	});

	it('returns everything for an empty or blank query', () => {
		expect(filterZones(zones, '', 'UTC')).toEqual(zones);
		expect(filterZones(zones, '  _ ', 'UTC')).toEqual(zones);
	});
});

describe('token helpers', () => {
	it('maps expiry choices to expires_in_days', () => {
		expect(TOKEN_EXPIRY_CHOICES.map((c) => expiryDays(c.value))).toEqual([30, 90, 365, null]);
		expect(expiryDays('bogus')).toBe(30);
	});

	it('describes scopes', () => {
		expect(scopeDescription('read')).toBe('Read only');
		expect(scopeDescription('write')).toBe('Read and write');
	});
});

describe('formatting', () => {
	it('shows instants in the user zone', () => {
		expect(formatInstant('2025-06-18T07:00:00Z', 'Europe/Berlin')).toBe('18 Jun 2025, 09:00');
		expect(formatInstant('2025-06-18T23:30:00Z', 'Asia/Tokyo')).toBe('19 Jun 2025, 08:30');
		expect(formatInstant(null, 'UTC', 'Never used')).toBe('Never used');
		expect(formatInstant('not a time', 'UTC')).toBe('—');
	});

	it('labels zones and sizes', () => {
		expect(zoneLabel('America/Port_of_Spain')).toBe('America/Port of Spain');
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(1536)).toBe('1.5 KB');
		expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
	});
});
