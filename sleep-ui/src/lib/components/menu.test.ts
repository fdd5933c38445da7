import { describe, expect, it } from 'vitest';
import { moveFocusIndex } from './menu';

describe('moveFocusIndex', () => {
	it.each([
		[0, 'ArrowDown', 4, 1],
		[3, 'ArrowDown', 4, 0],
		[0, 'ArrowUp', 4, 3],
		[-1, 'ArrowDown', 4, 0],
		[2, 'Home', 4, 0],
		[1, 'End', 4, 3],
		[1, 'Enter', 4, null],
		[0, 'ArrowDown', 0, null]
	])('from %i, %s over %i items → %s', (current, key, count, expected) => {
		expect(moveFocusIndex(current, key, count)).toBe(expected);
	});
});
