/** Starts and stops a real sleep-api on a fresh temporary SQLite database. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The e2e user. The hash is argon2id v19 m=19456 t=2 p=1 of E2E_PASSWORD (generated once, fixed salt). */
export const E2E_EMAIL = 'e2e@example.com';
export const E2E_PASSWORD = 'e2e-password';
const E2E_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$ZTJlLWZpeGVkLXNhbHQxNg$LVNZ4d9Kbv61oO/F69+EiftdFmkDUmgFNY/Bb1xMG9k';

/** A running server. */
export interface RunningServer {
	url: string;
	stop(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolvePort(port));
		});
	});
}

async function waitForHealth(url: string, proc: ChildProcess, log: () => string): Promise<void> {
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		if (proc.exitCode !== null) throw new Error(`sleep-api exited with ${proc.exitCode}: ${log()}`);
		try {
			const res = await fetch(`${url}/health`);
			if (res.status === 200) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`sleep-api did not become healthy: ${log()}`);
}

/** Starts sleep-api with a new database; the caller must stop() it. */
export async function startServer(): Promise<RunningServer> {
	const bin = process.env.SLEEP_API_BIN;
	if (!bin) throw new Error('SLEEP_API_BIN is not set (global setup did not run)');
	const dir = await mkdtemp(join(tmpdir(), 'sleep-e2e-db-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let stderr = '';
	const proc = spawn(bin, [], {
		// An empty working directory: a developer's .env is never picked up.
		cwd: dir,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? dir,
			DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
			API_BIND_ADDR: `127.0.0.1:${port}`,
			COOKIE_SECURE: '0',
			APP_TZ: 'UTC',
			LOG_LEVEL: 'warn',
			ADMIN_EMAIL: E2E_EMAIL,
			ADMIN_PASSWORD_HASH: E2E_PASSWORD_HASH
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	proc.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000);
	});
	try {
		await waitForHealth(url, proc, () => stderr);
	} catch (err) {
		proc.kill('SIGKILL');
		await rm(dir, { recursive: true, force: true });
		throw err;
	}
	return {
		url,
		async stop() {
			if (proc.exitCode === null) {
				const exited = new Promise((r) => proc.once('exit', r));
				proc.kill('SIGTERM');
				await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
				if (proc.exitCode === null) proc.kill('SIGKILL');
			}
			await rm(dir, { recursive: true, force: true });
		}
	};
}
