/** Entries of the shared menu component (profile menu, session actions). */

/** A plain action. */
export interface MenuAction {
	type: 'item';
	label: string;
	testid: string;
	onSelect: () => void;
	danger?: boolean;
}

/** One choice of a radio group (the theme choices). */
export interface MenuRadio {
	type: 'radio';
	label: string;
	testid: string;
	checked: boolean;
	onSelect: () => void;
}

/** A labelled group of radio choices. */
export interface MenuGroup {
	type: 'group';
	label: string;
	items: MenuRadio[];
}

/** A divider between entries. */
export interface MenuSeparator {
	type: 'separator';
}

/** Anything a menu can hold. */
export type MenuEntry = MenuAction | MenuGroup | MenuSeparator;

/** The next index when moving through `count` items with wrap-around (SPEC §8.4). */
export function moveFocusIndex(current: number, key: string, count: number): number | null {
	if (count === 0) return null;
	switch (key) {
		case 'ArrowDown':
			return (current + 1) % count;
		case 'ArrowUp':
			return (current - 1 + count) % count;
		case 'Home':
			return 0;
		case 'End':
			return count - 1;
		default:
			return null;
	}
}
