package httpapi

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"sleeptracker/internal/export"
	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// handleExport serves GET /api/export?format=json|csv (SPEC §13.1): the whole
// diary as one attachment, streamed from one read transaction.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) error {
	format := "json"
	if p := sleep.LookupQuery(r.URL.Query(), "format"); p.Present {
		format = p.Value
	}
	contentType := map[string]string{"json": "application/json", "csv": "text/csv; charset=utf-8"}[format]
	if contentType == "" {
		return badRequest("format must be one of json, csv")
	}
	today, err := s.today(r)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, export.FileName(today, format)))
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	exportedAt := s.now()
	out := newDownload(w)
	err = s.store.ReadExport(r.Context(), func(tx *store.ExportTx) error {
		if format == "csv" {
			return export.WriteCSV(out, tx)
		}
		return export.WriteJSON(out, tx, exportedAt)
	})
	return out.finish(r, err)
}

// download writes a file response: it sends the 200 status with the first
// bytes (so an error before them can still be the JSON envelope) and keeps
// the connection's idle deadline (idle.go) moving while bytes move.
type download struct {
	w       http.ResponseWriter
	idle    *idleDeadline
	started bool
}

func newDownload(w http.ResponseWriter) *download {
	return &download{w: w, idle: newIdleDeadline(w)}
}

func (d *download) Write(p []byte) (int, error) {
	d.idle.touch()
	if !d.started {
		d.started = true
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(p)
}

// finish ends the response after the body was written with err as its
// outcome. An error before the first byte is returned for the envelope
// (without the attachment header). After it, the status is gone: the
// connection is aborted so that the client sees a broken transfer, never a
// truncated file that looks complete.
func (d *download) finish(r *http.Request, err error) error {
	if err == nil {
		if !d.started { // an empty body still answers 200
			d.w.WriteHeader(http.StatusOK)
		}
		return nil
	}
	if !d.started {
		d.w.Header().Del("Content-Disposition")
		d.w.Header().Del("Content-Length")
		return err
	}
	if !errors.Is(err, r.Context().Err()) && r.Context().Err() == nil {
		slog.ErrorContext(r.Context(), "download failed after it started", "path", r.URL.Path, "err", err)
	}
	panic(http.ErrAbortHandler)
}

// copyFile streams f to the download with a large buffer.
func (d *download) copyFile(f io.Reader) error {
	buf := make([]byte, 256<<10)
	_, err := io.CopyBuffer(d, f, buf)
	return err
}
