package httpapi

import (
	"net/http"

	"sleeptracker/internal/sleep"
)

// errorHandlerFunc is a handler that returns its first failure instead of
// writing it, so each data handler reads as the straight list of checks of
// SPEC §3.3. handle turns it into an http.HandlerFunc for the route table.
type errorHandlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts fn for the route table: a returned error becomes the JSON
// envelope through writeError (domain errors map to their status there; any
// other error is logged and answered 500). fn must not have written anything
// when it returns an error.
func handle(fn errorHandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			writeError(w, r, err)
		}
	}
}

// writeNoContent answers 204 for updates, deletes and settings (SPEC §3.6).
func writeNoContent(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNoContent)
}

// pathID reads the {id} path parameter: a positive 64-bit decimal, else 400
// "invalid id" (SPEC §3.5).
func pathID(r *http.Request) (int64, error) {
	return sleep.ParseID(r.PathValue("id"))
}

// pathDate reads the {date} path parameter, else 400 "invalid date".
func pathDate(r *http.Request) (sleep.Date, error) {
	return sleep.ParsePathDate(r.PathValue("date"))
}

// listDateRange reads the required from/to query parameters of the list
// routes (sleep range, exercise intensity, notes) with their 62-day cap and
// the messages of SPEC §5.14.
func listDateRange(r *http.Request) (from, to sleep.Date, err error) {
	q := r.URL.Query()
	return sleep.ListRangeRule.Parse(sleep.LookupQuery(q, "from"), sleep.LookupQuery(q, "to"))
}
