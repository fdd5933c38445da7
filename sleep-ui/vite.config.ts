import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

// In development the UI runs on :5173 and forwards API traffic to sleep-api (default :8080).
const target = process.env.PROXY_TARGET || 'http://localhost:8080';

/** Forward only POSTs: a GET /login must stay with the dev server so the login page reloads live. */
const postOnly = {
	target,
	changeOrigin: false,
	bypass: (req: { method?: string; url?: string }) => (req.method === 'POST' ? undefined : req.url)
};

export default defineConfig({
	plugins: [tailwindcss(), sveltekit()],
	server: {
		port: 5173,
		strictPort: true,
		proxy: {
			'/api': { target, changeOrigin: false },
			'/health': { target, changeOrigin: false },
			'^/login$': postOnly,
			'^/logout$': postOnly
		}
	},
	build: {
		// Chart.js is the only large dependency; it is lazy-loaded on /trends.
		chunkSizeWarningLimit: 300
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
