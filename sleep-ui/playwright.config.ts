import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser) against the real sleep-api
 * binary. Global setup builds the binary once; every test starts its own server on a fresh temporary
 * database (tests/e2e/fixtures.ts), so tests never depend on each other.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/artifacts',
	globalSetup: './tests/e2e/global-setup.ts',
	fullyParallel: true,
	workers: process.env.CI ? 1 : 2,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 7_000 },
	forbidOnly: !!process.env.CI,
	reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
	use: {
		browserName: 'chromium',
		locale: 'en-GB',
		timezoneId: 'UTC',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			args: [
				// Native date and time inputs follow the browser's locale data (Debian ships only en-US
				// without the chromium-l10n package, so screenshots may show 12-hour inputs).
				'--lang=en-GB',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [{ name: 'chromium' }]
});
