package httpapi

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

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
// extending the connection's deadlines while bytes move. Routes that move
// whole files replace the whole-request timeouts of SPEC §3.9 by this idle
// timeout (Part II): a slow download goes on as long as it progresses, a
// stalled one ends after fileIdleTimeout.
type download struct {
	w        http.ResponseWriter
	rc       *http.ResponseController
	started  bool
	extended time.Time
}

func newDownload(w http.ResponseWriter) *download {
	d := &download{w: w, rc: http.NewResponseController(w)}
	d.extend()
	return d
}

// extend pushes both deadlines fileIdleTimeout ahead. The read deadline
// matters too: the server watches a GET connection for the client going
// away, and that read ending at the old whole-request deadline would cancel
// the request's context in the middle of the file.
func (d *download) extend() {
	now := time.Now()
	d.extended = now
	_ = d.rc.SetReadDeadline(now.Add(fileIdleTimeout))
	_ = d.rc.SetWriteDeadline(now.Add(fileIdleTimeout))
}

func (d *download) Write(p []byte) (int, error) {
	if time.Since(d.extended) > time.Second {
		d.extend()
	}
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
