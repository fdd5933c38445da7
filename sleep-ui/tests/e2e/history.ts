/** Seeds a realistic run of nights so trends, insights and screenshots have data. */
import { addDays, today, type SeedApi } from './fixtures';

/** Logs one night for each of the last `days` days (ending today); returns the first id. */
export async function seedHistory(seed: SeedApi, days: number): Promise<number> {
	let firstId = 0;
	for (let i = days - 1; i >= 0; i--) {
		const date = addDays(today(), -i);
		const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
		const beds = weekend ? ['23:40', '00:20', '23:55'] : ['22:30', '23:00', '22:45', '23:15'];
		const wakes = weekend ? ['08:10', '08:40', '07:55'] : ['06:40', '06:55', '07:10', '06:30'];
		const id = await seed.createSession({
			date,
			bed_time: beds[i % beds.length]!,
			wake_time: wakes[i % wakes.length]!,
			quality: 2 + (i % 4),
			latency_min: 5 + (i % 5) * 5,
			awakenings: i % 3,
			exercise_intensity: i % 3 === 0 ? 'light' : i % 5 === 0 ? 'hard' : undefined,
			note: i === 1 ? 'Late coffee, restless start.\nWoke once around 3.' : undefined
		});
		if (!firstId) firstId = id;
	}
	return firstId;
}
