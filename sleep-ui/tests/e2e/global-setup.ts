/**
 * Builds sleep-api once per run (it embeds sleep-ui/build, so the UI is rebuilt first when any
 * source is newer than the build) and hands the binary path to the workers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const uiRoot = resolve(import.meta.dirname, '../..');
const repoRoot = resolve(uiRoot, '..');

function newestMtime(path: string): number {
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), s.mtimeMs);
}

function buildIsStale(): boolean {
	let built: number;
	try {
		built = statSync(join(uiRoot, 'build/index.html')).mtimeMs;
	} catch {
		return true;
	}
	const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map((p) => join(uiRoot, p));
	return inputs.some((p) => newestMtime(p) > built);
}

export default function globalSetup(): void {
	if (buildIsStale()) {
		console.log('e2e: UI sources changed since the last build, running npm run build');
		execFileSync('npm', ['run', 'build'], { cwd: uiRoot, stdio: 'inherit' });
	}
	const dir = mkdtempSync(join(tmpdir(), 'sleep-e2e-bin-'));
	const bin = join(dir, 'sleep-api');
	execFileSync('go', ['build', '-o', bin, './cmd/sleep-api'], { cwd: repoRoot, stdio: 'inherit' });
	process.env.SLEEP_API_BIN = bin;
}
