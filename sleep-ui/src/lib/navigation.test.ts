import { describe, expect, it } from 'vitest';
import { isSafeNext, loginUrl, safeNextOrHome } from './navigation';

describe('isSafeNext', () => {
	it.each([
		['/trends?metric=quality', true],
		['/day/2025-06-16', true],
		['/', true],
		['//evil.example', false],
		['/\\evil.example', false],
		['/a\\b', false],
		['https://evil.example/', false],
		['/redirect?to=https://evil.example', false],
		['/api/sleep', false],
		['/with\nnewline', false],
		['trends', false],
		['', false],
		[null, false]
	])('%s → %s', (next, safe) => {
		expect(isSafeNext(next)).toBe(safe);
	});

	it('falls back to the dashboard', () => {
		expect(safeNextOrHome('//evil')).toBe('/');
		expect(safeNextOrHome('/trends')).toBe('/trends');
	});
});

describe('loginUrl', () => {
	it('remembers where to come back to', () => {
		expect(loginUrl('/')).toBe('/login');
		expect(loginUrl('/trends?metric=quality&view=chart')).toBe('/login?next=%2Ftrends%3Fmetric%3Dquality%26view%3Dchart');
		expect(loginUrl('/?to=2025-06-01', 'expired')).toBe('/login?next=%2F%3Fto%3D2025-06-01&reason=expired');
		expect(loginUrl('/', 'expired')).toBe('/login?reason=expired');
	});
});
