// Package sleepui holds the production build of the SleepTracker web UI so that sleep-api can serve
// it without Node.js at run time.
//
// The build/ folder is produced by `npm run build` in this directory and committed; CI rebuilds it and
// fails when the committed copy differs. Serve it with fs.Sub(sleepui.Build, "build"): build/index.html
// is the single-page-app shell for every page path, and files under build/_app/immutable/ carry content
// hashes in their names, so they can be cached for a year.
package sleepui

import "embed"

// Build is the committed UI build. The all: prefix is required: without it go:embed silently skips
// the _app folder (names starting with _ or . are excluded by default).
//
//go:embed all:build
var Build embed.FS
