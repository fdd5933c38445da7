import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// The Go server (sleep-api) embeds build/ and serves build/index.html as the SPA shell for
		// every page path, behind its page guard. No page is prerendered.
		adapter: adapter({
			pages: 'build',
			assets: 'build',
			fallback: 'index.html',
			precompress: true,
			strict: true
		}),
		// A constant version keeps `npm run build` byte-for-byte reproducible, so CI can compare
		// the committed build with a fresh one.
		version: { name: pkg.version },
		paths: { relative: false },
		// sleep-api serves the worker as /sw.js (SPEC §15.2); src/lib/offline/register.ts registers it.
		serviceWorker: { register: false }
	}
};

export default config;
