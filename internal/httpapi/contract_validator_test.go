package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"sleeptracker"
)

// apiContract is openapi.yaml loaded, validated and ready to match requests.
// The shared test harness checks every response against it (see
// checkResponseAgainstContract), so each HTTP test is also a contract test.
type apiContract struct {
	doc *openapi3.T
	// paths matches request paths against the documented paths with the
	// server's own rules (SPEC §3.1: path first, then method; a static segment
	// beats a parameter; no trailing-slash normalisation), so "PUT
	// /api/sleep/recent" is a documented path with an undocumented method, not
	// an update of the session "recent".
	paths *router
}

var (
	embeddedContractOnce sync.Once
	embeddedContract     *apiContract
	embeddedContractErr  error
)

// loadEmbeddedContract parses the embedded openapi.yaml once per test binary.
func loadEmbeddedContract() (*apiContract, error) {
	embeddedContractOnce.Do(func() {
		embeddedContract, embeddedContractErr = parseContract(sleeptracker.OpenAPI)
	})
	return embeddedContract, embeddedContractErr
}

// parseContract loads an OpenAPI 3.1 document and validates it. kin-openapi
// switches to JSON Schema 2020-12 semantics (type arrays with "null", const)
// by itself when the document's openapi field is 3.1.x; we insist on that
// version so the document cannot silently fall back to 3.0 rules.
func parseContract(data []byte) (*apiContract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if !doc.IsOpenAPI31OrLater() || doc.IsOpenAPI32OrLater() {
		return nil, fmt.Errorf("openapi is %q, want 3.1.x", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	var documented []route
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			// HEAD is implied by GET, as in the route table.
			if method != http.MethodHead {
				documented = append(documented, route{method: method, pattern: path})
			}
		}
	}
	return &apiContract{doc: doc, paths: newRouter(documented)}, nil
}

// checkResponseAgainstContract fails t when a response to an API path does not
// conform to openapi.yaml. testClient.do calls it for every response, so
// handlers and the document cannot drift apart unnoticed. It uses t.Errorf, not
// t.Fatalf, because tests may send requests from several goroutines.
func checkResponseAgainstContract(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	contract, err := loadEmbeddedContract()
	if err != nil {
		t.Errorf("openapi.yaml: %v", err)
		return
	}
	if header.Get("Content-Encoding") == "gzip" && len(body) > 0 {
		// The test asked for gzip itself (so the transport did not decode):
		// the contract describes the decoded body.
		body = gunzip(t, body)
	}
	if err := contract.validateResponse(req, status, header, body); err != nil {
		t.Errorf("%s %s → %d does not match openapi.yaml: %v", req.Method, req.URL.RequestURI(), status, err)
	}
}

// describes reports whether responses to path are in the contract's scope:
// everything under /api/ (unknown paths included, they must answer the 404
// envelope) and the documented aliases such as /login and /health. Pages and
// static assets are not.
func (c *apiContract) describes(path string) bool {
	return strings.HasPrefix(path, "/api/") || c.doc.Paths.Value(path) != nil
}

// validateResponse checks status, headers, Content-Type and body of one
// response. Statuses an operation does not list are errors. Requests that
// match no documented operation may only get the 404 or 405 envelopes the
// document defines for unknown paths and methods. A HEAD response must be its
// GET operation's response without a body.
func (c *apiContract) validateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	if !c.describes(req.URL.Path) {
		return nil
	}
	// HEAD answers exactly like GET (SPEC §3.1), so it is matched as GET.
	asGet := req
	if req.Method == http.MethodHead {
		asGet = req.Clone(context.Background())
		asGet.Method = http.MethodGet
	}
	route, pathParams, err := c.findOperation(asGet, status, header)
	if err != nil {
		return err
	}
	options := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	if req.Method == http.MethodHead {
		if len(body) > 0 {
			return fmt.Errorf("HEAD response has a %d-byte body", len(body))
		}
		// ValidateResponse skips HEAD requests, and a HEAD body is empty by
		// design: check status and headers as GET, then the Content-Type.
		options.ExcludeResponseBody = true
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: asGet, PathParams: pathParams, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                options,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		return err
	}
	if req.Method == http.MethodHead {
		return checkDocumentedContentType(route.Operation, status, header)
	}
	return nil
}

// findOperation returns the documented operation for req. A request that
// matches no documented operation may only get the envelope the document
// defines for an unknown path (404) or an unsupported method (405, whose Allow
// header must list exactly the documented methods); for those it returns a
// stand-in operation holding just that component response.
func (c *apiContract) findOperation(req *http.Request, status int, header http.Header) (*routers.Route, map[string]string, error) {
	pattern, pathParams := c.paths.match(req.URL.Path)
	if pattern == nil {
		route, err := c.componentResponseRoute(req, status, http.StatusNotFound, "NotFound")
		return route, nil, err
	}
	documented, ok := pattern.lookup(req.Method)
	if !ok {
		if allow := header.Get("Allow"); status == http.StatusMethodNotAllowed && allow != pattern.allow() {
			return nil, nil, fmt.Errorf("header Allow is %q, but openapi.yaml documents %q", allow, pattern.allow())
		}
		route, err := c.componentResponseRoute(req, status, http.StatusMethodNotAllowed, "MethodNotAllowed")
		return route, nil, err
	}
	item := c.doc.Paths.Value(documented.pattern)
	return &routers.Route{
		Spec:      c.doc,
		Path:      documented.pattern,
		PathItem:  item,
		Method:    documented.method,
		Operation: item.GetOperation(documented.method),
	}, pathParams, nil
}

// componentResponseRoute builds a stand-in route whose only response is the
// named component response, allowed only with the status it documents.
func (c *apiContract) componentResponseRoute(req *http.Request, status, wantStatus int, name string) (*routers.Route, error) {
	if status != wantStatus {
		return nil, fmt.Errorf("%s %s is not a documented operation, so only %d (components.responses.%s) may answer it",
			req.Method, req.URL.Path, wantStatus, name)
	}
	ref := c.doc.Components.Responses[name]
	if ref == nil {
		return nil, fmt.Errorf("components.responses.%s is missing", name)
	}
	return &routers.Route{
		Spec:      c.doc,
		Path:      req.URL.Path,
		Method:    req.Method,
		Operation: &openapi3.Operation{Responses: openapi3.NewResponses(openapi3.WithStatus(status, ref))},
	}, nil
}

// checkDocumentedContentType verifies that a body-less (HEAD) response
// announces one of the media types its GET response documents.
func checkDocumentedContentType(op *openapi3.Operation, status int, header http.Header) error {
	ref := op.Responses.Status(status)
	if ref == nil || ref.Value == nil || len(ref.Value.Content) == 0 {
		return nil
	}
	contentType := header.Get("Content-Type")
	if ref.Value.Content.Get(contentType) == nil {
		return fmt.Errorf("response Content-Type %q is not documented for status %d", contentType, status)
	}
	return nil
}
