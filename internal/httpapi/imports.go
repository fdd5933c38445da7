package httpapi

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"sleeptracker/internal/config"
	"sleeptracker/internal/imports"
	"sleeptracker/internal/sleep"
)

// Import jobs (SPEC §13.4). The handlers are thin: the registry in
// internal/imports spools, parses and commits; here are the parameters, the
// body (raw or one multipart part), the size limit and the idle timeout.

// uploadBufferBytes is the copy buffer from the request into the spool.
const uploadBufferBytes = 256 << 10

// defaultImportMaxMB applies when a Config was built without Load (tests).
const defaultImportMaxMB = 2048

func newImportRegistry(deps Deps, now func() time.Time) *imports.Registry {
	dir, owner := os.TempDir(), ""
	if deps.Config.DatabasePath != "" && deps.Config.DatabasePath != config.MemoryDatabase {
		dir, owner = filepath.Split(deps.Config.DatabasePath)
		if dir == "" {
			dir = "."
		}
		imports.RemoveStaleSpools(dir, owner)
	}
	mb := deps.Config.ImportMaxMB
	if mb == 0 {
		mb = defaultImportMaxMB
	}
	return imports.NewRegistry(imports.Config{
		Store: deps.Store, Dir: dir, Owner: owner, MaxBytes: int64(mb) << 20, Now: now, Logger: deps.Logger,
	})
}

// Close ends the server's background work that holds files: import jobs are
// discarded and their spooled uploads deleted.
func (s *Server) Close() { s.imports.Close() }

func conflict(message string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "conflict", Message: message}
}

// importError maps the registry's errors to the envelope.
func importError(err error) error {
	var tooLarge *imports.TooLargeError
	var notReady *imports.NotReadyError
	switch {
	case errors.As(err, &tooLarge):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "payload_too_large", Message: tooLarge.Error()}
	case errors.As(err, &notReady):
		return conflict(notReady.Error())
	case errors.Is(err, imports.ErrBusy):
		return conflict(err.Error())
	case errors.Is(err, imports.ErrNotFound):
		return errNotFound
	case errors.Is(err, imports.ErrEmpty), errors.Is(err, imports.ErrUnrecognised):
		return badRequest(err.Error())
	}
	return err
}

// importBody returns the uploaded file: the raw body, or the part named
// "file" of a multipart/form-data body, with its name and announced size
// (-1 when unknown).
func importBody(r *http.Request, body io.Reader) (io.Reader, string, int64, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return body, "", r.ContentLength, nil
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, "", 0, badRequest("multipart body has no boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", 0, badRequest("multipart body must have a part named file")
		}
		if err != nil {
			return nil, "", 0, badRequest("malformed multipart body")
		}
		if part.FormName() == "file" {
			return part, part.FileName(), -1, nil
		}
		_ = part.Close()
	}
}

// createImport serves POST /api/imports?format=&timezone= (SPEC §13.4).
func (s *Server) createImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	table := s.imports.FormatTable()
	format := imports.AutoFormat
	if p := sleep.LookupQuery(q, "format"); p.Present {
		if p.Value != imports.AutoFormat && !slices.Contains(imports.FormatNames(table), p.Value) {
			return badRequest(imports.FormatMessage(table))
		}
		format = p.Value
	}
	var zoneName string
	var zone *time.Location
	if p := sleep.LookupQuery(q, "timezone"); p.Present {
		loc, err := sleep.LoadZone(p.Value)
		if err != nil {
			return badRequest(fmt.Sprintf("unknown time zone %q", p.Value))
		}
		zoneName, zone = p.Value, loc
	} else {
		name, loc, err := s.store.UserLocation(r.Context(), s.cfg.AppTZ, s.cfg.AppLocation)
		if err != nil {
			return err
		}
		zoneName, zone = name, loc
	}
	if zone == nil {
		zoneName, zone = "UTC", time.UTC
	}

	limit := s.imports.MaxBytes()
	body, name, size, err := importBody(r, idleReader{r: r.Body, idle: newIdleDeadline(w)})
	if err != nil {
		return err
	}
	if size > limit {
		return importError(&imports.TooLargeError{MaxMiB: limit >> 20})
	}
	br := bufio.NewReaderSize(body, uploadBufferBytes)
	if _, err := br.Peek(1); err != nil {
		if errors.Is(err, io.EOF) {
			return importError(imports.ErrEmpty)
		}
		return badRequest("the upload was interrupted")
	}
	up, err := s.imports.Begin(imports.Request{Format: format, Zone: zone, ZoneName: zoneName, Size: size, Name: name})
	if err != nil {
		return importError(err)
	}
	buf := make([]byte, uploadBufferBytes)
	for {
		n, rerr := br.Read(buf)
		if n > 0 {
			if _, werr := up.Write(buf[:n]); werr != nil {
				up.Abort()
				var tooLarge *imports.TooLargeError
				if !errors.As(werr, &tooLarge) && !errors.Is(werr, imports.ErrUnrecognised) {
					return werr // the disk: a 500
				}
				return importError(werr)
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			up.Abort()
			var tooLarge *http.MaxBytesError
			if errors.As(rerr, &tooLarge) {
				return importError(&imports.TooLargeError{MaxMiB: limit >> 20})
			}
			return badRequest("the upload was interrupted")
		}
	}
	view, err := up.Finish()
	if err != nil {
		return importError(err)
	}
	w.Header().Set("Location", "/api/imports/"+view.ID)
	writeJSON(w, http.StatusAccepted, view)
	return nil
}

// listImports serves GET /api/imports: the remembered jobs, newest first.
func (s *Server) listImports(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.imports.List())
	return nil
}

// getImport serves GET /api/imports/{id}.
func (s *Server) getImport(w http.ResponseWriter, r *http.Request) error {
	view, err := s.imports.Get(r.PathValue("id"))
	if err != nil {
		return importError(err)
	}
	writeJSON(w, http.StatusOK, view)
	return nil
}

// commitImport serves POST /api/imports/{id}/commit: one transaction.
func (s *Server) commitImport(w http.ResponseWriter, r *http.Request) error {
	view, err := s.imports.Commit(r.Context(), r.PathValue("id"))
	if err != nil {
		return importError(err)
	}
	writeJSON(w, http.StatusOK, view)
	return nil
}

// discardImport serves DELETE /api/imports/{id}: 204 for any id.
func (s *Server) discardImport(w http.ResponseWriter, r *http.Request) error {
	s.imports.Discard(r.PathValue("id"))
	writeNoContent(w)
	return nil
}
