// Package diary is the clinical sleep diary of SPEC §12.3–§12.4, as pure
// functions over domain values: one night per calendar date with its main
// session and naps, the summaries and insomnia flags of a block of nights,
// and the sleep-window (sleep restriction) recommendation. It does no I/O;
// the HTTP layer reads the store and hands the values in.
package diary
