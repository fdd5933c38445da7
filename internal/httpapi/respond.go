package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"sleeptracker/internal/sleep"
)

// maxBodyBytes is the request body limit on every route (SPEC §3.4).
const maxBodyBytes = 64 << 10

// apiError is an error response: status plus the JSON envelope of SPEC §3.2.
type apiError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func badRequest(message string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "bad_request", Message: message}
}

var (
	errUnauthorized = &apiError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "authentication required"}
	errNotFound     = &apiError{Status: http.StatusNotFound, Code: "not_found", Message: "not found"}
	errMethod       = &apiError{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: "method not allowed"}
	errTooLarge     = &apiError{Status: http.StatusRequestEntityTooLarge, Code: "payload_too_large", Message: "request body exceeds 64 KiB"}
	errNotJSON      = &apiError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "Content-Type must be application/json"}
	errInternal     = &apiError{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
	errUnavailable  = &apiError{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "service unavailable"}
)

func forbidden(detail string) *apiError {
	return &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: "CSRF check failed", Detail: detail}
}

// writeJSON sends v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Keep "<" and ">" literal: suppression reasons such as ">=8" are
	// documented verbatim and clients may compare them as text.
	enc.SetEscapeHTML(false)
	var body []byte
	if err := enc.Encode(v); err != nil {
		// Only a programming error can get here (an unencodable value).
		slog.Error("encode response", "err", err)
		status, body = http.StatusInternalServerError, []byte("{\"code\":\"internal\",\"message\":\"internal error\"}\n")
	} else {
		body = buf.Bytes()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeCreated answers 201 {"id": id}.
func writeCreated(w http.ResponseWriter, id int64) {
	writeJSON(w, http.StatusCreated, map[string]int64{"id": id})
}

// writeError sends err as the JSON envelope. Domain errors map to their status
// here, in one place; anything else is logged and shown as a generic 500.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = errorFromDomain(err)
	}
	if ae.Status >= 500 && ae != errUnavailable {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, ae.Status, ae)
}

func errorFromDomain(err error) *apiError {
	if de := sleep.AsError(err); de != nil {
		switch de.Code {
		case sleep.CodeInvalid:
			return badRequest(de.Message)
		case sleep.CodeNotFound:
			return errNotFound
		}
	}
	return errInternal
}

// decodeJSONObject applies the body rules of SPEC §3.4: JSON content type
// (415), 64 KiB limit (413) and exactly one JSON object (400).
func decodeJSONObject(w http.ResponseWriter, r *http.Request) (sleep.Fields, error) {
	if !isJSONContentType(r.Header.Get("Content-Type")) {
		return nil, errNotJSON
	}
	body, err := readLimitedBody(w, r)
	if err != nil {
		return nil, err
	}
	return parseJSONObject(body)
}

func parseJSONObject(body []byte) (sleep.Fields, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, badRequest("request body must be a JSON object")
		}
		return nil, badRequest("request body is not valid JSON")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, badRequest("request body must contain a single JSON object")
	}
	if raw[0] != '{' {
		return nil, badRequest("request body must be a JSON object")
	}
	var fields sleep.Fields
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, badRequest("request body is not valid JSON")
	}
	return fields, nil
}

// readLimitedBody reads at most maxBodyBytes; an announced or actual larger
// body is 413 without reading the rest.
func readLimitedBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBodyBytes {
		return nil, errTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errTooLarge
		}
		return nil, badRequest("request body is not valid JSON")
	}
	return body, nil
}

// isJSONContentType accepts application/json and application/<name>+json,
// with parameters, case-insensitively.
func isJSONContentType(value string) bool {
	mediaType, _, err := mime.ParseMediaType(value)
	if err != nil {
		return false
	}
	return mediaType == "application/json" ||
		(strings.HasPrefix(mediaType, "application/") && strings.HasSuffix(mediaType, "+json"))
}

func isFormContentType(value string) bool {
	mediaType, _, err := mime.ParseMediaType(value)
	return err == nil && mediaType == "application/x-www-form-urlencoded"
}
